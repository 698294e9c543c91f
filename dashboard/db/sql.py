"""Named SQL statements from queries/*.sql, always run with bound parameters.

A file holds blocks that start with a line `-- name: some_name`; a block's text runs up to
the next such line. Values are never formatted into SQL text: callers pass them as
parameters (`:name` placeholders).

Rules that several statements share (the user's scope, who may examine, a dossier's
figures, the carte's filters) are SQL functions of queries/definitions/, which the planner
inlines: no text is pasted into statements any more. A comment line that looks like a
directive and is not a well-formed `-- name:` line at the start of a line (`-- include: x`
left from the former fragments, `--fragment:`, an indented or misspelt `-- name`) is
refused: read as a plain comment, it would silently drop what it meant to add.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection, CursorResult

from dashboard.settings import QUERIES_DIR

_NAME = re.compile(r"^--[ \t]*name:[ \t]*([a-z_][a-z0-9_]*)[ \t]*$", re.MULTILINE)
_DIRECTIVE_LIKE = re.compile(r"^[ \t]*--[ \t]*(?:name|include|fragment)s?\b.*$", re.MULTILINE | re.IGNORECASE)


def parse(paths: list[Path]) -> dict[str, str]:
    """Statements by name."""
    statements: dict[str, str] = {}
    for path in paths:
        content = path.read_text(encoding="utf-8")
        for line in _DIRECTIVE_LIKE.finditer(content):
            if not _NAME.fullmatch(line.group(0)):
                number = content.count("\n", 0, line.start()) + 1
                raise ValueError(f"{path.name}, ligne {number} : directive inconnue « {line.group(0).strip()} » "
                                 "(seul « -- name: nom » en début de ligne est lu ; une règle partagée est une "
                                 "fonction SQL de queries/definitions/)")
        parts = _NAME.split(content)
        for name, body in zip(parts[1::2], parts[2::2]):
            if name in statements:
                raise ValueError(f"requête « {name} » définie deux fois ({path.name})")
            statements[name] = body.strip().rstrip(";")
    return statements


@lru_cache(maxsize=1)
def _statements() -> dict[str, str]:
    return parse(sorted(QUERIES_DIR.glob("*.sql")))


def statement(name: str):
    try:
        return text(_statements()[name])
    except KeyError:
        raise KeyError(f"requête inconnue : {name}") from None


def names() -> list[str]:
    return sorted(_statements())


# PostgreSQL types (OIDs) whose columns pandas types: numbers, booleans, timestamps. The
# dtype a column of these gets when every value is NULL (None: let pandas infer it).
_NUMBERS = frozenset({20, 21, 23, 26, 700, 701, 1700})  # int8, int2, int4, oid, float4, float8, numeric
_TYPED = {**dict.fromkeys(_NUMBERS, "float64"), 16: None,  # bool
          1114: "datetime64[us]", 1184: "datetime64[us, UTC]"}  # timestamp, timestamptz


def to_frame(result: CursorResult) -> pd.DataFrame:
    """A query result as a DataFrame. Numbers, booleans and timestamps get pandas dtypes (a
    NULL is NaN or NaT there; a number column stays numeric even when every value is NULL).
    Every other column (text, enums, dates, arrays, JSON) holds the driver's values as
    Python objects, None for NULL: pandas 3 would read text as its `str` dtype, where a NULL
    next to a string becomes NaN, a truthy float that `note or ""` keeps and prints "nan".
    """
    names = list(result.keys())
    types = [column.type_code for column in result.cursor.description]
    # Plain tuples, then columns: twice as fast as building from Row objects.
    rows = [tuple(row) for row in result]
    columns = list(zip(*rows)) if rows else [()] * len(names)
    series = {}
    for i, (oid, values) in enumerate(zip(types, columns)):
        if oid not in _TYPED:
            series[i] = pd.Series(values, dtype=object)
        elif all(v is None for v in values):
            series[i] = pd.Series(values, dtype=_TYPED[oid] or object)
        elif oid in _NUMBERS:
            series[i] = pd.to_numeric(pd.Series(values))  # numeric's Decimals too
        else:
            series[i] = pd.Series(values)
    frame = pd.DataFrame(series, index=pd.RangeIndex(len(rows)))
    frame.columns = names
    return frame


def fetch_df(conn: Connection, name: str, **params) -> pd.DataFrame:
    return to_frame(conn.execute(statement(name), params))


def fetch_one(conn: Connection, name: str, **params) -> dict | None:
    row = conn.execute(statement(name), params).mappings().first()
    return dict(row) if row is not None else None


def fetch_scalar(conn: Connection, name: str, **params):
    return conn.execute(statement(name), params).scalar()


def execute(conn: Connection, name: str, **params):
    return conn.execute(statement(name), params)
