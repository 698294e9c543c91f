"""Data access: engines and connections (engine), named SQL statements (sql).

`from dashboard import db` gives the connection API: db.connect(), db.DatabaseError...
"""
from dashboard.db.engine import (DatabaseError, DelaiDepasse, app_engine, check, connect, data_version, describe,
                                 engine, engine_for, est_delai_depasse, limites_app, parse_url)

__all__ = ["DatabaseError", "DelaiDepasse", "app_engine", "check", "connect", "data_version", "describe", "engine",
           "engine_for", "est_delai_depasse", "limites_app", "parse_url"]
