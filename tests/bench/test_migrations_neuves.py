"""The repeated migration of fresh databases (dashboard.bench.migrations_neuves), which
`objets bench --compare` runs on both sides: it migrates to the latest revision and leaves
no database behind."""
from __future__ import annotations

import sqlalchemy as sa

from dashboard import db
from dashboard.bench import migrations_neuves
from dashboard.ops import migrate


def _bases(server_url: str) -> set[str]:
    with sa.create_engine(server_url, poolclass=sa.pool.NullPool).connect() as conn:
        return set(conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE 'objets_migration_%'"))
                   .scalars())


def test_fresh_databases_are_migrated_timed_and_dropped(server_url, monkeypatch):
    atteintes = []
    upgrade = migrate.upgrade

    def upgrade_note(url, *args, **kwargs):
        upgrade(url, *args, **kwargs)
        atteintes.append(migrate.current(url))

    monkeypatch.setattr(migrate, "upgrade", upgrade_note)
    avant = _bases(server_url)
    seconds = migrations_neuves.mediane(server_url, 2)
    assert seconds > 0
    assert atteintes == [", ".join(sorted(migrate.heads()))] * 2   # each database reached the heads
    assert _bases(server_url) == avant
    db.engine_for.cache_clear()
