"""What every storage backend offers, its errors, and the keys it accepts."""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timezone
from typing import Iterator, Protocol

# Segments of lowercase letters, digits, "_", "." and "-", each starting with a letter or a
# digit: no "..", no leading "/", no name a user chose. The same shape for every backend.
FORME_CLE = re.compile(r"[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*")
LONGUEUR_MAX = 512


class StockageIndisponible(RuntimeError):
    """The storage failed (unreachable, refused, full…); str() is a French message for the
    person, without secrets."""


class ObjetIntrouvable(LookupError):
    """No object under this key."""


def verifier_cle(cle: str) -> str:
    if not isinstance(cle, str) or len(cle) > LONGUEUR_MAX or not FORME_CLE.fullmatch(cle):
        raise ValueError(f"clé de stockage invalide : {cle!r}")
    return cle


def nouvelle_cle(genre: str, maintenant: datetime | None = None) -> str:
    """A new key: genre/AAAA/MM/<32 random hex digits> (the month eases listing and purges;
    128 random bits make collisions and guessing out of reach)."""
    maintenant = maintenant or datetime.now(timezone.utc)
    return verifier_cle(f"{genre}/{maintenant:%Y/%m}/{secrets.token_hex(16)}")


class Stockage(Protocol):
    def ecrire(self, cle: str, contenu: bytes, type_mime: str) -> None:
        """Stores `contenu` under `cle`, replacing what was there; readers see the old or the
        new content whole, never a part."""

    def lire(self, cle: str) -> bytes:
        """The content under `cle`; ObjetIntrouvable when there is none."""

    def supprimer(self, cle: str) -> None:
        """Removes `cle`; nothing happens when it is already gone."""

    def existe(self, cle: str) -> bool: ...

    def lister(self, prefixe: str, avant: datetime | None = None) -> Iterator[str]:
        """The keys under `prefixe` (e.g. "photos/2026/"), only those last written before
        `avant` when given: a purge of orphaned copies leaves alone the ones whose row is
        still being written."""

    def lien(self, cle: str, secondes: int = 3600) -> str | None:
        """A URL the browser may fetch for `secondes`, or None when the app must serve the
        bytes itself (a directory)."""
