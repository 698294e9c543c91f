"""The map files of every commune of France (queries/carte_fichiers.sql): one file's bytes
for the app's route, and, for /carte, the communes in the files' order (a class per commune
is sent in that order) and the national file's URL name."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from dashboard.db import sql

FRANCE, NOMS = "communes-france", "communes-noms"


@dataclass(frozen=True)
class Fichier:
    nom: str
    empreinte: str
    gzip: bytes       # the JSON, compressed
    octets: int       # its size before compression


@dataclass(frozen=True)
class OrdreCommunes:
    """The communes of the national map, in its files' order."""
    france: str                      # the national file's URL name: "communes-france.<hash>"
    codes: tuple[str, ...]
    noms: tuple[str, ...]
    departements: tuple[str, ...]


def fichier(conn: Connection, nom: str) -> Fichier | None:
    row = sql.fetch_one(conn, "carte_fichier_lire", nom=nom)
    return Fichier(row["nom"], row["empreinte"], bytes(row["contenu"]), row["octets"]) if row else None


def ordre_communes(conn: Connection) -> OrdreCommunes | None:
    """None when the files were never built (a database loaded before them: objets setup)."""
    france = sql.fetch_scalar(conn, "carte_fichier_empreinte", nom=FRANCE)
    noms = fichier(conn, NOMS)
    if france is None or noms is None:
        return None
    contenu = json.loads(gzip.decompress(noms.gzip))
    departements = tuple(dep for dep, _, count in contenu["d"] for _ in range(count))
    return OrdreCommunes(f"{FRANCE}.{france}", tuple(contenu["c"]), tuple(contenu["n"]), departements)


def geometries_communes(conn: Connection, scope) -> tuple[tuple, tuple, tuple, list[bytes]]:
    """(codes, names, départements, WKB) of the communes of the scope, display geometry: the
    GeoJSON download of France by commune (real positions, no inset)."""
    df = sql.fetch_df(conn, "carte_geom_communes", region=None, departement=None, **scope.params())
    return tuple(df["code"]), tuple(df["nom"]), tuple(df["departement"]), [bytes(w) for w in df["wkb"]]
