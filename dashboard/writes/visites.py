"""The last visit of each user to a page (derniere_visite): what "nouveau depuis votre
dernière visite" compares with on /urgences (queries/visites.sql).

The write runs in the caller's transaction and names its author for the audit trigger
first (examen.en_tant_que), like every write.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.writes.examen import en_tant_que


def enregistrer_visite(conn: Connection, user_id: int, page: str) -> datetime | None:
    """Record a visit now; returns the previous one (None the first time)."""
    en_tant_que(conn, user_id)
    return sql.fetch_one(conn, "visite_enregistrer", user_id=user_id, page=page)["precedente"]
