"""The shared SQL definitions (queries/definitions/NN_name.sql), applied to a database.

Views and functions that every page reads (recensement_effectif, recensement_courant,
objet_situation, commune_statut, niveau_urgence(), the user's scope...) live in these files,
written `CREATE OR REPLACE`, and dashboard.ops.migrate applies them again after every upgrade,
in the upgrade's transaction: a database built before a definition changed converges to
it, whatever revision it came from. Migrations keep the DDL and the data (tables, indexes,
triggers) and are never edited once a later one exists.

Files run in the order of their number (a definition after what it reads). CREATE OR REPLACE
VIEW cannot drop, rename or retype a view's columns: when a view's columns changed (SQLSTATE
42P16), every view of the files is dropped, latest first, and all files run again, in the
same transaction. The drops name no CASCADE: a view that someone else built on ours stops
the upgrade with PostgreSQL's message instead of vanishing. A function whose arguments or
result type change needs a migration that drops it (only a migration knows what uses it).
"""
from __future__ import annotations

import re
from pathlib import Path

import psycopg
from sqlalchemy.engine import Connection

from dashboard.settings import QUERIES_DIR

DEFINITIONS_DIR = QUERIES_DIR / "definitions"

_VIEW = re.compile(r"^CREATE OR REPLACE VIEW\s+([a-z_][a-z0-9_]*)", re.MULTILINE)
_VIEW_COLUMNS_CHANGED = "42P16"  # invalid_table_definition: "cannot drop columns from view"...


def files() -> list[Path]:
    """The definition files, in the order they run."""
    return sorted(DEFINITIONS_DIR.glob("*.sql"))


def views() -> list[str]:
    """The views the files define, in creation order."""
    return [name for path in files() for name in _VIEW.findall(path.read_text(encoding="utf-8"))]


def apply(conn: Connection) -> None:
    """Create or replace every definition in the caller's transaction (idempotent)."""
    try:
        with conn.begin_nested():
            _run(conn)
    except psycopg.Error as exc:
        if exc.sqlstate != _VIEW_COLUMNS_CHANGED:
            raise
        for name in reversed(views()):
            # Names come from the project's own files (the pattern above), not from input.
            conn.connection.driver_connection.execute(f"DROP VIEW IF EXISTS {name}")
        _run(conn)


def _run(conn: Connection) -> None:
    raw = conn.connection.driver_connection
    for path in files():
        # No parameters: psycopg sends the file as one simple query, several statements,
        # dollar-quoted bodies untouched.
        raw.execute(path.read_text(encoding="utf-8"))
