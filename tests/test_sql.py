"""Named queries: well formed, unique, and every one plans against the real schema."""
import re
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.db import sql
from dashboard.ops.definitions import DEFINITIONS_DIR
from dashboard.settings import QUERIES_DIR


def test_queries_are_named_and_unique():
    assert len(sql.names()) >= 5
    with pytest.raises(KeyError):
        sql.statement("does_not_exist")


def test_no_value_is_formatted_into_sql():
    for path in QUERIES_DIR.glob("*.sql"):
        text = path.read_text()
        # Python placeholders (str.format, %-formatting) would mean values pasted into SQL.
        assert not re.search(r"%s|%\(\w+\)s|\{\w+\}", text), path.name


def test_every_query_plans(reference_db_url):
    """EXPLAIN each statement with NULL for its parameters: a typo or a missing column fails.
    (The import's and the reference loader's statements read their temporary staging tables:
    their own tests run them; utility statements have no plan.)"""
    planned = 0
    staged = {name for path in [*QUERIES_DIR.glob("import_*.sql"), QUERIES_DIR / "reference.sql"]
              for name in re.findall(r"^--\s*name:\s*(\w+)", path.read_text(), re.MULTILINE)}
    with db.engine_for(reference_db_url).connect() as conn:
        for name in sql.names():
            statement = sql.statement(name)
            verb = re.sub(r"^(\s*--[^\n]*\n)*\s*", "", statement.text).split(None, 1)[0].upper()
            if verb not in {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE"} or name in staged:
                continue
            planned += 1
            params = {key: None for key in statement.compile().params}
            conn.execute(sa.text("EXPLAIN " + statement.text), params)
    assert planned >= 5


def test_statements_are_read_by_name(tmp_path):
    (tmp_path / "a.sql").write_text("-- A file comment.\n\n-- name: une\n-- What it does.\nSELECT 1 FROM t\n"
                                    "  -- tout_nouveau: a comment that names a value\nWHERE true;\n"
                                    "--name: deux\nSELECT 2;\n")
    assert sql.parse([tmp_path / "a.sql"]) == {
        "une": "-- What it does.\nSELECT 1 FROM t\n  -- tout_nouveau: a comment that names a value\nWHERE true",
        "deux": "SELECT 2"}
    (tmp_path / "c.sql").write_text("-- name: une\nSELECT 2\n")
    with pytest.raises(ValueError, match="définie deux fois"):
        sql.parse([tmp_path / "a.sql", tmp_path / "c.sql"])


@pytest.mark.parametrize("line", [
    "  -- include: objet_dans_perimetre",     # a leftover of the former fragments
    "--include:objet_dans_perimetre",
    "  -- includes: objet_dans_perimetre",
    "-- Include: objet_dans_perimetre",
    "-- fragment: objet_dans_perimetre",
    "  -- name: indented",                   # would have been a comment inside the previous statement
    "-- names: deux",
    "-- name: Majuscule",
    "-- name: deux mots",
    "-- name:",
])
def test_a_line_that_looks_like_a_directive_is_refused(tmp_path, line):
    """Read as a plain comment, such a line would silently drop the condition it meant to add."""
    (tmp_path / "a.sql").write_text(f"-- name: une\nSELECT 1 FROM t\nWHERE true\n{line}\n")
    with pytest.raises(ValueError, match=r"a\.sql, ligne 4 : directive inconnue"):
        sql.parse([tmp_path / "a.sql"])


def _all_sql() -> dict[str, str]:
    paths = [*QUERIES_DIR.glob("*.sql"), *DEFINITIONS_DIR.glob("*.sql")]
    return {str(path.relative_to(QUERIES_DIR)): path.read_text() for path in paths}


def test_shared_rules_are_written_once():
    """Each shared rule is written in one place, a function or view of queries/definitions/."""
    files = _all_sql()
    texts = "".join(files.values())
    # The user's scope: its condition is written once, in the function (every statement hands
    # :departements and :commune to it: see the next test).
    scope = re.compile(r"departement_code\s*=\s*ANY\s*\(\s*departements\s*\)", re.IGNORECASE)
    assert [name for name, text in files.items() if scope.search(text)] == [
        "definitions/10_perimetre.sql"]
    assert len(scope.findall(texts)) == 1
    # Who may examine, the siècle filter of the carte, the figures of a dossier, the urgency rule.
    assert texts.count("u.role::text = ANY") == 1
    assert texts.count("(e|er) siècle") == 1
    assert texts.count("niveau_urgence(r.localisation, r.etat_sanitaire, r.securisation) = 'prioritaire'") == 1
    assert texts.count("WHEN loc = 'absent' OR etat = 'peril' THEN 'prioritaire'") == 1


def test_every_scoped_statement_applies_the_scope_function():
    """A statement that takes the scope parameters hands them to dans_perimetre_utilisateur()
    (directly, or through carte_objets(), pilotage_objets() or pilotage_recensements(),
    which do)."""
    through = ("carte_objets(", "pilotage_objets(", "pilotage_recensements(")
    definitions = "".join(path.read_text(encoding="utf-8") for path in DEFINITIONS_DIR.glob("*.sql"))
    for function in through:
        body = definitions.split(f"CREATE OR REPLACE FUNCTION {function}", 1)[1].split("$$;", 1)[0]
        assert "dans_perimetre_utilisateur(" in body or "pilotage_objets(" in body, function
    scoped = [name for name in sql.names() if ":departements" in sql.statement(name).text]
    assert len(scoped) >= 20
    for name in scoped:
        text = sql.statement(name).text
        calls = text.count("dans_perimetre_utilisateur(") + sum(text.count(f) for f in through)
        assert calls >= 1, name
        # Every mention of the parameters is an argument of those calls, never a condition of its own.
        assert text.count(":departements") == calls, name
    # The writes that check their author's stored role: the examen's six (with the dossier sent
    # back to its commune), the déploiement's six (a contact recorded or corrected; a campaign
    # created, its communes, status or dates changed), the questionnaire's six (a dossier
    # started and submitted, a recensement created and saved, a photo added and removed).
    assert sum("auteur_autorise(" in sql.statement(name).text for name in sql.names()) == 18


def _frame(url, query):
    with db.engine_for(url).connect() as conn:
        return sql.to_frame(conn.execute(sa.text(query)))


def test_a_null_text_is_none_even_next_to_a_string(reference_db_url):
    """pandas 3 reads text as its `str` dtype, where NULL becomes NaN (truthy: `note or ""` was "nan")."""
    frame = _frame(reference_db_url, "SELECT * FROM (VALUES (1, 'une note'::text, NULL::text), (2, NULL, NULL)) "
                                     "AS t(id, note, vide) ORDER BY id")
    assert frame["note"].dtype == object and frame["vide"].dtype == object
    assert frame["note"].tolist() == ["une note", None] and frame["vide"].tolist() == [None, None]
    assert frame["note"][1] is None and frame["vide"][0] is None
    row = frame.iloc[1]
    assert (row["note"] or "") == "" and (frame.iloc[0]["note"] or "") == "une note"
    assert frame.to_dict("records")[1] == {"id": 2, "note": None, "vide": None}


def test_numbers_stay_numeric_with_nulls(reference_db_url):
    frame = _frame(reference_db_url, """
        SELECT * FROM (VALUES (1, 10::bigint, 1.5::float8, NULL::int, 2.5::numeric),
                              (2, NULL, NULL, NULL, NULL)) AS t(id, n, x, rien, d)
        ORDER BY id""")
    assert str(frame["id"].dtype) == "int64"
    assert str(frame["n"].dtype) == "float64" and frame["n"][0] == 10 and pd.isna(frame["n"][1])
    assert str(frame["x"].dtype) == "float64" and pd.isna(frame["x"][1])
    assert str(frame["rien"].dtype) == "float64" and frame["rien"].isna().all()
    assert str(frame["d"].dtype) == "float64" and frame["d"][0] == 2.5 and pd.isna(frame["d"][1])
    assert frame["n"].sum() == 10


def test_other_types_keep_python_values_and_none(reference_db_url):
    frame = _frame(reference_db_url, """
        SELECT * FROM (VALUES (1, ARRAY['a', 'b'], DATE '2024-05-01', 'classe'::protection, true, true,
                               TIMESTAMPTZ '2024-05-01 10:00+00', NULL::timestamptz),
                              (2, ARRAY[]::text[], NULL, NULL, NULL, false, NULL, NULL),
                              (3, NULL, NULL, NULL, false, true, NULL, NULL))
        AS t(id, tags, le, protection, drapeau, vrai, quand, jamais) ORDER BY id""")
    assert frame["tags"].tolist() == [["a", "b"], [], None]
    assert frame["le"].tolist() == [date(2024, 5, 1), None, None]
    assert frame["protection"].tolist() == ["classe", None, None]
    assert frame["drapeau"].tolist() == [True, None, False] and frame["drapeau"][1] is None
    assert str(frame["vrai"].dtype) == "bool"
    # Timestamps are typed: NaT for NULL, even in a column of NULLs only.
    assert str(frame["quand"].dtype).startswith("datetime64") and pd.isna(frame["quand"][1])
    assert str(frame["jamais"].dtype).startswith("datetime64")


def test_an_empty_result_keeps_its_columns_and_types(reference_db_url):
    frame = _frame(reference_db_url, "SELECT 1 AS n, 'x'::text AS t, now() AS quand WHERE false")
    assert frame.empty and list(frame.columns) == ["n", "t", "quand"]
    assert str(frame["n"].dtype) == "float64" and frame["t"].dtype == object
    assert str(frame["quand"].dtype).startswith("datetime64")


def test_fetch_df_reads_a_named_statement(reference_db_url):
    with db.engine_for(reference_db_url).connect() as conn:
        frame = sql.fetch_df(conn, "carte_departements", departements=["62", "2A"])
    assert len(frame) == 2 and frame.notna().all().all()
