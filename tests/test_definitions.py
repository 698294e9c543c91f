"""The schema converges: built from zero or upgraded from any earlier revision, with the
shared definitions (queries/definitions/) applied after every upgrade, a database ends with
the same functions, views, tables, indexes, constraints, triggers and types."""
import importlib
import re

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from dashboard import db
from dashboard.ops import definitions, migrate

# Objects of the public schema that an extension (PostGIS, unaccent) owns are not ours.
_OURS = """NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.objid = {oid} AND dep.deptype = 'e')"""

SNAPSHOT = {
    "functions": f"""
        SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid)
        FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND {_OURS.format(oid='p.oid')}""",
    "views": f"""
        SELECT c.relname, pg_get_viewdef(c.oid)
        FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
          AND {_OURS.format(oid='c.oid')}""",
    # A column's position among the live ones: what SELECT * gives (dropped columns leave holes).
    "columns": f"""
        SELECT c.relname || '.' || a.attname,
               concat_ws(' ', row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
                         format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated,
                         pg_get_expr(d.adbin, d.adrelid), co.collname, col_description(c.oid, a.attnum))
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 100
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v')
          AND {_OURS.format(oid='c.oid')}""",
    "indexes": """
        SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'""",
    "constraints": """
        SELECT conrelid::regclass::text || '.' || conname,
               concat_ws(' ', pg_get_constraintdef(oid), condeferrable, condeferred)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 'spatial_ref_sys'::regclass""",
    "triggers": """
        SELECT tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(oid)
        FROM pg_trigger WHERE NOT tgisinternal""",
    "types": f"""
        SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = 'public'::regnamespace AND {_OURS.format(oid='t.oid')}
        GROUP BY t.typname""",
    "sequences": """
        SELECT sequencename, concat_ws(' ', data_type, increment_by) FROM pg_sequences WHERE schemaname = 'public'""",
}


def schema(url: str) -> dict[str, dict[str, str]]:
    with db.engine_for(url).connect() as conn:
        return {kind: dict(conn.execute(sa.text(query)).all()) for kind, query in SNAPSHOT.items()}


def differences(got: dict, expected: dict) -> list[str]:
    out = []
    for kind in SNAPSHOT:
        for name in sorted(set(got[kind]) | set(expected[kind])):
            if got[kind].get(name) != expected[kind].get(name):
                out.append(f"{kind} {name}: {got[kind].get(name)!r} != {expected[kind].get(name)!r}")
    return out


@pytest.fixture(scope="module")
def from_zero(fresh_database) -> dict:
    url = fresh_database(None)
    migrate.upgrade(url)
    snapshot = schema(url)
    assert {"dans_perimetre_utilisateur", "objet_situation", "data_version_transaction.xid"} <= {
        name.split("(")[0] for kind in ("functions", "views", "columns") for name in snapshot[kind]}
    return snapshot


def _earlier() -> list[tuple[str, ...]]:
    """Every revision but the heads, alone, and each set of branch heads reached before a merge."""
    script = ScriptDirectory(str(migrate.MIGRATIONS))
    heads = set(script.get_heads())
    revisions = [r for r in script.walk_revisions() if r.revision not in heads]
    merged = [r.down_revision for r in script.walk_revisions() if isinstance(r.down_revision, tuple)]
    return sorted({(r.revision,) for r in revisions} | {tuple(sorted(m)) for m in merged})


def test_the_upgrade_paths_are_the_revisions():
    assert ("0001",) in _earlier() and ("0003", "0004") in _earlier()
    assert len(migrate.heads()) == 1  # branches meet in a merge revision


@pytest.mark.parametrize("revisions", _earlier(), ids="+".join)
def test_upgrading_from_an_earlier_revision_gives_the_schema_from_zero(fresh_database, from_zero, revisions):
    url = fresh_database(None)
    for revision in revisions:
        migrate.upgrade(url, revision)
    assert migrate.current(url) == ", ".join(revisions)
    migrate.upgrade(url)
    assert differences(schema(url), from_zero) == []


def test_definitions_are_applied_again_by_every_upgrade(fresh_database, from_zero):
    """A database whose definitions differ (an older body, a view with other columns, a
    dropped function) gets today's at the next upgrade, even with no migration to run."""
    url = fresh_database(None)
    migrate.upgrade(url)
    with db.engine_for(url).begin() as conn:
        conn.execute(sa.text("""
            CREATE OR REPLACE FUNCTION niveau_urgence(loc localisation, etat etat_sanitaire, secu securisation)
                RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN etat = 'peril' THEN 'prioritaire' END $$;
            DROP VIEW pop_correction;
            DROP VIEW objet_situation;
            CREATE VIEW objet_situation AS
                SELECT o.ref, c.urgence, o.commune_code
                FROM objet o LEFT JOIN recensement_courant c ON c.objet_ref = o.ref;
            DROP FUNCTION maj_recensement_courant;
        """))
    assert differences(schema(url), from_zero) != []
    migrate.upgrade(url)
    assert differences(schema(url), from_zero) == []
    migrate.upgrade(url)  # and again: idempotent
    assert differences(schema(url), from_zero) == []


def _frozen_view(module: str, view: str) -> str:
    """A view as a frozen migration created it (migrations are never edited)."""
    source = importlib.import_module(f"dashboard.migrations.versions.{module}")
    text = source.VIEWS if hasattr(source, "VIEWS") else source.SCHEMA
    return re.search(rf"^CREATE VIEW {view} AS\n.*?;$", text, re.MULTILINE | re.DOTALL).group(0)


