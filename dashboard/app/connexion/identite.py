"""Who the visitor is, in the script: the session that the sign-in cookie (password, link)
or st.login's identity (OIDC) names, checked against the database at every run.

The cookie arrives through st.context.cookies; the session row decides (ended, 12 h
without activity, 7 days at most, account disabled), so a sign-in survives a reload, a new
tab or another replica, and ends everywhere at once. st.login's own cookie lasts 30 days:
an OIDC session is our row bound to the ID token's (iss, sub, iat), and when that row has
ended the script calls st.logout(), which clears st.login's cookie.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import streamlit as st

from dashboard import db, settings
from dashboard.app.connexion import jetons, routes
from dashboard.domain import connexion as regles
from dashboard.writes import connexion

log = logging.getLogger(__name__)
_CLE = "_connexion_du_run"


@dataclass(frozen=True)
class Connexion:
    """This run's sign-in: the user and session, or why there is none (a French message)."""
    user_id: int | None = None
    session_id: bytes | None = None
    methode: str | None = None
    refus: str | None = None


ANONYME = Connexion()
FINS = {"inactivite": "Votre session a pris fin après 12 heures sans activité : connectez-vous de nouveau.",
        "duree": "Votre session a atteint sa durée maximale (7 jours) : connectez-vous de nouveau.",
        "compte": "Votre compte a été désactivé."}


def _begin():
    return db.engine_for(settings.database_url()).begin()


def adresse() -> str:
    """The visitor's address, as the sign-in routes compute it (for throttling)."""
    return routes.adresse_client(st.context.ip_address, st.context.headers.get("X-Forwarded-For"))


def _par_cookie() -> Connexion | None:
    session_id = jetons.session_du_cookie(st.context.cookies.get(jetons.COOKIE))
    if session_id is None:
        return None
    with _begin() as conn:
        etat = connexion.valider(conn, session_id)
    if etat.valide:
        return Connexion(etat.user_id, session_id, etat.methode)
    return Connexion(refus=FINS.get(etat.fin))


def oidc_connecte() -> bool:
    return bool(settings.oidc_providers()) and bool(st.user.get("is_logged_in"))


def _par_oidc() -> Connexion | None:
    if not oidc_connecte():
        return None
    try:
        identite = regles.identite_oidc(st.user.to_dict())
    except regles.IdentiteIncomplete:
        return Connexion(refus="Le fournisseur d'identité n'a pas transmis votre identifiant : "
                               f"adressez-vous à {settings.contact_admin()}.")
    try:
        with _begin() as conn:
            try:
                session_id = connexion.session_oidc(conn, identite, settings.contact_admin())
            except connexion.CompteIntrouvable:
                if identite.email:
                    raise
                # The ID token has no e-mail (ProConnect): ask userinfo, once, then link by it.
                # Imported here: httpx and joserfc cost 0.26 s at import, which every fresh
                # server process paid in its first page (objets bench, accueil.cold).
                from dashboard.app.connexion import userinfo

                identite = dataclasses.replace(identite, email=regles.normaliser_email(userinfo.email(
                    str(st.user.get("provider") or "default"), st.user.tokens.get("access", ""), identite.sub)) or None)
                session_id = connexion.session_oidc(conn, identite, settings.contact_admin())
            etat = connexion.valider(conn, session_id)
    except connexion.ConnexionRefusee as refus:
        return Connexion(refus=str(refus))
    if etat.valide:
        return Connexion(etat.user_id, session_id, "oidc")
    # Ended (sign-out, expiry): st.login's 30-day cookie must go too; this redirects.
    st.logout()
    st.stop()


def connexion_du_run() -> Connexion:
    """Resolved once per script run (the entry script calls it first); pages read it."""
    found = _par_cookie()
    if found is None or found.user_id is None:
        found = _par_oidc() or found or ANONYME
    st.session_state[_CLE] = found
    return found


def connexion_courante() -> Connexion:
    return st.session_state.get(_CLE) or ANONYME
