"""Migrating fresh databases, timed many times: the full load's "migrate" step is one sample
per round, and its spread on this shared machine (0.4 to 1.5 s for the same code,
2026-12-02) hides a 10 % difference. mediane() creates `n` empty databases on the server of
`url`, migrates each to the latest revision in this process and drops it; it returns the
median of the `upgrade` calls alone.

Like comme_un_serveur, this module imports nothing of the app at its top: `objets bench
--compare` runs its source inside the other revision too, which finds that revision's own
migrations (dashboard.ops.migrate since the layout of issue 9, dashboard.migrate before).
"""


def mediane(url: str, n: int = 7) -> float:
    import importlib
    import statistics
    import time
    import uuid

    import sqlalchemy as sa

    db = importlib.import_module("dashboard.db")
    try:
        migrate = importlib.import_module("dashboard.ops.migrate")
    except ImportError:
        migrate = importlib.import_module("dashboard.migrate")
    admin = sa.create_engine(db.parse_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    temps = []
    for _ in range(n):
        nom = f"objets_migration_{uuid.uuid4().hex[:8]}"   # hex digits: safe in the statement
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{nom}"'))
        base = db.parse_url(url).set(database=nom).render_as_string(hide_password=False)
        try:
            debut = time.perf_counter()
            migrate.upgrade(base)
            temps.append(time.perf_counter() - debut)
        finally:
            if hasattr(db.engine_for, "cache_clear"):
                db.engine_for.cache_clear()   # its pooled connections would hold the database open
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
    return statistics.median(temps)
