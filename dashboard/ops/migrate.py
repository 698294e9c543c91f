"""Runs the Alembic migrations (dashboard/migrations) against a database URL."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from dashboard import db

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's ini interpolation treats % specially; URL-encoded passwords contain it.
    cfg.set_main_option("sqlalchemy.url", db.parse_url(url).render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    db.check(url)
    with db.engine_for(url).begin() as conn:
        cfg = _config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current(url: str) -> str:
    """The applied revisions (one per branch: each issue's migration branches from 0001)."""
    from alembic.runtime.migration import MigrationContext

    with db.engine_for(url).connect() as conn:
        return ", ".join(sorted(MigrationContext.configure(conn).get_current_heads())) or "aucune"
