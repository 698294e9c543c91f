"""OBJETS_PHOTOS and OBJETS_S3_*: which storage the app uses (dashboard/settings.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import settings, stockage
from dashboard.stockage.repertoire import StockageRepertoire
from dashboard.stockage.s3 import StockageS3


@pytest.fixture(autouse=True)
def environnement(monkeypatch, tmp_path):
    for name in ("OBJETS_PHOTOS", "OBJETS_S3_ENDPOINT", "OBJETS_S3_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path / "data"))


def test_a_directory_in_the_data_directory_by_default(tmp_path):
    assert settings.stockage_photos() == tmp_path / "data" / "photos"
    assert isinstance(stockage.ouvrir(), StockageRepertoire)


def test_a_directory_of_ones_choice(monkeypatch, tmp_path):
    monkeypatch.setenv("OBJETS_PHOTOS", str(tmp_path / "ailleurs"))
    assert settings.stockage_photos() == Path(tmp_path / "ailleurs")


@pytest.mark.parametrize("adresse, bucket, prefixe", [
    ("s3://objets-photos", "objets-photos", ""),
    ("s3://objets-photos/", "objets-photos", ""),
    ("s3://objets-photos/recensements", "objets-photos", "recensements/"),
    ("s3://objets.photos/prod/recensements/", "objets.photos", "prod/recensements/"),
])
def test_object_storage_by_its_address(monkeypatch, adresse, bucket, prefixe):
    monkeypatch.setenv("OBJETS_PHOTOS", adresse)
    monkeypatch.setenv("OBJETS_S3_ENDPOINT", "https://s3.fr-par.scw.cloud")
    monkeypatch.setenv("OBJETS_S3_REGION", "fr-par")
    assert settings.stockage_photos() == settings.StockageS3(bucket=bucket, prefixe=prefixe,
                                                             endpoint="https://s3.fr-par.scw.cloud",
                                                             region="fr-par")
    ouvert = stockage.ouvrir()
    assert isinstance(ouvert, StockageS3) and ouvert is stockage.ouvrir()   # one client per address


@pytest.mark.parametrize("adresse, message", [
    ("ftp://serveur/photos", "un répertoire ou s3://bucket/préfixe attendu"),
    ("s3://", "nom de bucket invalide"),
    ("s3://Majuscules", "nom de bucket invalide"),
    ("s3://photos/../autre", "préfixe invalide"),
    ("s3://photos/un espace", "préfixe invalide"),
])
def test_a_malformed_address_is_refused_in_french(monkeypatch, adresse, message):
    monkeypatch.setenv("OBJETS_PHOTOS", adresse)
    with pytest.raises(ValueError, match=message):
        settings.stockage_photos()


def test_an_endpoint_must_be_a_url(monkeypatch):
    monkeypatch.setenv("OBJETS_PHOTOS", "s3://photos")
    monkeypatch.setenv("OBJETS_S3_ENDPOINT", "s3.fr-par.scw.cloud")
    with pytest.raises(ValueError, match="OBJETS_S3_ENDPOINT : une adresse http"):
        settings.stockage_photos()


def test_serve_refuses_to_start_with_a_malformed_address(monkeypatch):
    from click.testing import CliRunner

    from dashboard import cli

    monkeypatch.setenv("OBJETS_DEMO", "1")
    monkeypatch.setenv("OBJETS_PHOTOS", "ftp://serveur/photos")
    resultat = CliRunner().invoke(cli.main, ["serve"])
    assert resultat.exit_code == 1
    assert resultat.output.strip() == ("erreur : OBJETS_PHOTOS : un répertoire ou s3://bucket/préfixe attendu, "
                                       "reçu « ftp://serveur/photos »")
