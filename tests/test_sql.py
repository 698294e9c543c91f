"""Named queries: well formed, unique, and every one plans against the real schema."""
import re

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.db import sql
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


def test_fragments_are_included_where_a_statement_names_them(tmp_path):
    (tmp_path / "a.sql").write_text("-- fragment: dans_perimetre\n  AND x = :x\n\n"
                                    "-- name: une\nSELECT 1 FROM t\nWHERE true\n  -- include: dans_perimetre\n;\n")
    assert sql.parse([tmp_path / "a.sql"]) == {"une": "SELECT 1 FROM t\nWHERE true\nAND x = :x"}
    (tmp_path / "b.sql").write_text("-- name: deux\nSELECT 1\n-- include: absent\n")
    with pytest.raises(ValueError, match="fragment inconnu : absent"):
        sql.parse([tmp_path / "b.sql"])
    (tmp_path / "c.sql").write_text("-- name: dans_perimetre\nSELECT 2\n")
    with pytest.raises(ValueError, match="défini deux fois"):
        sql.parse([tmp_path / "a.sql", tmp_path / "c.sql"])


def test_shared_rules_are_written_once():
    # The carte's filters and the examen's permission rule: each in a fragment, used by several statements.
    texts = "".join(path.read_text() for path in QUERIES_DIR.glob("*.sql"))
    assert texts.count("CAST(:roles_examen AS text[])") == 1
    assert texts.count("-- include: examen_auteur_autorise") >= 4
    assert texts.count("(e|er) siècle") == 1
    # The scope of an objet o or a commune c: one place each (queries/perimetre.sql).
    assert texts.count("o.departement_code = ANY") == texts.count("c.departement_code = ANY") == 1
    assert texts.count("-- include: objet_dans_perimetre") >= 10
    assert "(e|er) siècle" in sql.statement("carte_figures_communes").text
    assert "(e|er) siècle" in sql.statement("carte_recensements_par_mois").text
