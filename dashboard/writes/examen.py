"""Examen of recensements by a conservateur: analysis (overrides, notes, fiches conseils),
dossier decisions (accept, reopen, visit wish) and the follow-up of disparus.

Every write runs in the caller's transaction, first names its author for the audit trigger
(en_tant_que), and is one UPDATE/INSERT whose WHERE clause checks the row's version, the
user's scope and role (queries/examen.sql): a write that matches no row is then explained
(conflict, out of scope, wrong state) by a read, and nothing was changed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from dashboard.db import sql
from dashboard.domain import compte_rendu, formats, rights
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import ETAT_SANITAIRE, FICHE_CONSEIL, SECURISATION, SOUHAIT_VISITE
from dashboard.domain.identity import User
from dashboard.writes import courriels

NOTES_MAX = 200_000  # characters; a note is plain text, shown as text
_log = logging.getLogger(__name__)


class ExamenError(Exception):
    """A write that was refused; the message is French and meant for the user."""


class Conflit(ExamenError):
    """Someone saved this row since it was read: nothing was overwritten."""


class Refus(ExamenError):
    """Out of scope, wrong role or wrong state."""


class Indisponible(ExamenError):
    """The database could not take the write (unreachable, busy, an error): nothing was
    saved. The message is one French sentence; the driver's words go to the server log."""


def peut_examiner(role: str) -> bool:
    return rights.peut(role, Capacite.EXAMINER)


def _roles_examen() -> list[str]:
    """The SQL parameter :roles_examen: the writes check the stored role against it."""
    return sorted(rights.roles_avec(Capacite.EXAMINER))


def en_tant_que(conn: Connection, user_id: int) -> None:
    """Name the author of this transaction's writes for the audit trigger (SET LOCAL)."""
    sql.fetch_scalar(conn, "en_tant_que", user_id=str(user_id))


def _check_role(user: User) -> None:
    if not peut_examiner(user.role):
        raise Refus("Seuls les conservateurs (et les administrateurs) peuvent examiner les recensements.")


def _check_notes(notes: str | None) -> str | None:
    if notes is None:
        return None
    if len(notes) > NOTES_MAX:
        raise ExamenError(f"Note trop longue ({len(notes):,} caractères ; au plus {NOTES_MAX:,}).".replace(",", "\u202f"))
    return notes.replace("\x00", "")  # PostgreSQL text cannot hold NUL


# --- analysis of one recensement ----------------------------------------------------------

def recensement(conn: Connection, user: User, recensement_id: int) -> dict | None:
    """The recensement as the examen form needs it, or None outside the user's scope."""
    return sql.fetch_one(conn, "examen_recensement", id=recensement_id, **user.scope.params())


def analyser(conn: Connection, user: User, recensement_id: int, version: int, *, etat: str | None,
             securisation: str | None, notes: str | None, fiches: list[str] | tuple[str, ...]) -> int:
    """Save the analysis; returns the new version. `etat`/`securisation` are the values the
    conservateur retains (equal to the commune's answer, or None: no override stored)."""
    _check_role(user)
    if etat is not None and etat not in ETAT_SANITAIRE:
        raise ExamenError(f"État sanitaire inconnu : {etat}")
    if securisation is not None and securisation not in SECURISATION:
        raise ExamenError(f"Sécurisation inconnue : {securisation}")
    unknown = set(fiches) - set(FICHE_CONSEIL)
    if unknown:
        raise ExamenError(f"Fiche conseil inconnue : {', '.join(sorted(unknown))}")
    current = recensement(conn, user, recensement_id)
    if current is None:
        raise Refus("Recensement introuvable, ou hors de votre périmètre.")
    if "depot_plainte" in fiches and current["localisation"] != "absent":
        raise ExamenError("La fiche « Dépôt de plainte » ne concerne qu'un objet introuvable.")
    en_tant_que(conn, user.id)
    row = sql.execute(conn, "examen_analyser", id=recensement_id, version=version, etat=etat,
                      securisation=securisation, notes=_check_notes(notes),
                      fiches=[f for f in FICHE_CONSEIL if f in fiches], user_id=user.id, roles_examen=_roles_examen(),
                      **user.scope.params()).first()
    if row is not None:
        return row[0]
    if current["version"] != version:
        now = sql.fetch_one(conn, "examen_version_recensement", id=recensement_id) or {}
        qui = f" par {now['analyse_par']}" if now.get("analyse_par") else ""
        raise Conflit(f"Ce recensement a été modifié{qui} depuis que vous l'avez ouvert : votre analyse n'a pas "
                      "été enregistrée. Rechargez la page pour voir la version actuelle, puis recommencez.")
    if current["dossier_statut"] != "submitted":
        raise Refus("Le dossier n'est pas en attente d'examen (accepté : rouvrez-le d'abord).")
    raise Refus("Ce recensement ne peut pas être analysé (brouillon ou supprimé).")


# --- dossiers -----------------------------------------------------------------------------

def dossier(conn: Connection, user: User, dossier_id: int) -> dict | None:
    return sql.fetch_one(conn, "examen_dossier", id=dossier_id, **user.scope.params())


