"""Campaigns created and changed by users (queries/campagnes.sql): create one for a
département from a selection of communes, add communes, plan it or put it back in draft,
change its name and dates.

Like every write (dashboard.writes.examen): in the caller's transaction, the author named
for the audit trigger, the scope and the author's stored role checked in the statement's
WHERE, the version read checked for a change (concurrent edits refused). The dates are
checked first (dashboard.domain.campagnes: French messages). Two active campaigns of one
département never overlap: the database's exclusion constraint refuses it, in a savepoint,
and the refusal names the campaign it would overlap, in French.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from dashboard.db import sql
from dashboard.domain import campagnes as regles
from dashboard.domain import formats, rights
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import STATUT_CAMPAGNE
from dashboard.writes.examen import Conflit, ExamenError, Refus, en_tant_que

CHEVAUCHEMENT = "23P01"   # exclusion_violation


class CampagneInvalide(ExamenError):
    """What was typed cannot make a campaign (dates, name, no commune); the message says why."""


class Chevauchement(ExamenError):
    """Another active campaign of the département shares a day with these dates."""


@dataclass(frozen=True)
class NouvelleCampagne:
    departement: str
    nom: str
    dates: regles.Dates
    statut: str = "draft"     # draft or planned


def peut_gerer(user: User) -> bool:
    return user.peut(Capacite.GERER_CAMPAGNES)


def _roles() -> list[str]:
    return sorted(rights.roles_avec(Capacite.GERER_CAMPAGNES))


def _autoriser(user: User) -> None:
    if not peut_gerer(user):
        raise Refus("Seuls les chargés de déploiement (et les administrateurs) peuvent gérer les campagnes.")


def _nom(nom: str | None) -> str:
    nom = " ".join((nom or "").replace("\x00", "").split())
    if not nom:
        raise CampagneInvalide("Donnez un nom à la campagne.")
    if len(nom) > regles.NOM_MAX:
        raise CampagneInvalide(f"Nom trop long ({len(nom)} caractères ; au plus {regles.NOM_MAX}).")
    return nom


def _dates(d: regles.Dates) -> dict:
    erreurs = regles.erreurs_dates(d)
    if erreurs:
        raise CampagneInvalide(" ".join(erreurs))
    return {"lancement": d.lancement, "fin": d.fin,
            **{f"relance_{k}": d.relance(k) for k in range(1, regles.RELANCES_MAX + 1)}}


def message_chevauchement(conn: Connection, departement: str, d: regles.Dates, sauf: int | None) -> str:
    autres = sql.fetch_df(conn, "campagnes_chevauchantes", departement=departement, lancement=d.lancement, fin=d.fin,
                          sauf=sauf)
    quoi = " ; ".join(f"« {r.nom} » ({STATUT_CAMPAGNE.libelle(r.statut).lower()}, du "
                      f"{regles.date_fr(r.date_lancement)} au {regles.date_fr(r.date_fin)})"
                      for r in autres.itertuples()) or "une autre campagne active"
    return (f"Le département {departement} a déjà une campagne active à ces dates : {quoi}. Deux campagnes actives "
            "(planifiées ou en cours) d'un même département ne peuvent pas se chevaucher : choisissez d'autres dates, "
            "ou gardez cette campagne en brouillon.")


def _sans_chevauchement(conn: Connection, departement: str, d: regles.Dates, sauf: int | None, ecrire):
    """Run `ecrire()` in a savepoint; the database's refusal of an overlap becomes Chevauchement."""
    try:
        with conn.begin_nested():
            return ecrire()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != CHEVAUCHEMENT:
            raise
        raise Chevauchement(message_chevauchement(conn, departement, d, sauf)) from None


def creer(conn: Connection, user: User, nouvelle: NouvelleCampagne, codes: Sequence[str]) -> int:
    """Create a campaign (draft or planned) with these communes; returns its id. Nothing is
    written unless every commune is of the département and of the user's scope."""
    _autoriser(user)
    if nouvelle.statut not in ("draft", "planned"):
        raise CampagneInvalide("Une campagne se crée en brouillon ou planifiée.")
    codes = sorted(set(codes))
    if not codes:
        raise CampagneInvalide("Aucune commune sélectionnée : choisissez au moins une commune pour la campagne.")
    valeurs = {"nom": _nom(nouvelle.nom), **_dates(nouvelle.dates)}
    en_tant_que(conn, user.id)
    row = _sans_chevauchement(conn, nouvelle.departement, nouvelle.dates, None, lambda: sql.execute(
        conn, "campagne_creer", departement=nouvelle.departement, statut=nouvelle.statut, user_id=user.id,
        roles=_roles(), **valeurs, **user.scope.params()).first())
    if row is None:
        raise Refus(f"Le département {nouvelle.departement} n'est pas dans votre périmètre.")
    ajoutees = _ajouter(conn, user, row[0], codes)
    if ajoutees != len(codes):
        raise _hors(len(codes) - ajoutees, nouvelle.departement)
    return row[0]


