"""Named SQL statements from queries/*.sql, always run with bound parameters.

A file holds blocks that start with a line `-- name: some_name`; the block's text up to
the next such line is the statement. Values are never formatted into SQL text: callers
pass them as parameters (`:name` placeholders).
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection

from dashboard.settings import QUERIES_DIR

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def _statements() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        body = path.read_text(encoding="utf-8")
        parts = _NAME.split(body)
        for name, sql in zip(parts[1::2], parts[2::2]):
            if name in found:
                raise ValueError(f"requête « {name} » définie deux fois ({path.name})")
            found[name] = sql.strip().rstrip(";")
    return found


def statement(name: str):
    try:
        return text(_statements()[name])
    except KeyError:
        raise KeyError(f"requête inconnue : {name}") from None


def names() -> list[str]:
    return sorted(_statements())


def fetch_df(conn: Connection, name: str, **params) -> pd.DataFrame:
    result = conn.execute(statement(name), params)
    # Plain tuples: pandas builds a frame from them twice as fast as from Row objects.
    return pd.DataFrame([tuple(row) for row in result], columns=list(result.keys()))


def fetch_one(conn: Connection, name: str, **params) -> dict | None:
    row = conn.execute(statement(name), params).mappings().first()
    return dict(row) if row is not None else None


def fetch_scalar(conn: Connection, name: str, **params):
    return conn.execute(statement(name), params).scalar()


def execute(conn: Connection, name: str, **params):
    return conn.execute(statement(name), params)
