"""The two copies of a processed photo (dashboard/domain/photos.py) in the storage, under
keys made here: photos/AAAA/MM/<random>-grande.jpg and -vignette.jpg."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.domain.photos import PhotoTraitee
from dashboard.stockage.base import Stockage, StockageIndisponible, nouvelle_cle


@dataclass(frozen=True)
class ClesPhoto:
    grande: str
    vignette: str


def enregistrer(stockage: Stockage, photo: PhotoTraitee, maintenant: datetime | None = None) -> ClesPhoto:
    """Writes both copies under new keys. When the second fails, the first is removed (as
    far as the storage lets): no half photo is left behind."""
    base = nouvelle_cle("photos", maintenant)
    cles = ClesPhoto(grande=f"{base}-grande.jpg", vignette=f"{base}-vignette.jpg")
    stockage.ecrire(cles.grande, photo.grande.contenu, photo.grande.type_mime)
    try:
        stockage.ecrire(cles.vignette, photo.vignette.contenu, photo.vignette.type_mime)
    except BaseException:
        try:
            stockage.supprimer(cles.grande)
        except StockageIndisponible:
            pass                       # an orphan the purge will find (lister)
        raise
    return cles


def supprimer(stockage: Stockage, cles: ClesPhoto) -> None:
    """Removes both copies; already gone is fine."""
    stockage.supprimer(cles.grande)
    stockage.supprimer(cles.vignette)
