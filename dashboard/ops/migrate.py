"""Runs the Alembic migrations (dashboard/migrations) against a database URL, then applies the
shared SQL definitions (dashboard.ops.definitions) in the same transaction.

The definitions are applied when the upgrade reaches the heads: they are written for the
schema of the latest revision (an upgrade to an earlier revision, as the tests do, stops at
that revision's own objects). Upgrades of one database are serialised by an advisory lock:
two processes starting at once would otherwise replace the same views side by side.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from dashboard import db
from dashboard.ops import definitions

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

# Any constant (other than bootstrap's load lock): serialises upgrades of one database.
_MIGRATE_LOCK = 4_242_002


def _config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's ini interpolation treats % specially; URL-encoded passwords contain it.
    cfg.set_main_option("sqlalchemy.url", db.parse_url(url).render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    db.check(url)
    with db.engine_for(url).begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATE_LOCK})
        cfg = _config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if set(MigrationContext.configure(conn).get_current_heads()) == set(heads()):
            definitions.apply(conn)


def heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory(str(MIGRATIONS)).get_heads())


def current(url: str) -> str:
    """The applied revisions (one per branch when migrations branch from a common revision)."""
    with db.engine_for(url).connect() as conn:
        return ", ".join(sorted(MigrationContext.configure(conn).get_current_heads())) or "aucune"
