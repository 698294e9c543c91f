"""Reads of sign-in: a commune's sign-in address for its fiche, the communes of a scope that
no link can reach (queries/contacts.sql). The sign-in page finds communes with the app's one
search (dashboard.reads.recherche)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import Scope


def contact(conn: Connection, scope: Scope, code: str) -> dict | None:
    """The commune's sign-in address: the one a conservateur set, and the mairie's; None
    outside the scope."""
    return sql.fetch_one(conn, "contact_commune", code=code, **scope.params())


def communes_sans_adresse(conn: Connection, scope: Scope) -> pd.DataFrame:
    return sql.fetch_df(conn, "communes_sans_adresse", **scope.params())
