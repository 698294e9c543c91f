"""The default storage: a directory (settings.stockage_photos(), photos/ in the data
directory). For a single app server, or several sharing one file system."""
from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Iterator

from dashboard.stockage.base import ObjetIntrouvable, StockageIndisponible, verifier_cle


class StockageRepertoire:
    def __init__(self, racine: Path):
        self.racine = Path(racine)

    def __repr__(self) -> str:
        return f"StockageRepertoire({str(self.racine)!r})"

    def _chemin(self, cle: str) -> Path:
        chemin = self.racine / verifier_cle(cle)
        # The key's shape already forbids "..": this also stops a symbolic link inside the tree.
        if not chemin.resolve().is_relative_to(self.racine.resolve()):
            raise ValueError(f"clé de stockage hors du répertoire : {cle!r}")
        return chemin

    def ecrire(self, cle: str, contenu: bytes, type_mime: str) -> None:
        chemin = self._chemin(cle)
        try:
            chemin.parent.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a reader sees the old file or the new one, whole.
            fd, provisoire = tempfile.mkstemp(dir=chemin.parent, prefix=".ecriture-")
            try:
                with os.fdopen(fd, "wb") as sortie:
                    sortie.write(contenu)
                    sortie.flush()
                    os.fsync(sortie.fileno())
                os.replace(provisoire, chemin)
            except BaseException:
                Path(provisoire).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StockageIndisponible(f"Les photos n'ont pas pu être enregistrées dans {self.racine} "
                                       f"({exc.strerror or exc}).") from exc

    def lire(self, cle: str) -> bytes:
        chemin = self._chemin(cle)
        try:
            return chemin.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ObjetIntrouvable(cle) from None
        except OSError as exc:
            raise StockageIndisponible(f"Les photos n'ont pas pu être lues dans {self.racine} "
                                       f"({exc.strerror or exc}).") from exc

    def supprimer(self, cle: str) -> None:
        try:
            self._chemin(cle).unlink(missing_ok=True)
        except OSError as exc:
            raise StockageIndisponible(f"Une photo n'a pas pu être supprimée dans {self.racine} "
                                       f"({exc.strerror or exc}).") from exc

    def existe(self, cle: str) -> bool:
        return self._chemin(cle).is_file()

    def lister(self, prefixe: str, avant: datetime | None = None) -> Iterator[str]:
        prefixe = prefixe.strip("/")
        dossier = self._chemin(prefixe) if prefixe else self.racine
        if not dossier.is_dir():
            return
        limite = avant.timestamp() if avant else None
        for chemin in sorted(dossier.rglob("*")):
            if chemin.is_file() and not chemin.name.startswith("."):   # not a write in progress
                if limite is None or chemin.stat().st_mtime < limite:
                    yield chemin.relative_to(self.racine).as_posix()

    def lien(self, cle: str, secondes: int = 3600) -> None:
        verifier_cle(cle)
        return None
