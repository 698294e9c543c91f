"""Reading users and resolving their scope from user_scope (see dashboard.domain.identity)."""
from __future__ import annotations

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import NATIONAL, NOWHERE, Scope, User
from dashboard.domain.vocabulary import ROLE


def demo_users(conn: Connection) -> list[dict]:
    return sql.fetch_df(conn, "demo_users", roles=list(ROLE.codes)).to_dict("records")


def load_user(conn: Connection, user_id: int) -> User | None:
    row = sql.fetch_one(conn, "user_by_id", id=user_id)
    if row is None:
        return None
    return User(row["id"], row["nom"], row["email"], row["role"], resolve_scope(conn, user_id))


def resolve_scope(conn: Connection, user_id: int) -> Scope:
    scopes = sql.fetch_df(conn, "user_scopes", id=user_id).to_dict("records")
    if any(s["niveau"] == "national" for s in scopes):
        return NATIONAL
    if not scopes:
        return NOWHERE
    communes = [s["code"] for s in scopes if s["niveau"] == "commune"]
    if communes:
        # A commune account sees its own commune only (one per account).
        deps = [r[0] for r in sql.execute(conn, "departements_of_communes", communes=communes[:1])]
        return Scope(departements=tuple(deps), commune=communes[0], libelle=scopes[0]["libelle"] or communes[0])
    deps = {s["code"] for s in scopes if s["niveau"] == "departement"}
    regions = [s["code"] for s in scopes if s["niveau"] == "region"]
    if regions:
        deps |= {r[0] for r in sql.execute(conn, "departements_of_regions", regions=regions)}
    libelle = ", ".join(s["libelle"] or s["code"] for s in scopes)
    return Scope(departements=tuple(sorted(deps)), libelle=libelle)
