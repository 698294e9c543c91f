"""Helpers of the import tests (imported by name: tests/importer is on sys.path)."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "palissy"

# Every table an import writes (directly or through triggers).
TABLES = ("objet", "edifice", "chargement", "import_rejet", "load_state", "audit", "data_version", "recensement",
          "dossier", "campagne")


def engine(url: str):
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def checksum(url: str) -> dict[str, str]:
    """md5 of every row of the tables an import may write, table by table."""
    out = {}
    with engine(url).connect() as conn:
        for table in TABLES:
            # Table names come from the constant above, not from input.
            out[table] = conn.execute(sa.text(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")).scalar()
    return out


def objets(url: str) -> dict[str, dict]:
    with engine(url).connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM objet ORDER BY ref")).mappings().all()
    return {r["ref"]: dict(r) for r in rows}


