"""The data version (queries/definitions/02_data_version.sql): it moves when a write commits,
once per transaction, and a long open write (an import) makes no other writer wait."""
import time

import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.reads import users
from dashboard.writes import examen


def _version(engine) -> int:
    with engine.connect() as conn:
        return db.data_version(conn)


@pytest.fixture
def demo(writable_demo_db_url):
    engine = sa.create_engine(writable_demo_db_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


def test_an_examen_save_does_not_wait_for_an_open_import(demo):
    with demo.begin() as conn:
        cons = users.load_user(conn, conn.execute(sa.text(
            "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")).scalar())
        rec = conn.execute(sa.text("""
            SELECT r.id, r.version, r.objet_ref, o.departement_code
            FROM recensement r JOIN dossier d ON d.id = r.dossier_id JOIN objet o ON o.ref = r.objet_ref
            WHERE d.statut = 'submitted' AND r.statut = 'completed' AND r.recensable
              AND o.departement_code = ANY (:deps)
            ORDER BY r.id LIMIT 1"""), {"deps": list(cons.scope.departements)}).mappings().one()
    before = _version(demo)

    # An import: one transaction that rewrites the département's objets (the examen's own objet
    # among them) and records its chargement, left open as during a long import.
    importing = demo.connect()
    tx = importing.begin()
    importing.execute(sa.text("SET LOCAL objets.bulk = 'on'"))
    importing.execute(sa.text("INSERT INTO chargement (nature, source) VALUES ('palissy', 'test')"))
    rewritten = importing.execute(sa.text("UPDATE objet SET titre = titre, updated_at = now() "
                                          "WHERE departement_code = :d"), {"d": rec["departement_code"]}).rowcount
    assert rewritten > 0
    try:
        assert _version(demo) == before  # an uncommitted write does not move it

        # The examen save commits while the import is still open; waiting for a lock would fail.
        started = time.perf_counter()
        with demo.begin() as conn:
            conn.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            new = examen.analyser(conn, cons, rec["id"], rec["version"], etat="mauvais", securisation=None,
                                  notes="pendant un import", fiches=[])
        assert new == rec["version"] + 1
        assert time.perf_counter() - started < 2
        after_examen = _version(demo)
        assert after_examen > before  # a reader that read `before` refetches
    finally:
        tx.commit()
        importing.close()
    after_import = _version(demo)
    assert after_import > after_examen  # and again when the import commits
    with demo.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM data_version_transaction")).scalar() == 0


def test_the_version_moves_once_per_committed_transaction(demo):
    start = _version(demo)
    with demo.begin() as conn:
        for _ in range(3):
            conn.execute(sa.text("UPDATE objet SET updated_at = now() WHERE ref = (SELECT min(ref) FROM objet)"))
        conn.execute(sa.text("UPDATE dossier SET version = version WHERE id = (SELECT min(id) FROM dossier)"))
        assert db.data_version(conn) == start  # inside the writer too: it moves at commit
    assert _version(demo) == start + 1

    with demo.connect() as conn:  # rolled back: no change, no version
        with conn.begin() as tx:
            conn.execute(sa.text("UPDATE objet SET updated_at = now() WHERE ref = (SELECT min(ref) FROM objet)"))
            tx.rollback()
    assert _version(demo) == start + 1

    with demo.begin() as conn:  # the only write was in a savepoint that was rolled back
        with conn.begin_nested() as savepoint:
            conn.execute(sa.text("UPDATE objet SET updated_at = now() WHERE ref = (SELECT min(ref) FROM objet)"))
            savepoint.rollback()
    assert _version(demo) == start + 1

    with demo.begin() as conn:  # a write after a rolled-back savepoint that had noted the transaction
        with conn.begin_nested() as savepoint:
            conn.execute(sa.text("UPDATE objet SET updated_at = now() WHERE ref = (SELECT min(ref) FROM objet)"))
            savepoint.rollback()
        conn.execute(sa.text("UPDATE objet SET updated_at = now() WHERE ref = (SELECT max(ref) FROM objet)"))
    assert _version(demo) == start + 2

    with demo.begin() as conn:  # reads and unversioned tables (page visits) do not move it
        conn.execute(sa.text("SELECT count(*) FROM objet_situation"))
        conn.execute(sa.text("INSERT INTO derniere_visite (user_id, page) SELECT min(id), 'test' FROM app_user"))
    assert _version(demo) == start + 2
    with demo.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM data_version_transaction")).scalar() == 0
