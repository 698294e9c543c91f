"""The address a commune's sign-in links go to, set by a conservateur of its scope
(commune_contact, queries/contacts.sql): replaces the mairie's e-mail of the reference data.

Runs in the caller's transaction, names its author for the audit trigger first; the
statement itself checks the commune's scope and the author's stored role.
"""
from __future__ import annotations

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import connexion as regles
from dashboard.domain import rights
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.writes.examen import en_tant_que


class ContactRefuse(ValueError):
    """Refused; the message is French and meant for the user."""


def peut_gerer(user: User) -> bool:
    return user.peut(Capacite.GERER_CONTACTS_COMMUNES)


def _roles() -> list[str]:
    return sorted(rights.roles_avec(Capacite.GERER_CONTACTS_COMMUNES))


def definir(conn: Connection, user: User, code: str, email: str | None) -> None:
    """Set the commune's address (None or empty: back to the mairie's e-mail)."""
    if not peut_gerer(user):
        raise ContactRefuse("Seuls les conservateurs (et les administrateurs) peuvent changer cette adresse.")
    email = (email or "").strip()
    en_tant_que(conn, user.id)
    params = {"code": code, "user_id": user.id, "roles": _roles(), **user.scope.params()}
    if not email:
        sql.execute(conn, "contact_supprimer", **params)
        return
    if not regles.email_valide(email):
        raise ContactRefuse(f"Adresse électronique invalide : « {email} ».")
    if sql.fetch_scalar(conn, "contact_definir", email=email, **params) is None:
        raise ContactRefuse("Cette commune n'est pas dans votre périmètre.")
