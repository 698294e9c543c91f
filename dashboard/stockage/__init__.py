"""Storage of files by key (issue 15: the copies of the photos): a directory by default,
S3-compatible object storage when several replicas of the app serve.

Every backend offers the same operations (`Stockage`): ecrire (put), lire (get), supprimer
(delete), existe, lister and lien (a time-limited URL the browser can fetch, or None: then
the app serves the bytes from lire). Keys are made here (`cles.nouvelle`), never from a
file's name; each backend refuses any other shape of key. Failures of the storage itself
raise StockageIndisponible with a French message; a missing key raises ObjetIntrouvable.

`ouvrir()` gives the storage that settings.stockage_photos() names, one per address.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dashboard import settings
from dashboard.stockage.base import ObjetIntrouvable, Stockage, StockageIndisponible

__all__ = ["ObjetIntrouvable", "Stockage", "StockageIndisponible", "ouvrir"]


def ouvrir(adresse: Path | settings.StockageS3 | None = None) -> Stockage:
    """The storage at `adresse` (default: settings.stockage_photos()), made once per address
    (an S3 client is thread-safe and costs tens of milliseconds to build)."""
    return _ouvrir(adresse if adresse is not None else settings.stockage_photos())


@lru_cache(maxsize=8)
def _ouvrir(adresse: Path | settings.StockageS3) -> Stockage:
    if isinstance(adresse, settings.StockageS3):
        from dashboard.stockage.s3 import StockageS3

        return StockageS3(adresse)
    from dashboard.stockage.repertoire import StockageRepertoire

    return StockageRepertoire(Path(adresse))
