"""The app's connections are time-limited (statement_timeout, lock_timeout; settings with
defaults 15 s and 5 s), the imports and loads are not; a save that meets a lock or a
database that does not answer is refused with one French sentence, nothing saved, the
driver's words in the server log only."""
import logging
import threading

import pytest
import sqlalchemy as sa

from dashboard import db, settings
from dashboard.importer import palissy_import
from dashboard.reads import users
from dashboard.writes import examen
from tests.importer.import_helpers import FIXTURES

ABSENT = "postgresql+psycopg://postgres:motdepasse@/objets?host=/tmp/objets-socket-absente-4242"


def _show(engine, name: str) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SHOW {name}")).scalar()


def test_the_app_engine_is_limited_and_the_others_are_not(reference_db_url, monkeypatch):
    monkeypatch.delenv("OBJETS_STATEMENT_TIMEOUT", raising=False)
    monkeypatch.delenv("OBJETS_LOCK_TIMEOUT", raising=False)
    app = db.app_engine(reference_db_url)
    assert (_show(app, "statement_timeout"), _show(app, "lock_timeout")) == ("15s", "5s")
    plain = db.engine_for(reference_db_url)                       # imports, worker, CLI loads
    assert (_show(plain, "statement_timeout"), _show(plain, "lock_timeout")) == ("0", "0")


@pytest.mark.parametrize("value", ["15 s; DROP TABLE objet", "-c work_mem=1GB", "quinze", "1s -c x=1"])
def test_a_bad_setting_is_refused(monkeypatch, value):
    monkeypatch.setenv("OBJETS_STATEMENT_TIMEOUT", value)
    with pytest.raises(ValueError, match="OBJETS_STATEMENT_TIMEOUT"):
        settings.statement_timeout()


def test_a_long_statement_is_stopped(reference_db_url, limites):
    limites("1s", "1s")
    with pytest.raises(sa.exc.OperationalError) as stopped:
        with db.app_engine(reference_db_url).connect() as conn:
            conn.execute(sa.text("SELECT pg_sleep(3)"))
    assert db.est_delai_depasse(stopped.value)
    with pytest.raises(db.DelaiDepasse):
        with db.connect(reference_db_url, app=True) as conn:
            conn.execute(sa.text("SELECT pg_sleep(3)"))


def test_the_import_has_no_limit(fresh_database, reference_template, tmp_path, monkeypatch, limites):
    import_db_url = fresh_database(reference_template)
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path / "data"))
    limites("1ms", "1ms")   # any statement of the app would fail
    with pytest.raises(sa.exc.OperationalError):
        with db.app_engine(import_db_url).connect() as conn:
            conn.execute(sa.text("SELECT count(*) FROM commune"))
    report = palissy_import.import_palissy(import_db_url, str(FIXTURES / "opendata.csv"),
                                           report_path=tmp_path / "r.json")
    assert report["rows"] == 28


@pytest.fixture
def a_submitted_recensement(writable_demo_db_url):
    with db.engine_for(writable_demo_db_url).connect() as conn:
        user = users.load_user(conn, conn.execute(sa.text(
            "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")).scalar())
        rid, version = conn.execute(sa.text("""
            SELECT r.id, r.version FROM recensement r JOIN dossier d ON d.id = r.dossier_id
            JOIN objet o ON o.ref = r.objet_ref
            WHERE d.statut = 'submitted' AND r.statut = 'completed' AND r.recensable
              AND o.departement_code IN ('59', '62') ORDER BY r.id LIMIT 1""")).one()
    return writable_demo_db_url, user, rid, version


def test_a_save_that_meets_a_lock_is_refused_in_french(a_submitted_recensement, use_database, limites, caplog):
    url, user, rid, version = a_submitted_recensement
    use_database(url)
    limites("15s", "1s")
    holder = sa.create_engine(url, poolclass=sa.pool.NullPool).connect()
    holder.execute(sa.text("SELECT 1 FROM recensement WHERE id = :i FOR UPDATE"), {"i": rid})
    try:
        with caplog.at_level(logging.ERROR, logger="dashboard.writes.examen"):
            with pytest.raises(examen.Indisponible) as refused:
                examen.ecrire(examen.analyser, user, rid, version, etat="peril", securisation=None, notes="x",
                              fiches=[])
    finally:
        holder.rollback()
        holder.close()
    assert str(refused.value) == examen.OCCUPEE
    assert "lock" in caplog.text                                 # the driver's words: in the log
    with db.engine_for(url).connect() as conn:                    # nothing saved
        assert conn.execute(sa.text("SELECT version FROM recensement WHERE id = :i"), {"i": rid}).scalar() == version


def test_a_save_without_database_is_refused_in_french(a_submitted_recensement, use_database, caplog):
    _, user, rid, version = a_submitted_recensement
    use_database(ABSENT)
    with caplog.at_level(logging.ERROR, logger="dashboard.writes.examen"):
        with pytest.raises(examen.Indisponible) as refused:
            examen.ecrire(examen.analyser, user, rid, version, etat="peril", securisation=None, notes="x", fiches=[])
    assert str(refused.value) == examen.INDISPONIBLE
    assert "objets-socket-absente" not in str(refused.value) and "psycopg" not in str(refused.value)
    assert "objets-socket-absente" in caplog.text


def test_a_lock_held_then_released_lets_the_save_through(a_submitted_recensement, use_database, limites):
    """The lock timeout bounds the wait, it does not refuse a short one."""
    url, user, rid, version = a_submitted_recensement
    use_database(url)
    limites("15s", "5s")
    holder = sa.create_engine(url, poolclass=sa.pool.NullPool).connect()
    holder.execute(sa.text("SELECT 1 FROM recensement WHERE id = :i FOR UPDATE"), {"i": rid})
    release = threading.Timer(0.5, lambda: (holder.rollback(), holder.close()))
    release.start()
    try:
        new = examen.ecrire(examen.analyser, user, rid, version, etat="peril", securisation=None, notes="x", fiches=[])
    finally:
        release.join()
    assert new == version + 1
