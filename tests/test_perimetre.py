"""The user's scope is one SQL function, dans_perimetre_utilisateur(), and the shared rules
are functions too (queries/definitions/): the planner must inline them, so that every plan
is the plan of the conditions written in place, index scans included."""
import re

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.db import sql
from dashboard.domain.identity import Scope

INLINED = ("dans_perimetre_utilisateur", "carte_objets", "dossier_chiffres", "recense_dans_le_cycle",
           "recense_dans_l_annee", "categories_comptees", "dossier_accepte", "pilotage_objets", "pilotage_recensements")

# The condition the function replaced, as statements wrote it before.
_CALL = re.compile(r"dans_perimetre_utilisateur\(([\w.]+), ([\w.]+),\s*"
                   r"(CAST\(:departements AS text\[\]\)), (CAST\(:commune AS text\)|NULL)\)")


def _written_out(match: re.Match) -> str:
    departement, commune, departements, commune_param = match.groups()
    condition = f"({departements} IS NULL OR {departement} = ANY ({departements}))"
    if commune_param != "NULL":
        condition += f" AND ({commune_param} IS NULL OR {commune} = {commune_param})"
    return f"({condition})"


@pytest.fixture(scope="module")
def conn(demo_db_url):
    with db.engine_for(demo_db_url).connect() as connection:
        yield connection
        connection.rollback()


@pytest.fixture(scope="module")
def values(conn):
    """Parameters with real values of the demo (a commune of the Nord with objets...)."""
    one = lambda query: conn.execute(sa.text(query)).scalar()  # noqa: E731
    code = one("SELECT commune_code FROM objet WHERE departement_code = '59' AND commune_code IS NOT NULL "
               "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    recensement = one("SELECT recensement_id FROM objet_recensement_courant WHERE departement_code = '59' "
                      "ORDER BY 1 LIMIT 1")
    return dict(code=code, ref=one(f"SELECT objet_ref FROM recensement WHERE id = {recensement}"),
                id=one(f"SELECT dossier_id FROM recensement WHERE id = {recensement}"), recensement_id=recensement,
                user_id=one("SELECT id FROM app_user WHERE role = 'conservateur' ORDER BY id LIMIT 1"),
                roles_examen=["admin", "conservateur"], version=1, voit_securisation=True, signales=False,
                fiches=[], etat="bon", visite="aucune",
                # The déploiement's writes (contacts, campaigns): values that keep their plans whole.
                roles=["admin", "deploiement"], de="draft", vers="planned", modifiables=["draft", "planned"],
                codes=[code], canal="telephone", resultat="interessee", statut="draft", departement="59",
                # The questionnaire's writes (issue 15).
                commune_code=code, dossier_id=one(f"SELECT dossier_id FROM recensement WHERE id = {recensement}"),
                objet_ref=one(f"SELECT objet_ref FROM recensement WHERE id = {recensement}"), photos_max=6, photo_id=1, complet=True,
                localisation="edifice_initial", recensable=True, etape="verification")


SCOPES = {"national": Scope(), "departements": Scope(departements=("59", "62")), "commune": "59"}


def _scope(name: str, values: dict) -> dict:
    scope = SCOPES[name]
    if isinstance(scope, str):
        scope = Scope(departements=(scope,), commune=values["code"])
    return scope.params()


def _plan(conn, text: str, params: dict, verbose: bool = False) -> str:
    statement = sa.text(f"EXPLAIN (COSTS OFF{', VERBOSE' if verbose else ''}) " + text)
    bound = {key: params.get(key) for key in statement.compile().params}
    return "\n".join(row[0] for row in conn.execute(statement, bound))


def _scoped() -> list[str]:
    return [name for name in sql.names() if ":departements" in sql.statement(name).text]


def test_the_functions_are_declared_inlinable(conn):
    """What PostgreSQL requires to inline a SQL function (inline_function and
    inline_set_returning_function): no STRICT, SECURITY DEFINER or SET, not VOLATILE."""
    rows = conn.execute(sa.text("""
        SELECT p.proname, l.lanname, p.proisstrict, p.prosecdef, p.proconfig, p.provolatile
        FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
        WHERE p.proname = ANY (:names) AND p.pronamespace = 'public'::regnamespace"""),
        {"names": list(INLINED)}).all()
    assert sorted(r.proname for r in rows) == sorted(INLINED)
    for row in rows:
        assert (row.lanname, row.proisstrict, row.prosecdef, row.proconfig) == ("sql", False, False, None), row
        assert row.provolatile in ("i", "s"), row


