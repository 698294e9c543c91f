"""The map files of every commune of France (issue 16), built from the display geometries
once, at reference load time (and by `objets setup` for a database loaded before they
existed), stored in the database (table carte_fichier, migration 0012) so that every
replica of the app serves the same bytes (dashboard/app/fichiers_carte.py).

Each file is JSON (geo.nationale), gzip-compressed once here, named with a hash of its
content: a new content, a new URL. The national file names the départements' files (their
hashes included), so its own hash changes when any of them does.

The heavy part (generalisation, encoding, compression) needs no database: preparer(). The
reference load runs it in a thread while it inserts the rest (dashboard/ops/reference.py);
generer() then writes that preparation only if the database holds exactly the communes it
was computed from, and otherwise computes it again from the database.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import time
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy.engine import Connection

from dashboard.db import sql
from geo import insets, nationale

FRANCE, NOMS = "communes-france", "communes-noms"


def nom_departement(code: str) -> str:
    return f"communes-{code.lower()}"


def empaqueter(contenu: dict) -> tuple[str, bytes, int]:
    """(hash, gzip bytes, size before compression) of a file's JSON. mtime=0: the same
    content gives the same bytes, hence the same hash, on every machine."""
    texte = json.dumps(contenu, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(texte).hexdigest()[:16], gzip.compress(texte, 9, mtime=0), len(texte)


@dataclass(frozen=True)
class Communes:
    """The communes drawn on the map (a display geometry), in the files' order."""
    codes: np.ndarray
    noms: np.ndarray
    deps: np.ndarray
    geoms: np.ndarray

    @classmethod
    def en_ordre(cls, codes, noms, deps, geoms) -> Communes:
        """From arrays in any order, communes without geometry left out."""
        geoms = np.asarray(geoms, dtype=object)
        garder = np.flatnonzero(~shapely.is_missing(geoms))
        codes, noms, deps = (np.asarray(a, dtype=object)[garder] for a in (codes, noms, deps))
        ordre = nationale.ordre(codes, deps)
        return cls(codes[ordre], noms[ordre], deps[ordre], geoms[garder][ordre])

    def empreintes(self) -> list[tuple[str, str, str, str]]:
        """(code, name, département, md5 of the geometry's WKB) of each commune, sorted."""
        wkb = shapely.to_wkb(self.geoms)
        return sorted(zip(map(str, self.codes), map(str, self.noms), map(str, self.deps),
                          (hashlib.md5(w).hexdigest() for w in wkb)))


@dataclass(frozen=True)
class Preparation:
    """What preparer() computed: the départements' files, packed, and the generalised communes."""
    communes: Communes
    empreintes: list[tuple[str, str, str, str]]
    bornes: dict
    departements: dict[str, tuple[str, bytes, int]]
    generalisees: np.ndarray


def lire_communes(conn: Connection) -> Communes:
    rows = conn.execute(sql.statement("carte_fichiers_source")).all()
    geoms = shapely.from_wkb([bytes(r[3]) for r in rows]) if rows else np.array([], dtype=object)
    return Communes.en_ordre([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], geoms)


def preparer(communes: Communes) -> Preparation:
    """The départements' files at full detail and the communes generalised for the national
    file: the heavy part, without the database (GEOS and zlib release the GIL: a thread runs
    it beside the load's inserts)."""
    deps, geoms = communes.deps, communes.geoms
    bornes = nationale.bornes_encarts(deps, geoms)
    detaillees = nationale.en_encart(deps, geoms, bornes)
    departements = {dep: empaqueter(nationale.departement(detaillees[first:first + count], first))
                    for dep, first, count in nationale.plages(deps)}
    generalisees = nationale.en_encart(deps, nationale.generaliser(geoms, deps), bornes)
    return Preparation(communes, communes.empreintes(), bornes, departements, generalisees)


def conforme(conn: Connection, preparation: Preparation) -> bool:
    """Whether the database draws exactly the communes of the preparation: codes, names,
    départements and display geometries (compared by the md5 of their WKB)."""
    rows = sql.execute(conn, "carte_fichiers_empreintes").all()
    return sorted((r[0], r[1], r[2], r[3]) for r in rows) == preparation.empreintes


def _inserer(conn: Connection, nom: str, paquet: tuple[str, bytes, int]) -> str:
    empreinte, octets_gz, octets = paquet
    sql.execute(conn, "carte_fichier_ecrire", nom=nom, empreinte=empreinte, contenu=octets_gz, octets=octets)
    return f"{nom}.{empreinte}"


def generer(conn: Connection, echo=lambda msg: None, preparation: Preparation | None = None) -> dict:
    """Build and store every map file (replacing those there); returns what was written.
    `preparation`: preparer()'s result computed beforehand, used if the database holds its
    communes (conforme()), else computed again here."""
    started = time.perf_counter()
    if preparation is not None and not conforme(conn, preparation):
        echo("fichiers de la carte des communes : les communes ont changé, calcul à partir de la base…")
        preparation = None
    if preparation is None:
        echo("fichiers de la carte des communes : détail par département, France généralisée à 500 m…")
        preparation = preparer(lire_communes(conn))
    communes = preparation.communes
    sql.execute(conn, "carte_fichiers_vider")
    fichiers = {dep: _inserer(conn, nom_departement(dep), paquet) for dep, paquet in preparation.departements.items()}
    noms_url = _inserer(conn, NOMS, empaqueter(nationale.noms(communes.codes, communes.noms, communes.deps)))
    contours = conn.execute(sql.statement("carte_fichiers_departements")).all()
    contours = [insets.place(code, shapely.from_wkb(bytes(wkb)), preparation.bornes.get(code)) for code, wkb in contours]
    contenu = nationale.france(communes.deps, preparation.generalisees, fichiers, contours)
    contenu["noms"] = noms_url
    france = _inserer(conn, FRANCE, empaqueter(contenu))
    bilan = dict(sql.fetch_one(conn, "carte_fichiers_bilan"))
    return {**bilan, "france": france, "communes": len(communes.codes),
            "secondes": round(time.perf_counter() - started, 1)}


def manquants(conn: Connection) -> bool:
    """Whether the national file is missing (a database loaded before migration 0012)."""
    return sql.fetch_scalar(conn, "carte_fichier_empreinte", nom=FRANCE) is None
