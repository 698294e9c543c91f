"""Data access: engines and connections (engine), named SQL statements (sql).

`from dashboard import db` gives the connection API: db.connect(), db.DatabaseError...
"""
from dashboard.db.engine import (DatabaseError, check, connect, data_version, describe, engine, engine_for,
                                 parse_url)

__all__ = ["DatabaseError", "check", "connect", "data_version", "describe", "engine", "engine_for", "parse_url"]
