"""Reads of sign-in: communes to choose on the sign-in page, a commune's sign-in address
for its fiche, the communes of a scope that no link can reach (queries/connexion.sql,
queries/contacts.sql)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import Scope


def communes(conn: Connection, texte: str, limite: int = 20) -> list[dict]:
    """Communes whose INSEE code is `texte` or whose name starts with it (public data only)."""
    texte = (texte or "").strip()[:80]
    if len(texte) < 2:
        return []
    return sql.fetch_df(conn, "communes_recherche", texte=texte, limite=limite).to_dict("records")


def contact(conn: Connection, scope: Scope, code: str) -> dict | None:
    """The commune's sign-in address: the one a conservateur set, and the mairie's; None
    outside the scope."""
    return sql.fetch_one(conn, "contact_commune", code=code, **scope.params())


def communes_sans_adresse(conn: Connection, scope: Scope) -> pd.DataFrame:
    return sql.fetch_df(conn, "communes_sans_adresse", **scope.params())