# What the first 0001 created (before commit 47d96df edited it, while 0003 already existed).
FIRST_0001 = """
DROP TRIGGER recensement_courant_objet ON objet;
DROP FUNCTION recensement_courant_apres_objet();
DROP INDEX commune_nom_normalise_idx;
ALTER TABLE commune DROP COLUMN nom_normalise;
CREATE INDEX commune_nom_norm_idx ON commune (normalise_texte(nom));
DROP VIEW pop_correction, objet_situation, recensement_courant, recensement_effectif;
ALTER TABLE objet_recensement_courant DROP COLUMN departement_code;
CREATE INDEX objet_recensement_courant_urgence_idx ON objet_recensement_courant (objet_ref) WHERE urgence IS NOT NULL;
CREATE VIEW recensement_effectif AS
SELECT r.id,
       r.objet_ref,
       r.dossier_id,
       d.commune_code AS dossier_commune_code,
       r.recense_le,
       r.localisation,
       r.localisation = 'absent' AS disparu,
       coalesce(r.recensable, false) AND r.localisation IS DISTINCT FROM 'absent' AS recensable,
       CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
            THEN coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire) END AS etat_sanitaire,
       CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
            THEN coalesce(r.analyse_securisation, r.securisation) END AS securisation,
       r.analyse_etat_sanitaire IS NOT NULL OR r.analyse_securisation IS NOT NULL AS corrige,
       r.analyse_le IS NOT NULL AS analyse,
       r.analyse_le,
       r.autre_commune_code
FROM recensement r
JOIN dossier d ON d.id = r.dossier_id
WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL;
CREATE OR REPLACE FUNCTION maj_recensement_courant(refs text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF refs IS NULL THEN
        DELETE FROM objet_recensement_courant;
        INSERT INTO objet_recensement_courant (objet_ref, recensement_id, urgence)
        SELECT DISTINCT ON (objet_ref) objet_ref, id, niveau_urgence(localisation, etat_sanitaire, securisation)
        FROM recensement_effectif
        ORDER BY objet_ref, recense_le DESC, id DESC;
    ELSE
        DELETE FROM objet_recensement_courant WHERE objet_ref = ANY (refs);
        INSERT INTO objet_recensement_courant (objet_ref, recensement_id, urgence)
        SELECT DISTINCT ON (objet_ref) objet_ref, id, niveau_urgence(localisation, etat_sanitaire, securisation)
        FROM recensement_effectif
        WHERE objet_ref = ANY (refs)
        ORDER BY objet_ref, recense_le DESC, id DESC;
    END IF;
END $$;
"""


ONE_RECENSEMENT = """
INSERT INTO region (code, nom) VALUES ('32', 'Hauts-de-France');
INSERT INTO departement (code, nom, region_code) VALUES ('59', 'Nord', '32'), ('62', 'Pas-de-Calais', '32');
INSERT INTO commune (code_insee, nom, departement_code) VALUES ('59350', 'Lille', '59');
INSERT INTO objet (ref, titre, commune_code, departement_code, dans_perimetre, provenance)
VALUES ('PM59000001', 'Calice', '59350', '59', true, 'demo');
INSERT INTO dossier (id, commune_code, statut, submitted_at) VALUES (1, '59350', 'submitted', now());
INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, recensable, etat_sanitaire, recense_le)
VALUES ('PM59000001', 1, 'completed', 'edifice_initial', true, 'peril', now());
"""


def test_a_database_migrated_with_the_first_0001_converges(fresh_database, from_zero):
    """0001 was edited after 0003 existed: such a database lacked the edit's columns, index,
    trigger and view columns; the upgrade adds them, its data kept."""
    url = fresh_database(None)
    migrate.upgrade(url, "0003")
    migrate.upgrade(url, "0004")
    with db.engine_for(url).begin() as conn:
        conn.execute(sa.text(FIRST_0001))
        for module, view in (("0001_foundation", "recensement_courant"), ("0001_foundation", "objet_situation"),
                             ("0003_examen", "pop_correction")):
            conn.execute(sa.text(_frozen_view(module, view)))
        conn.execute(sa.text(ONE_RECENSEMENT))
        assert conn.execute(sa.text("SELECT urgence FROM objet_recensement_courant")).scalar() == "prioritaire"
    migrate.upgrade(url)
    assert differences(schema(url), from_zero) == []
    with db.engine_for(url).begin() as conn:
        current = "SELECT urgence, departement_code FROM objet_recensement_courant WHERE objet_ref = 'PM59000001'"
        assert conn.execute(sa.text(current)).one() == ("prioritaire", "59")
        assert conn.execute(sa.text("SELECT nom_normalise FROM commune")).scalar() == "lille"
        conn.execute(sa.text("UPDATE objet SET departement_code = '62'"))
        assert conn.execute(sa.text(current)).one() == ("prioritaire", "62")


def test_definition_files_hold_only_replaceable_definitions():
    """Applied at every upgrade, a file must be idempotent: CREATE OR REPLACE of functions and
    views only; tables, indexes, triggers, data and drops belong to migrations."""
    for path in definitions.files():
        assert re.fullmatch(r"\d\d_[a-z_]+\.sql", path.name), path.name
        code = re.sub(r"\$\$.*?\$\$", "$$ body $$", path.read_text(), flags=re.DOTALL)  # function bodies
        code = re.sub(r"--[^\n]*", "", code)
        statements = [s.strip() for s in code.split(";") if s.strip()]
        assert statements, path.name
        for statement in statements:
            assert re.match(r"CREATE OR REPLACE (FUNCTION|VIEW) ", statement), (path.name, statement[:60])
    assert definitions.views() == ["recensement_effectif", "recensement_courant", "objet_situation",
                                   "commune_statut", "pop_correction", "commune_contactee", "commune_engagement",
                                   "objet_evolution", "changement_affiche"]
