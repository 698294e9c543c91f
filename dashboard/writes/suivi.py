"""Contacts with communes (contact_commune, queries/deploiement.sql): record one, correct one.

Like every write (dashboard.writes.examen): in the caller's transaction, the author named
first for the audit trigger (en_tant_que), one statement whose WHERE checks the commune's
scope and the author's stored role, and for a correction the version read (a concurrent
correction is refused, never overwritten). Recording a contact adds a row: the history is
never rewritten by a new contact. What is wrong with a contact is said in French
(dashboard.domain.suivi) before anything is written.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import rights, suivi
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.writes.examen import Conflit, ExamenError, Refus, en_tant_que


class ContactInvalide(ExamenError):
    """The contact as typed cannot be stored; the message lists why, in French."""


def peut_enregistrer(user: User) -> bool:
    return user.peut(Capacite.GERER_CAMPAGNES)


def _roles() -> list[str]:
    return sorted(rights.roles_avec(Capacite.GERER_CAMPAGNES))


def _verifier(user: User, contact: suivi.Contact, aujourd_hui: date) -> suivi.Contact:
    if not peut_enregistrer(user):
        raise Refus("Seuls les chargés de déploiement (et les administrateurs) peuvent enregistrer un contact.")
    propre = suivi.nettoyer(contact)
    erreurs = suivi.erreurs(propre, aujourd_hui)
    if erreurs:
        raise ContactInvalide(" ".join(erreurs))
    return propre


def _valeurs(c: suivi.Contact) -> dict:
    return {"contacte_le": c.contacte_le, "canal": c.canal, "resultat": c.resultat, "interlocuteur": c.interlocuteur,
            "courriel": c.courriel, "prochaine_etape": c.prochaine_etape, "rappeler_le": c.rappeler_le,
            "note": c.note}


def ajouter(conn: Connection, user: User, code: str, contact: suivi.Contact, aujourd_hui: date) -> int:
    """Record a contact with the commune `code`; returns its id."""
    propre = _verifier(user, contact, aujourd_hui)
    en_tant_que(conn, user.id)
    row = sql.execute(conn, "suivi_ajouter", code=code, user_id=user.id, roles=_roles(), **_valeurs(propre),
                      **user.scope.params()).first()
    if row is None:
        raise Refus("Cette commune n'est pas dans votre périmètre : le contact n'a pas été enregistré.")
    return row[0]


def modifier(conn: Connection, user: User, contact_id: int, version: int, contact: suivi.Contact,
             aujourd_hui: date) -> int:
    """Correct a contact, on the version the user read; returns its new version."""
    propre = _verifier(user, contact, aujourd_hui)
    en_tant_que(conn, user.id)
    row = sql.execute(conn, "suivi_modifier", id=contact_id, version=version, user_id=user.id, roles=_roles(),
                      **_valeurs(propre), **user.scope.params()).first()
    if row is not None:
        return row[0]
    actuel = sql.fetch_one(conn, "suivi_contact", id=contact_id, **user.scope.params())
    if actuel is None:
        raise Refus("Contact introuvable, ou hors de votre périmètre.")
    if actuel["version"] != version:
        raise Conflit(f"Ce contact a été modifié par {actuel['par'] or 'quelqu’un d’autre'} depuis que vous l'avez "
                      "ouvert : votre correction n'a pas été enregistrée. Rechargez la version actuelle, puis "
                      "recommencez.")
    raise Refus("Ce contact ne peut pas être corrigé.")