@pytest.mark.parametrize("scope", SCOPES)
def test_no_shared_function_is_left_in_a_plan(conn, values, scope):
    """Inlined, the functions vanish from the plans (a Function Scan or a call per row would
    show); the author check, the same for every row, is a one-time filter."""
    params = {**values, **_scope(scope, values)}
    for name in _scoped():
        text = sql.statement(name).text
        plan = _plan(conn, text, params, verbose=True)
        for function in INLINED:
            assert function not in plan, (name, plan)
        if "auteur_autorise(" in text:
            # A campaign belongs to a département: its statements give the scope no commune
            # (NULL), so a commune's scope is refused outright, a constant the planner folds.
            refus_constant = scope == "commune" and re.search(r"dans_perimetre_utilisateur\([\w.]+, NULL,", text) \
                and "One-Time Filter: false" in plan
            assert "One-Time Filter: auteur_autorise(" in plan or refus_constant, (name, plan)


@pytest.mark.parametrize("scope", SCOPES)
def test_each_plan_is_the_plan_of_the_condition_written_out(conn, values, scope):
    params = {**values, **_scope(scope, values)}
    compared = 0
    for name in _scoped():
        text = sql.statement(name).text
        if not _CALL.search(text):
            continue
        assert _plan(conn, text, params) == _plan(conn, _CALL.sub(_written_out, text), params), name
        compared += 1
    assert compared >= 20


URGENCES = """
SELECT u.objet_ref, o.titre, c.recense_le
FROM objet_recensement_courant u
JOIN objet o ON o.ref = u.objet_ref
JOIN recensement_effectif c ON c.id = u.recensement_id
WHERE u.urgence IS NOT NULL
  AND dans_perimetre_utilisateur(u.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
"""


def test_urgent_cases_of_a_scope_stay_one_index_range(conn, values):
    """How queries/urgences.sql calls the scope: the département of objet_recensement_courant
    (its partial index on (departement_code, objet_ref) WHERE urgence IS NOT NULL) and the
    objet's commune. The planner keeps that index range."""
    for scope in ("departements", "commune"):
        params = _scope(scope, values)
        assert _plan(conn, URGENCES, params) == _plan(conn, _CALL.sub(_written_out, URGENCES), params)
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))  # the demo is small: force the choice
        plan = _plan(conn, URGENCES, params)
        conn.execute(sa.text("RESET enable_seqscan"))
        deps = re.escape("{" + ",".join(params["departements"]) + "}")
        assert re.search(r"(Index (Only )?Scan using|Bitmap Index Scan on) objet_recensement_courant_urgence_idx\b.*"
                         rf"\n\s+Index Cond: \(departement_code = ANY \('{deps}'::text\[\]\)\)", plan), plan
    assert "departement_code = ANY" not in _plan(conn, URGENCES, _scope("national", values))


@pytest.mark.parametrize("name, index", [
    ("carte_figures_communes", "objet_departement_idx"),
    ("carte_recensements_par_mois", "objet_departement_idx"),
    ("chiffres_cles", "objet_departement_idx"),
    ("qualite_anomalies", "objet_anomalies_idx"),
    ("commune_fiche", "commune_pkey"),
])
def test_a_departement_scope_is_an_index_condition(conn, values, name, index):
    params = {**values, **_scope("departements", values)}
    conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = _plan(conn, sql.statement(name).text, params)
    conn.execute(sa.text("RESET enable_seqscan"))
    scan = re.search(rf"(Index Scan|Bitmap Index Scan|Index Only Scan) (using|on) {index}\b.*?\n(.*)", plan)
    assert scan, plan
    if name != "commune_fiche":  # the commune is found by its code, its département checked after
        assert "departement_code = ANY ('{59,62}'::text[])" in scan.group(3), plan