def _hors(n: int, departement: str) -> Refus:
    """The refusal of `n` communes outside the campaign's département or the user's scope."""
    verbe = formats.accord(n, "n'est", "ne sont")
    return Refus(f"{formats.pluriel(n, 'commune')} {verbe} pas du département {departement} ou pas dans votre "
                 "périmètre : rien n'a été enregistré.")


def _ajouter(conn: Connection, user: User, campagne_id: int, codes: list[str]) -> int:
    """Add the communes; how many were added (those of the campaign's département and the scope)."""
    return len(sql.fetch_df(conn, "campagne_ajouter_communes", id=campagne_id, codes=codes, user_id=user.id,
                            roles=_roles(), **user.scope.params()))


def ajouter_communes(conn: Connection, user: User, campagne_id: int, codes: Sequence[str]) -> int:
    """Add communes to a campaign that is not finished; returns how many were not in it yet.
    Refused (nothing written) when one is not of its département or of the user's scope."""
    _autoriser(user)
    codes = sorted(set(codes))
    if not codes:
        raise CampagneInvalide("Aucune commune sélectionnée : choisissez au moins une commune à ajouter.")
    actuelle = sql.fetch_one(conn, "campagne_lire", id=campagne_id, **user.scope.params())
    if actuelle is None:
        raise Refus("Campagne introuvable, ou hors de votre périmètre.")
    if actuelle["statut"] == "finished":
        raise Refus("Cette campagne est terminée : on ne peut plus y ajouter de communes.")
    en_tant_que(conn, user.id)
    deja = set(sql.fetch_df(conn, "campagne_communes", id=campagne_id, **user.scope.params())["code"])
    nouvelles = [c for c in codes if c not in deja]
    ajoutees = _ajouter(conn, user, campagne_id, nouvelles) if nouvelles else 0
    if ajoutees != len(nouvelles):
        raise _hors(len(nouvelles) - ajoutees, actuelle["departement"])
    return ajoutees


def _refus(conn: Connection, user: User, campagne_id: int, version: int, quoi: str) -> ExamenError:
    actuelle = sql.fetch_one(conn, "campagne_lire", id=campagne_id, **user.scope.params())
    if actuelle is None:
        return Refus("Campagne introuvable, ou hors de votre périmètre.")
    if actuelle["version"] != version:
        return Conflit("Cette campagne a été modifiée depuis que vous l'avez ouverte (par quelqu'un d'autre, ou par le "
                       f"passage quotidien qui la fait avancer) : {quoi} n'a pas été enregistré. Rechargez la version "
                       "actuelle.")
    return Refus(f"Impossible pour une campagne au statut « {STATUT_CAMPAGNE.libelle(actuelle['statut'])} » : "
                 f"{quoi} n'a pas été enregistré.")


def changer_statut(conn: Connection, user: User, campagne_id: int, version: int, de: str, vers: str) -> int:
    """Plan a draft, or put a planned campaign back in draft; returns the new version."""
    _autoriser(user)
    if (de, vers) not in regles.CHANGEMENTS_MANUELS:
        raise Refus("Ce changement de statut se fait tout seul, aux dates de la campagne.")
    actuelle = sql.fetch_one(conn, "campagne_lire", id=campagne_id, **user.scope.params())
    en_tant_que(conn, user.id)
    d = regles.Dates(actuelle["date_lancement"], actuelle["date_fin"]) if actuelle else None
    row = _sans_chevauchement(conn, actuelle["departement"] if actuelle else "", d, campagne_id, lambda: sql.execute(
        conn, "campagne_changer_statut", id=campagne_id, version=version, de=de, vers=vers, user_id=user.id,
        roles=_roles(), **user.scope.params()).first())
    if row is None:
        raise _refus(conn, user, campagne_id, version, "le changement de statut")
    return row[0]


def modifier(conn: Connection, user: User, campagne_id: int, version: int, nom: str, dates: regles.Dates) -> int:
    """Change the name and dates of a campaign in draft or planned; returns the new version."""
    _autoriser(user)
    valeurs = {"nom": _nom(nom), **_dates(dates)}
    actuelle = sql.fetch_one(conn, "campagne_lire", id=campagne_id, **user.scope.params())
    en_tant_que(conn, user.id)
    row = _sans_chevauchement(conn, actuelle["departement"] if actuelle else "", dates, campagne_id, lambda: sql.execute(
        conn, "campagne_modifier", id=campagne_id, version=version, modifiables=list(regles.MODIFIABLES),
        user_id=user.id, roles=_roles(), **valeurs, **user.scope.params()).first())
    if row is None:
        raise _refus(conn, user, campagne_id, version, "la modification")
    return row[0]
