"""The directory backend: files where the keys say, written whole, French errors."""
from __future__ import annotations

import pytest

from dashboard.stockage import StockageIndisponible
from dashboard.stockage.repertoire import StockageRepertoire


def test_files_lie_under_the_root_and_no_temporary_file_is_left(stockage_repertoire):
    stockage_repertoire.ecrire("photos/2026/12/abc-grande.jpg", b"contenu", "image/jpeg")
    chemin = stockage_repertoire.racine / "photos" / "2026" / "12" / "abc-grande.jpg"
    assert chemin.read_bytes() == b"contenu"
    assert [p.name for p in chemin.parent.iterdir()] == ["abc-grande.jpg"]
    assert stockage_repertoire.lien("photos/2026/12/abc-grande.jpg") is None   # the app serves the bytes


def test_a_symbolic_link_cannot_lead_out_of_the_root(stockage_repertoire, tmp_path):
    dehors = tmp_path / "dehors"
    dehors.mkdir()
    stockage_repertoire.racine.mkdir(parents=True)
    (stockage_repertoire.racine / "photos").symlink_to(dehors)
    with pytest.raises(ValueError, match="hors du répertoire"):
        stockage_repertoire.ecrire("photos/x.jpg", b"x", "image/jpeg")
    assert list(dehors.iterdir()) == []


def test_an_unusable_directory_gives_a_french_error(tmp_path):
    (tmp_path / "fichier").write_text("pas un répertoire")
    stockage = StockageRepertoire(tmp_path / "fichier")
    with pytest.raises(StockageIndisponible, match="Les photos n'ont pas pu être enregistrées dans"):
        stockage.ecrire("photos/x.jpg", b"x", "image/jpeg")


def test_listing_by_age_reads_the_files_time(stockage_repertoire):
    import os
    from datetime import datetime, timedelta, timezone

    stockage_repertoire.ecrire("photos/ancienne", b"x", "image/jpeg")
    stockage_repertoire.ecrire("photos/recente", b"x", "image/jpeg")
    il_y_a_deux_jours = (datetime.now(timezone.utc) - timedelta(days=2)).timestamp()
    os.utime(stockage_repertoire.racine / "photos" / "ancienne", (il_y_a_deux_jours, il_y_a_deux_jours))
    hier = datetime.now(timezone.utc) - timedelta(days=1)
    assert list(stockage_repertoire.lister("photos/", avant=hier)) == ["photos/ancienne"]
