"""Identities and their scopes (périmètres). Every data-layer function takes a Scope.

A scope is resolved once from user_scope: national (no restriction), a list of
départements (from départements and régions), or one commune. Queries filter with bound
parameters `:departements` (NULL = everywhere) and `:commune` (NULL = every commune).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from dashboard.db import sql

ROLE_LABELS = {
    "admin": "Administrateur",
    "conservateur": "Conservateur",
    "drac": "Responsable DRAC",
    "deploiement": "Chargé de déploiement",
    "commune": "Commune",
}


@dataclass(frozen=True)
class Scope:
    departements: tuple[str, ...] | None = None  # None: national
    commune: str | None = None
    libelle: str = "France entière"

    @property
    def national(self) -> bool:
        return self.departements is None and self.commune is None

    def params(self) -> dict:
        """Bound parameters every scoped query takes."""
        return {
            "departements": list(self.departements) if self.departements is not None else None,
            "commune": self.commune,
        }


NATIONAL = Scope()
NOWHERE = Scope(departements=(), libelle="aucun périmètre")


@dataclass(frozen=True)
class User:
    id: int
    nom: str
    email: str
    role: str
    scope: Scope

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def demo_users(conn: Connection) -> list[dict]:
    return sql.fetch_df(conn, "demo_users").to_dict("records")


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
