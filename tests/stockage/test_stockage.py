"""What every storage backend does (dashboard/stockage/): the directory and S3 against a
local moto server, through the same tests."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import pytest
from PIL import Image

from dashboard.domain import photos as traitement
from dashboard.stockage import ObjetIntrouvable, StockageIndisponible, photos
from dashboard.stockage.base import nouvelle_cle


def test_write_read_replace_delete(stockage):
    cle = nouvelle_cle("photos")
    assert not stockage.existe(cle)
    stockage.ecrire(cle, b"premier", "image/jpeg")
    assert stockage.existe(cle)
    assert stockage.lire(cle) == b"premier"
    stockage.ecrire(cle, b"second contenu", "image/jpeg")
    assert stockage.lire(cle) == b"second contenu"
    stockage.supprimer(cle)
    assert not stockage.existe(cle)
    with pytest.raises(ObjetIntrouvable):
        stockage.lire(cle)
    stockage.supprimer(cle)            # already gone: nothing happens


def test_reading_a_key_never_written(stockage):
    with pytest.raises(ObjetIntrouvable):
        stockage.lire("photos/2026/01/" + "0" * 32 + "-grande.jpg")


def test_a_large_content_goes_through_whole(stockage):
    contenu = bytes(range(256)) * (4 * 1024 * 4)   # 4 Mo
    stockage.ecrire("photos/gros", contenu, "image/jpeg")
    assert stockage.lire("photos/gros") == contenu


@pytest.mark.parametrize("cle", [
    "", "/etc/passwd", "../secret", "photos/../../etc/passwd", "photos//x", "photos/./x", "photos/.cache",
    "Photos/x.jpg", "<script>alert(1)</script>.png", "photos/ma photo.jpg", "photos/x\x00.jpg",
    "photos/", "photos/\u00e9glise.jpg", "a" * 513,
])
def test_keys_of_any_other_shape_are_refused(stockage, cle):
    for operation in (lambda: stockage.ecrire(cle, b"x", "image/jpeg"), lambda: stockage.lire(cle),
                      lambda: stockage.supprimer(cle), lambda: stockage.existe(cle)):
        with pytest.raises(ValueError, match="clé de stockage invalide"):
            operation()


def test_listing_under_a_prefix(stockage):
    for cle in ("photos/2026/01/a-grande.jpg", "photos/2026/01/a-vignette.jpg", "photos/2026/02/b-grande.jpg",
                "autres/c"):
        stockage.ecrire(cle, b"x", "image/jpeg")
    assert sorted(stockage.lister("photos/2026/01/")) == ["photos/2026/01/a-grande.jpg",
                                                          "photos/2026/01/a-vignette.jpg"]
    assert len(list(stockage.lister("photos/"))) == 3
    assert list(stockage.lister("vide/")) == []


def test_new_keys_are_random_and_dated():
    quand = datetime(2026, 12, 2, tzinfo=timezone.utc)
    cles = {nouvelle_cle("photos", quand) for _ in range(1000)}
    assert len(cles) == 1000
    assert all(re.fullmatch(r"photos/2026/12/[0-9a-f]{32}", cle) for cle in cles)


def _photo() -> traitement.PhotoTraitee:
    sortie = io.BytesIO()
    Image.new("RGB", (2000, 1000), (120, 80, 40)).save(sortie, "JPEG")
    return traitement.traiter(sortie.getvalue())


def test_a_photo_s_two_copies_are_stored_and_removed(stockage):
    photo = _photo()
    cles = photos.enregistrer(stockage, photo)
    assert re.fullmatch(r"photos/\d{4}/\d{2}/[0-9a-f]{32}-grande\.jpg", cles.grande)
    assert cles.vignette == cles.grande.replace("-grande.jpg", "-vignette.jpg")
    assert stockage.lire(cles.grande) == photo.grande.contenu
    assert Image.open(io.BytesIO(stockage.lire(cles.vignette))).size == (320, 160)
    assert photos.enregistrer(stockage, photo) != cles      # the same photo again: new keys
    photos.supprimer(stockage, cles)
    assert not stockage.existe(cles.grande) and not stockage.existe(cles.vignette)
    photos.supprimer(stockage, cles)


class _PanneALaDeuxiemeEcriture:
    """The real storage, except that its second write fails."""

    def __init__(self, stockage):
        self.stockage, self.ecritures = stockage, []

    def ecrire(self, cle, contenu, type_mime):
        self.ecritures.append(cle)
        if len(self.ecritures) == 2:
            raise StockageIndisponible("Les photos n'ont pas pu être enregistrées (panne d'essai).")
        self.stockage.ecrire(cle, contenu, type_mime)

    def supprimer(self, cle):
        self.stockage.supprimer(cle)


def test_no_half_photo_is_left_when_the_second_copy_fails(stockage):
    panne = _PanneALaDeuxiemeEcriture(stockage)
    with pytest.raises(StockageIndisponible, match="panne d'essai"):
        photos.enregistrer(panne, _photo())
    assert not stockage.existe(panne.ecritures[0])
    assert list(stockage.lister("photos/")) == []


def test_a_reader_sees_the_old_content_or_the_new_whole_never_a_part(stockage):
    import threading

    anciens, nouveaux = b"a" * (2 * 1024 * 1024), b"b" * (2 * 1024 * 1024)
    stockage.ecrire("photos/x.jpg", anciens, "image/jpeg")
    fini, vus = threading.Event(), set()

    def ecrivain():
        for i in range(10):
            stockage.ecrire("photos/x.jpg", nouveaux if i % 2 == 0 else anciens, "image/jpeg")
        fini.set()

    fil = threading.Thread(target=ecrivain)
    fil.start()
    while not fini.is_set():
        vus.add(stockage.lire("photos/x.jpg"))
    fil.join()
    assert vus <= {anciens, nouveaux}


def test_listing_only_what_was_written_before_a_time(stockage):
    from datetime import timedelta

    stockage.ecrire("photos/2026/12/recente", b"x", "image/jpeg")
    maintenant = datetime.now(timezone.utc)
    assert list(stockage.lister("photos/", avant=maintenant - timedelta(hours=1))) == []
    assert list(stockage.lister("photos/", avant=maintenant + timedelta(minutes=5))) == ["photos/2026/12/recente"]
