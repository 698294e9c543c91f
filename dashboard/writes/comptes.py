"""Accounts managed by an administrator (`objets users`, dashboard.ops.utilisateurs): create,
scope, disable. Disabling an account ends its sessions at once; nothing is deleted (the
audit and the examens keep their author).
"""
from __future__ import annotations

from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import connexion as regles
from dashboard.domain import mots_de_passe
from dashboard.domain.vocabulary import NIVEAU_PERIMETRE, ROLE


class CompteRefuse(ValueError):
    """Refused; the message is French."""


def creer(conn: Connection, email: str, nom: str, role: str, mot_de_passe: str | None) -> int:
    email = email.strip()
    if not regles.email_valide(email):
        raise CompteRefuse(f"adresse électronique invalide : {email!r}")
    if role not in ROLE:
        raise CompteRefuse(f"rôle inconnu : {role} (au choix : {', '.join(ROLE.codes)})")
    if not nom.strip():
        raise CompteRefuse("nom vide")
    hache = mots_de_passe.hacher(mot_de_passe) if mot_de_passe else None
    user_id = sql.fetch_scalar(conn, "utilisateur_creer", email=email, nom=nom.strip(), role=role, mot_de_passe=hache)
    if user_id is None:
        raise CompteRefuse(f"un compte existe déjà pour {email}")
    return user_id


def compte(conn: Connection, email: str) -> dict:
    row = sql.fetch_one(conn, "utilisateur_par_email", email=email.strip())
    if row is None:
        raise CompteRefuse(f"aucun compte pour {email}")
    return row


def definir_perimetre(conn: Connection, email: str, perimetres: list[tuple[str, str]]) -> None:
    """Replace the account's scope: (niveau, code) pairs; ('national', '') alone for national."""
    if not perimetres:
        raise CompteRefuse("aucun périmètre donné (--departement, --region, --commune ou --national)")
    user_id = compte(conn, email)["id"]
    for niveau, code in perimetres:
        if niveau not in NIVEAU_PERIMETRE:
            raise CompteRefuse(f"niveau inconnu : {niveau}")
        if not sql.fetch_scalar(conn, "territoire_existe", niveau=niveau, code=code):
            raise CompteRefuse(f"{NIVEAU_PERIMETRE.libelle(niveau).lower()} inconnu(e) : {code}")
    sql.execute(conn, "perimetre_vider", user_id=user_id)
    for niveau, code in perimetres:
        sql.execute(conn, "perimetre_ajouter", user_id=user_id, niveau=niveau, code=code)


def desactiver(conn: Connection, email: str) -> bool:
    """Disable the account and end its sessions; False if it already was."""
    user_id = compte(conn, email)["id"]
    sql.execute(conn, "sessions_terminer_compte", user_id=user_id)
    return sql.fetch_scalar(conn, "utilisateur_desactiver", id=user_id) is not None


def changer_mot_de_passe(conn: Connection, email: str, mot_de_passe: str) -> None:
    sql.execute(conn, "utilisateur_mot_de_passe", id=compte(conn, email)["id"],
                mot_de_passe=mots_de_passe.hacher(mot_de_passe))


def delier_oidc(conn: Connection, email: str) -> None:
    """Forget the OIDC identity linked to the account: the next OIDC sign-in with its e-mail
    links again (an agent whose identity provider changed gets a new `sub`)."""
    sql.execute(conn, "utilisateur_delier_oidc", id=compte(conn, email)["id"])


def liste(conn: Connection) -> list[dict]:
    return sql.fetch_df(conn, "utilisateurs_liste").to_dict("records")