def _dossier_refused(conn: Connection, user: User, dossier_id: int, version: int) -> ExamenError:
    now = dossier(conn, user, dossier_id)
    if now is None:
        return Refus("Dossier introuvable, ou hors de votre périmètre.")
    if now["version"] != version:
        return Conflit("Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert : rien n'a "
                       "été enregistré. Rechargez la page pour voir la version actuelle.")
    if now["prioritaires_non_analyses"] and now["statut"] == "submitted":
        n = now["prioritaires_non_analyses"]
        objets = formats.pluriel(n, "objet prioritaire", "objets prioritaires")
        verbe = formats.accord(n, "n'a pas encore été analysé", "n'ont pas encore été analysés")
        return Refus(f"Le dossier ne peut pas être accepté : {objets} (disparu ou en péril) {verbe}.")
    return Refus(f"Action impossible sur un dossier au statut « {now['statut']} ».")


def _changer_dossier(conn: Connection, user: User, statement: str, dossier_id: int, version: int,
                     **values) -> int:
    """Run a dossier write (checked in SQL: version, scope, role); its new version, or why not."""
    _check_role(user)
    en_tant_que(conn, user.id)
    row = sql.execute(conn, statement, id=dossier_id, version=version, user_id=user.id, **values,
                      roles_examen=_roles_examen(), **user.scope.params()).first()
    if row is None:
        raise _dossier_refused(conn, user, dossier_id, version)
    return row[0]


@dataclass(frozen=True)
class Acceptation:
    """A dossier accepted: its new version, and where the conservateur's notes and decision
    went (None: the commune has no address, nothing was sent: the page says so)."""
    version: int
    destinataire: str | None
    courriel_id: int | None


def accepter(conn: Connection, user: User, dossier_id: int, version: int,
             url_publique: str | None = None) -> Acceptation:
    """Accept a submitted dossier whose prioritaires are all analysed, and queue the
    message that tells the mairie (dashboard.domain.compte_rendu) in the same transaction:
    a rolled-back acceptance sends nothing. It goes where the commune's sign-in links go:
    the address a conservateur set, else the mairie's (queries/connexion.sql,
    commune_adresse_connexion). `url_publique`: the service's address, for a link to the
    commune's fiche in the message."""
    nouvelle = _changer_dossier(conn, user, "examen_accepter", dossier_id, version)
    destinataire, courriel_id = _informer_la_commune(conn, user, dossier_id, url_publique)
    return Acceptation(nouvelle, destinataire, courriel_id)


def _informer_la_commune(conn: Connection, user: User, dossier_id: int,
                         url_publique: str | None) -> tuple[str | None, int | None]:
    d = sql.fetch_one(conn, "examen_compte_rendu_dossier", id=dossier_id)
    adresse = (sql.fetch_one(conn, "commune_adresse_connexion", code=d["commune_code"]) or {}).get("email")
    if not courriels.adresse_valide(adresse):
        return None, None
    dossier_ = compte_rendu.Dossier(d["commune_code"], d["commune_nom"], d["submitted_at"], d["accepted_at"],
                                    user.nom, d["notes_conservateur"], d["visite"])
    analyses = [compte_rendu.Analyse(r["ref"], r["titre"], r["localisation"], r["etat_commune"],
                                     r["etat_conservateur"], r["notes"], tuple(r["fiches"] or ()))
                for r in sql.fetch_df(conn, "examen_compte_rendu_objets", id=dossier_id).to_dict("records")]
    lien = f"{url_publique.rstrip('/')}/commune?code={d['commune_code']}" if url_publique else None
    courriel_id = courriels.mettre_en_file(conn, destinataire=adresse, sujet=compte_rendu.sujet(dossier_),
                                           corps=compte_rendu.corps(dossier_, analyses, lien),
                                           motif=compte_rendu.MOTIF, commune_code=d["commune_code"], user_id=user.id)
    return adresse.strip(), courriel_id


def rouvrir(conn: Connection, user: User, dossier_id: int, version: int) -> int:
    return _changer_dossier(conn, user, "examen_rouvrir", dossier_id, version)


MOTIF_MAX = 5_000


def renvoyer(conn: Connection, user: User, dossier_id: int, version: int, motif: str,
             url_publique: str | None = None) -> int:
    """Send a submitted dossier back to its commune (issue 15), with what to correct: it is in
    construction again, its recensements no longer count until it is submitted again; the
    mairie gets the message by e-mail too (queued in the same transaction)."""
    motif = (_check_notes(motif) or "").strip()
    if not motif:
        raise ExamenError("Indiquez à la commune ce qu'elle doit corriger : le motif du renvoi est obligatoire.")
    if len(motif) > MOTIF_MAX:
        raise ExamenError(f"Motif trop long ({len(motif)} caractères ; au plus {MOTIF_MAX}).")
    nouvelle = _changer_dossier(conn, user, "examen_renvoyer", dossier_id, version, motif=motif)
    _prevenir_du_renvoi(conn, user, dossier_id, motif, url_publique)
    return nouvelle


