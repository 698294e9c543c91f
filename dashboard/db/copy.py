"""COPY through psycopg 3 by a named statement of queries/: the fastest way rows go in."""
from __future__ import annotations

from typing import BinaryIO, Iterable

from sqlalchemy.engine import Connection

from dashboard.db import sql


def copy_stream(conn: Connection, statement: str, stream: BinaryIO, chunk: int = 1 << 20) -> None:
    """COPY ... FROM STDIN fed with the bytes of `stream` (a file in the statement's format)."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(sql.statement(statement).text) as copy:
        while data := stream.read(chunk):
            copy.write(data)


def copy_rows(conn: Connection, statement: str, rows: Iterable[tuple]) -> None:
    """COPY ... FROM STDIN of Python tuples, in the order of the statement's column list."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(sql.statement(statement).text) as copy:
        for row in rows:
            copy.write_row(row)
