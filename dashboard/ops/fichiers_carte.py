"""The map files of every commune of France (issue 16), built from the display geometries
once, at reference load time (and by `objets setup` for a database loaded before they
existed), stored in the database (table carte_fichier, migration 0012) so that every
replica of the app serves the same bytes (dashboard/app/fichiers_carte.py).

Each file is JSON (geo.nationale), gzip-compressed once here, named with a hash of its
content: a new content, a new URL. The national file names the départements' files (their
hashes included), so its own hash changes when any of them does.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import time

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


def _ecrire(conn: Connection, nom: str, contenu: dict) -> str:
    empreinte, octets_gz, octets = empaqueter(contenu)
    sql.execute(conn, "carte_fichier_ecrire", nom=nom, empreinte=empreinte, contenu=octets_gz, octets=octets)
    return f"{nom}.{empreinte}"


def generer(conn: Connection, echo=lambda msg: None) -> dict:
    """Build and store every map file (replacing those there); returns what was written."""
    started = time.perf_counter()
    rows = conn.execute(sql.statement("carte_fichiers_source")).all()
    codes = np.array([r[0] for r in rows], dtype=object)
    noms = np.array([r[1] for r in rows], dtype=object)
    deps = np.array([r[2] for r in rows], dtype=object)
    geoms = shapely.from_wkb([bytes(r[3]) for r in rows]) if rows else np.array([], dtype=object)
    ordre = nationale.ordre(codes, deps)
    codes, noms, deps, geoms = codes[ordre], noms[ordre], deps[ordre], geoms[ordre]
    sql.execute(conn, "carte_fichiers_vider")
    echo("fichiers de la carte des communes : détail par département…")
    bornes = nationale.bornes_encarts(deps, geoms)
    detaillees = nationale.en_encart(deps, geoms, bornes)
    fichiers = {dep: _ecrire(conn, nom_departement(dep), nationale.departement(detaillees[first:first + count], first))
                for dep, first, count in nationale.plages(deps)}
    echo("fichiers de la carte des communes : France généralisée à 500 m…")
    generalisees = nationale.en_encart(deps, nationale.generaliser(geoms, deps), bornes)
    noms_url = _ecrire(conn, NOMS, nationale.noms(codes, noms, deps))
    contours = conn.execute(sql.statement("carte_fichiers_departements")).all()
    contours = [insets.place(code, shapely.from_wkb(bytes(wkb)), bornes.get(code)) for code, wkb in contours]
    contenu = nationale.france(deps, generalisees, fichiers, contours)
    contenu["noms"] = noms_url
    france = _ecrire(conn, FRANCE, contenu)
    bilan = dict(sql.fetch_one(conn, "carte_fichiers_bilan"))
    return {**bilan, "france": france, "communes": len(codes), "secondes": round(time.perf_counter() - started, 1)}


def manquants(conn: Connection) -> bool:
    """Whether the national file is missing (a database loaded before migration 0012)."""
    return sql.fetch_scalar(conn, "carte_fichier_empreinte", nom=FRANCE) is None
