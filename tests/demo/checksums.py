"""Checksums of everything the demo writes, and its load time: a tool to compare two versions
of the generator, not a test (a hard-coded checksum would only pin today's output).

    .venv/bin/python -m tests.demo.checksums [--scale 0.02] [--seed 1] [--today 2025-06-15]
    .venv/bin/python -m tests.demo.checksums --time --scale 1 --runs 3

Each run loads the demo into a throwaway clone of a reference-data database of the local
cluster (built once, kept as `objets_demo_check_ref`), prints one md5 per table (rows in
key order, every column but the timestamps set by now() and the load's own timings), then
drops the clone. Run it on two commits: the same output means the same demo.
"""
from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import date

import sqlalchemy as sa

from dashboard import bootstrap, db

REFERENCE = "objets_demo_check_ref"

# Every table the load writes. Left out: objet.created_at/updated_at, chargement.debut/fin,
# audit.at, load_state.loaded_at, data_version.changed_at (now()), and "seconds" (a timing).
TABLES = {
    "edifice": "SELECT * FROM edifice ORDER BY id",
    "objet": "SELECT ref, titre, denomination, categorie, siecle, protection, protection_brute, dpro, protection_date, "
             "statut_proprietaire, proprietaire, insee_brut, commune_code, commune_resolution, departement_code, "
             "edifice_id, edifice_nom, emplacement, ref_merimee, manquant, deplacement, dossier_type, denq, etat_pop, "
             "dans_perimetre, hors_perimetre_raison, retire_le, provenance, chargement_id FROM objet ORDER BY ref",
    "campagne": "SELECT * FROM campagne ORDER BY id",
    "campagne_commune": "SELECT * FROM campagne_commune ORDER BY campagne_id, commune_code",
    "dossier": "SELECT * FROM dossier ORDER BY id",
    "recensement": "SELECT * FROM recensement ORDER BY id",
    "objet_recensement_courant": "SELECT * FROM objet_recensement_courant ORDER BY objet_ref",
    "app_user": "SELECT * FROM app_user ORDER BY id",
    "user_scope": "SELECT * FROM user_scope ORDER BY user_id, niveau, code",
    "chargement": "SELECT id, nature, source, rapport - 'seconds', user_id FROM chargement ORDER BY id",
    "audit": "SELECT id, user_id, table_name, row_key, action, before, after - 'seconds' FROM audit ORDER BY id",
    "load_state": "SELECT name, detail - 'seconds' FROM load_state ORDER BY name",
    "data_version": "SELECT version FROM data_version",
}


def _loader():
    try:
        from dashboard.demo import load_demo
    except ImportError:                 # the generator before its split
        from dashboard.loaders.demo import load_demo
    return load_demo


def _admin(url: str):
    return sa.create_engine(db.parse_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                            poolclass=sa.pool.NullPool)


def _url(base: str, name: str) -> str:
    return db.parse_url(base).set(database=name).render_as_string(hide_password=False)


def _exists(base: str, name: str) -> bool:
    with _admin(base).connect() as conn:
        return bool(conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first())


def _create(base: str, name: str, template: str | None = None) -> str:
    with _admin(base).connect() as conn:
        # Identifiers cannot be bound: names here are a constant and hex digits.
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    return _url(base, name)


def _drop(base: str, name: str) -> None:
    db.engine_for(_url(base, name)).dispose()
    db.engine_for.cache_clear()
    with _admin(base).connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _reference(base: str) -> None:
    if _exists(base, REFERENCE):
        return
    building = f"{REFERENCE}_build"
    _drop(base, building)
    url = _create(base, building)
    bootstrap.setup(url, demo=False, echo=lambda *_: None)
    db.engine_for(url).dispose()
    with _admin(base).connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{building}" RENAME TO "{REFERENCE}"'))


def _load(base: str, scale: float, seed: int, today: date, **kwargs) -> tuple[str, str, float]:
    """(clone name, its url, seconds of the load and its commit)."""
    name = f"objets_demo_check_{uuid.uuid4().hex[:8]}"
    url = _create(base, name, REFERENCE)
    started = time.perf_counter()
    with db.engine_for(url).begin() as conn:
        _loader()(conn, scale=scale, seed=seed, today=today, **kwargs)
    return name, url, time.perf_counter() - started


def checksums(url: str) -> dict[str, str]:
    with db.engine_for(url).connect() as conn:
        return {table: conn.execute(sa.text(
                    f"SELECT md5(coalesce(string_agg(t::text, '|'), '')) || ' ' || count(*) FROM ({query}) t")
                ).scalar() for table, query in TABLES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2025, 6, 15))
    parser.add_argument("--keep-row-triggers", action="store_true", help="skip_row_triggers=False")
    parser.add_argument("--time", action="store_true", help="time the load only, no checksums")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = bootstrap.prepare_server(echo=lambda *_: None)
    _reference(base)
    kwargs = {"skip_row_triggers": False} if args.keep_row_triggers else {}
    runs = args.runs if args.time else 1
    seconds = []
    for _ in range(runs):
        name, url, took = _load(base, args.scale, args.seed, args.today, **kwargs)
        seconds.append(took)
        try:
            if not args.time:
                for table, value in checksums(url).items():
                    print(f"{table:<26} {value}")
        finally:
            _drop(base, name)
    print(f"load seconds: {', '.join(f'{s:.2f}' for s in seconds)}; median {statistics.median(seconds):.2f}")


if __name__ == "__main__":
    main()