def _prevenir_du_renvoi(conn: Connection, user: User, dossier_id: int, motif: str, url_publique: str | None) -> None:
    """The mairie is told, in the same transaction, where its sign-in links go (none known:
    nothing is sent; the commune reads the message on /recensement)."""
    d = sql.fetch_one(conn, "examen_compte_rendu_dossier", id=dossier_id)
    adresse = (sql.fetch_one(conn, "commune_adresse_connexion", code=d["commune_code"]) or {}).get("email")
    if not courriels.adresse_valide(adresse):
        return
    lien = f"\n\nPour le compléter : {url_publique.rstrip('/')}/recensement\n" if url_publique else "\n"
    corps = (f"Bonjour,\n\n{user.nom}, conservateur des antiquités et objets d'art, vous renvoie le dossier de "
             f"recensement de la commune de {d['commune_nom']} pour que vous le complétiez. Son message :\n\n"
             + "\n".join(f"  {ligne}" for ligne in motif.splitlines())
             + f"{lien}\nVos réponses déjà enregistrées sont conservées ; transmettez de nouveau le dossier une fois "
             "complété.\n\n— Collectif Objets, ministère de la Culture\n")
    courriels.mettre_en_file(conn, destinataire=adresse, sujet=f"Votre dossier de recensement ({d['commune_nom']}) "
                             "vous est renvoyé", corps=corps, motif="dossier_renvoye",
                             commune_code=d["commune_code"], user_id=user.id)


def enregistrer_dossier(conn: Connection, user: User, dossier_id: int, version: int, *, visite: str,
                        notes: str | None) -> int:
    """Visit wish (aucune, souhaitable, prioritaire) and the conservateur's notes."""
    _check_role(user)
    if visite not in SOUHAIT_VISITE:
        raise ExamenError(f"Souhait de visite inconnu : {visite}")
    return _changer_dossier(conn, user, "examen_dossier_enregistrer", dossier_id, version, visite=visite,
                            notes=_check_notes(notes))


# --- follow-up of a disparu ---------------------------------------------------------------

@dataclass(frozen=True)
class Suivi:
    plainte_deposee_le: date | None = None
    plainte_service: str | None = None
    plainte_reference: str | None = None
    ocbc_signale_le: date | None = None
    ocbc_reference: str | None = None
    notes: str | None = None


def suivi(conn: Connection, user: User, recensement_id: int) -> dict | None:
    return sql.fetch_one(conn, "examen_suivi", recensement_id=recensement_id, **user.scope.params())


def enregistrer_suivi(conn: Connection, user: User, recensement_id: int, version: int, data: Suivi) -> int:
    """Create (version 0) or update the dépôt de plainte / OCBC follow-up of a disparu."""
    _check_role(user)
    if data.plainte_reference and not data.plainte_deposee_le:
        raise ExamenError("Indiquez la date du dépôt de plainte avec sa référence.")
    if data.ocbc_reference and not data.ocbc_signale_le:
        raise ExamenError("Indiquez la date du signalement à l'OCBC avec sa référence.")
    en_tant_que(conn, user.id)
    blank = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.__dict__.items()}
    blank["notes"] = _check_notes(blank["notes"])
    row = sql.execute(conn, "examen_suivi_enregistrer", recensement_id=recensement_id, version=version,
                      user_id=user.id, roles_examen=_roles_examen(), **blank, **user.scope.params()).first()
    if row is not None:
        return row[0]
    current = sql.fetch_one(conn, "examen_version_suivi", recensement_id=recensement_id)
    if current is not None and current["version"] != version and recensement(conn, user, recensement_id):
        raise Conflit(f"Ce suivi a été modifié par {current['maj_par'] or 'quelqu’un d’autre'} depuis que vous "
                      "l'avez ouvert : rien n'a été enregistré. Rechargez la page.")
    raise Refus("Suivi impossible : recensement introuvable, hors de votre périmètre, ou objet non signalé disparu.")


INDISPONIBLE = ("Rien n'a été enregistré : la base de données ne répond pas. Réessayez dans un instant ; "
                "si cela dure, prévenez l'équipe technique.")
OCCUPEE = ("Rien n'a été enregistré : la base de données est occupée (une autre modification est peut-être "
           "en cours). Réessayez dans un instant.")


def ecrire(func, user: User, *args, **kwargs):
    """Run one write (`func(conn, user, ...)`) in its own transaction on the app's
    time-limited connections, committed on success. A refusal stays what it is (Conflit,
    Refus…); database trouble becomes Indisponible, its details logged."""
    from dashboard import db

    try:
        with db.connect(app=True) as conn:
            return func(conn, user, *args, **kwargs)
    except (db.DatabaseError, SQLAlchemyError) as exc:
        _log.error("Enregistrement %s refusé par la base : %s", getattr(func, "__name__", func), exc, exc_info=exc)
        occupee = isinstance(exc, db.DelaiDepasse) or db.est_delai_depasse(exc)
        raise Indisponible(OCCUPEE if occupee else INDISPONIBLE) from None
