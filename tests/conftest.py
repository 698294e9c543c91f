"""Test databases: real PostGIS, throwaway databases cloned from cached templates.

The `make run` database (`objets`) is never touched. Templates are named after a hash of
the code that builds them (migrations and shared definitions, reference loader, demo
generator), so a change rebuilds them and an unchanged tree reuses them across runs.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.ops import bootstrap
from dashboard import db

ROOT = Path(__file__).resolve().parents[1]
DEMO_SCALE = 0.02
DEMO_SEED = 1
# What builds the schema: the migrations, the shared definitions applied after them, and the
# code that applies both.
SCHEMA_CODE = ("dashboard/migrations/versions/*.py", "queries/definitions/*.sql", "dashboard/ops/migrate.py",
               "dashboard/ops/definitions.py")


def _code_hash(*paths: str) -> str:
    digest = hashlib.sha1()
    for pattern in paths:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _with_db(url: str, name: str) -> str:
    return db.parse_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url() -> str:
    """URL of the server's maintenance database; starts the local cluster when needed."""
    from dashboard.ops.localdb import LocalDBError

    try:
        url = bootstrap.prepare_server(echo=lambda *_: None)
        db.check(url)
    except (LocalDBError, db.DatabaseError) as exc:
        pytest.fail(f"PostGIS indisponible pour les tests : {exc}", pytrace=False)
    return _with_db(url, "postgres")


def _admin(server_url: str):
    return sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _exists(server_url: str, name: str) -> bool:
    with _admin(server_url).connect() as conn:
        return bool(conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first())


def _create(server_url: str, name: str, template: str | None = None) -> str:
    with _admin(server_url).connect() as conn:
        # Identifiers cannot be bound; these names are built here from hex digits only.
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    return _with_db(server_url, name)


def _drop(server_url: str, name: str) -> None:
    db.engine_for.cache_clear()
    with _admin(server_url).connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _build_template(server_url: str, name: str, build, source: str | None = None, *, family: str) -> None:
    """Build once, publish by rename: a half-built template is never picked up. Templates of
    the same family built from older code are dropped then (each holds gigabytes).

    The suite runs in several processes (pytest-xdist): the first to need a template builds
    it under an advisory lock, the others wait for it instead of building it again."""
    if _exists(server_url, name):
        return
    with _admin(server_url).connect() as verrou:
        verrou.execute(sa.text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": name})
        try:
            _build_template_locked(server_url, name, build, source, family=family)
        finally:
            verrou.execute(sa.text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": name})


def _build_template_locked(server_url: str, name: str, build, source: str | None, *, family: str) -> None:
    if _exists(server_url, name):
        return
    building = f"{name}_build_{uuid.uuid4().hex[:6]}"
    url = _create(server_url, building, source)
    stale: list[str] = []
    try:
        build(url)
        db.engine_for(url).dispose()
        with _admin(server_url).connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(sa.text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
            stale = conn.execute(sa.text(
                "SELECT datname FROM pg_database WHERE starts_with(datname, :family) AND datname <> :name "
                "AND strpos(datname, '_build_') = 0"), {"family": family, "name": name}).scalars().all()
    finally:
        _drop(server_url, building)
    for old in stale:
        _drop(server_url, old)


@pytest.fixture(scope="session")
def reference_template(server_url) -> str:
    name = "objets_tpl_ref_" + _code_hash(*SCHEMA_CODE, "dashboard/ops/reference.py", "geo/*.py")

    def build(url):
        bootstrap.setup(url, demo=False, echo=lambda *_: None)

    _build_template(server_url, name, build, family="objets_tpl_ref_")
    return name


@pytest.fixture(scope="session")
def demo_template(server_url, reference_template) -> str:
    # The demo is dated relative to today ("recensé depuis 5 ans" reads now()): a new day, a new template.
    name = "objets_tpl_demo_" + _code_hash(*SCHEMA_CODE, "dashboard/demo/*.py", "queries/demo.sql",
                                           "dashboard/domain/*.py",
                                           "geo/*.py") + date.today().strftime("%y%m%d")

    def build(url):
        bootstrap.migrate.upgrade(url)
        bootstrap.load_demo(url, scale=DEMO_SCALE, seed=DEMO_SEED, echo=lambda *_: None)

    _build_template(server_url, name, build, source=reference_template, family="objets_tpl_demo_")
    return name


@pytest.fixture(scope="session")
def fresh_database(server_url):
    """A factory of throwaway databases, all dropped at the end of the session."""
    made = []

    def make(template: str | None = None) -> str:
        name = f"objets_test_{uuid.uuid4().hex[:10]}"
        made.append(name)
        url = _create(server_url, name, template)
        if template is None:
            with db.engine_for(url).begin() as conn:
                conn.execute(sa.text("SELECT 1"))
        return url

    yield make
    for name in made:
        _drop(server_url, name)


@pytest.fixture(scope="session")
def reference_db_url(fresh_database, reference_template) -> str:
    """Migrated schema + reference data, no demo. Shared: do not write to it."""
    return fresh_database(reference_template)


@pytest.fixture(scope="session")
def demo_db_url(fresh_database, demo_template) -> str:
    """Reference + small demo (scale 0.02, seed 1). Shared by the session: read only."""
    return fresh_database(demo_template)


@pytest.fixture
def writable_demo_db_url(fresh_database, demo_template) -> str:
    """A private copy of the demo database for a test that writes."""
    return fresh_database(demo_template)


@pytest.fixture
def empty_db_url(fresh_database) -> str:
    return fresh_database(None)


@pytest.fixture
def use_database(monkeypatch):
    """Point the app (settings.database_url) at a given URL for one test."""

    def use(url: str) -> str:
        monkeypatch.setenv("DATABASE_URL", url)
        return url

    return use


@pytest.fixture
def limites(monkeypatch):
    """Short limits for the test; engines built from now on use them."""
    def set_(statement: str, lock: str):
        monkeypatch.setenv("OBJETS_STATEMENT_TIMEOUT", statement)
        monkeypatch.setenv("OBJETS_LOCK_TIMEOUT", lock)
    yield set_
    db.engine_for.cache_clear()
