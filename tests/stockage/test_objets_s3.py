"""The S3 backend against a local S3-compatible server (moto, started by the tests):
the prefix, presigned links, and French errors when the storage fails."""
from __future__ import annotations

import urllib.request

import pytest

from dashboard import settings
from dashboard.stockage import StockageIndisponible
from dashboard.stockage.s3 import StockageS3

from .conftest import REGION, client_brut, port_libre


def test_objects_lie_under_the_prefix_with_their_type(stockage_s3, serveur_s3, bucket):
    stockage_s3.ecrire("photos/2026/12/abc-grande.jpg", b"\xff\xd8contenu", "image/jpeg")
    brut = client_brut(serveur_s3)
    cles = [o["Key"] for o in brut.list_objects_v2(Bucket=bucket)["Contents"]]
    assert cles == ["recensements/photos/2026/12/abc-grande.jpg"]
    objet = brut.get_object(Bucket=bucket, Key=cles[0])
    assert objet["ContentType"] == "image/jpeg"
    assert list(stockage_s3.lister("photos/")) == ["photos/2026/12/abc-grande.jpg"]


def test_a_presigned_link_serves_the_photo(stockage_s3):
    stockage_s3.ecrire("photos/2026/12/abc-vignette.jpg", b"\xff\xd8vignette", "image/jpeg")
    lien = stockage_s3.lien("photos/2026/12/abc-vignette.jpg", secondes=60)
    assert lien.startswith(stockage_s3.reglage.endpoint) and "Signature" in lien
    with urllib.request.urlopen(lien, timeout=10) as reponse:
        assert reponse.read() == b"\xff\xd8vignette"
        assert reponse.headers["Content-Type"] == "image/jpeg"


def test_an_unsigned_request_is_refused_by_the_server(stockage_s3, serveur_s3, bucket):
    # The same server refuses a link whose signature was tampered with: the links are not open doors.
    stockage_s3.ecrire("photos/x.jpg", b"x", "image/jpeg")
    lien = stockage_s3.lien("photos/x.jpg", secondes=60)
    falsifie = lien.replace("recensements/photos/x.jpg", "recensements/photos/y.jpg")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(falsifie, timeout=10)


def test_a_missing_bucket_gives_a_french_error(serveur_s3):
    stockage = StockageS3(settings.StockageS3(bucket="inexistant", prefixe="", endpoint=serveur_s3, region=REGION))
    with pytest.raises(StockageIndisponible, match=r"bucket inexistant\) : le service a répondu NoSuchBucket"):
        stockage.ecrire("photos/x.jpg", b"x", "image/jpeg")
    with pytest.raises(StockageIndisponible, match="n'ont pas pu être atteintes"):
        stockage.verifier()


def test_the_bucket_check_passes_when_it_exists(stockage_s3):
    stockage_s3.verifier()


def test_an_unreachable_storage_gives_a_french_error(serveur_s3):
    ferme = f"http://127.0.0.1:{port_libre()}"           # nothing listens there
    stockage = StockageS3(settings.StockageS3(bucket="photos", prefixe="", endpoint=ferme, region=REGION))
    with pytest.raises(StockageIndisponible, match="le service ne répond pas. Réessayez dans un moment.") as exc:
        stockage.lire("photos/x.jpg")
    assert "secret-d-essai" not in str(exc.value)


def test_missing_keys_are_named(serveur_s3, bucket, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    stockage = StockageS3(settings.StockageS3(bucket=bucket, prefixe="", endpoint=serveur_s3, region=REGION))
    with pytest.raises(StockageIndisponible, match="identifiants absents : AWS_ACCESS_KEY_ID"):
        stockage.ecrire("photos/x.jpg", b"x", "image/jpeg")


def test_two_replicas_see_the_same_photos(stockage_s3):
    # Two app processes, each with its own client: what one writes, the other reads and removes.
    autre = StockageS3(stockage_s3.reglage)
    assert autre.client is not stockage_s3.client
    stockage_s3.ecrire("photos/2026/12/commune-grande.jpg", b"\xff\xd8photo", "image/jpeg")
    assert autre.lire("photos/2026/12/commune-grande.jpg") == b"\xff\xd8photo"
    autre.supprimer("photos/2026/12/commune-grande.jpg")
    assert not stockage_s3.existe("photos/2026/12/commune-grande.jpg")
