"""The HTTP routes of sign-in, served beside the Streamlit app (st.App, dashboard/app/serveur.py):
a script cannot set a cookie, these can.

- GET/POST /connexion: e-mail and password of a local account (when OBJETS_CONNEXION lists
  `mot_de_passe`). The POST checks the anti-forgery token; success sets the cookie and
  redirects to /; a failure answers the same whether the account exists or not.
- GET /lien?t=…: a page with a button (mail scanners open links: a GET consumes nothing);
  POST /lien uses the link once, within 48 h, and signs the commune in.
- POST /deconnexion: ends the session the form names, clears the cookie; an OIDC session
  goes on to st.login's /auth/logout, which clears its cookie and the provider's session.

Every answer carries no-store and anti-framing headers, and the HTML pages a strict CSP.
"""
from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard import db, settings
from dashboard.app.connexion import gabarits, jetons
from dashboard.domain import connexion as regles
from dashboard.writes import connexion

log = logging.getLogger(__name__)
MOT_DE_PASSE_MAX = 1024  # argon2 of a huge input would cost the server, not the attacker


def adresse_client(hote: str | None, transmis_pour: str | None) -> str:
    """The client's address for throttling: the connection's, or, behind a proxy the settings
    trust, the last address of X-Forwarded-For (the one that proxy saw)."""
    if settings.proxy_de_confiance() and transmis_pour:
        dernier = transmis_pour.split(",")[-1].strip()
        if dernier:
            return dernier[:64]
    return (hote or "inconnue")[:64]


def _securiser(response: Response, html: bool = True) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Security-Policy"] = gabarits.CSP if html else "frame-ancestors 'none'"
    return response


def _cookie(response: Response, nom: str, valeur: str, max_age: int) -> None:
    response.set_cookie(nom, valeur, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=settings.cookie_secure())


def _html(contenu: str, status: int = 200, csrf_cookie: str | None = None) -> Response:
    response = HTMLResponse(contenu, status_code=status)
    if csrf_cookie:
        _cookie(response, jetons.COOKIE_CSRF, csrf_cookie, 2 * 3600)
    return _securiser(response)


def _signe(ouverte: connexion.Ouverte) -> Response:
    response = RedirectResponse("/", status_code=303)
    _cookie(response, jetons.COOKIE, jetons.valeur_cookie(ouverte.jeton), int(regles.DUREE_MAX.total_seconds()))
    response.delete_cookie(jetons.COOKIE_CSRF, path="/")
    return _securiser(response, html=False)


def _indisponible() -> Response:
    return _html(gabarits.message("Service indisponible", "Le service ne répond pas. Réessayez dans un instant ; "
                                  "si cela dure, prévenez l'équipe technique."), 503)


def _fermee() -> Response:
    return _html(gabarits.message("Connexion indisponible", "Cette façon de se connecter n'est pas ouverte sur ce "
                                  "service."), 404)


def _transaction(travail, *args):
    """Run travail(conn, *args) in a transaction that commits even when it refuses (the
    attempt is counted): (result, refusal)."""
    with db.engine_for(settings.database_url()).begin() as conn:
        try:
            return travail(conn, *args), None
        except connexion.ConnexionRefusee as refus:
            return None, refus


async def _executer(travail, *args):
    try:
        return await run_in_threadpool(_transaction, travail, *args)
    except Exception:  # the database is down or failed: logged here, one French sentence there
        log.exception("sign-in: database error")
        return None, None


def _formulaire_connexion(email: str = "", message: str | None = None, status: int = 200) -> Response:
    cookie, valeur = jetons.nouveau_csrf()
    return _html(gabarits.connexion(valeur, email, message), status, cookie)


async def connexion_get(request: Request) -> Response:
    if "mot_de_passe" not in settings.methodes_locales():
        return _fermee()
    return _formulaire_connexion()


async def connexion_post(request: Request) -> Response:
    if "mot_de_passe" not in settings.methodes_locales():
        return _fermee()
    form = await request.form()
    email = str(form.get("email") or "")[:254]
    mot_de_passe = str(form.get("mot_de_passe") or "")
    if not jetons.csrf_valide(request.cookies.get(jetons.COOKIE_CSRF), str(form.get("csrf") or "")):
        return _formulaire_connexion(email, "Le formulaire a expiré : saisissez de nouveau votre mot de passe.", 400)
    if len(mot_de_passe) > MOT_DE_PASSE_MAX:
        return _formulaire_connexion(email, connexion.MAUVAIS_IDENTIFIANTS, 401)
    adresse = adresse_client(request.client.host if request.client else None, request.headers.get("x-forwarded-for"))
    ouverte, refus = await _executer(connexion.connexion_mot_de_passe, email, mot_de_passe, adresse,
                                     settings.contact_admin())
    if ouverte is not None:
        return _signe(ouverte)
    if refus is None:
        return _indisponible()
    return _formulaire_connexion(email, str(refus), 429 if isinstance(refus, connexion.Attendre) else 401)


async def lien_get(request: Request) -> Response:
    if "lien" not in settings.methodes_locales():
        return _fermee()
    jeton = request.query_params.get("t", "")[:100]
    etat, _ = await _executer(connexion.etat_lien, jeton)
    if etat is None or etat["utilise"] or etat["expire"]:
        return _html(gabarits.message("Lien de connexion", connexion.LIEN_INVALIDE), 410)
    cookie, valeur = jetons.nouveau_csrf()
    return _html(gabarits.lien(jeton, valeur, etat["commune_nom"]), 200, cookie)


async def lien_post(request: Request) -> Response:
    if "lien" not in settings.methodes_locales():
        return _fermee()
    form = await request.form()
    jeton = str(form.get("t") or "")[:100]
    if not jetons.csrf_valide(request.cookies.get(jetons.COOKIE_CSRF), str(form.get("csrf") or "")):
        return _html(gabarits.message("Lien de connexion", "Le formulaire a expiré : rouvrez le lien reçu par "
                                      "courriel."), 400)
    ouverte, refus = await _executer(connexion.consommer_lien, jeton, settings.contact_admin())
    if ouverte is not None:
        return _signe(ouverte)
    if refus is None:
        return _indisponible()
    return _html(gabarits.message("Lien de connexion", str(refus)), 410)


async def deconnexion_post(request: Request) -> Response:
    form = await request.form()
    session_id = jetons.session_a_terminer(str(form.get("jeton") or ""))
    methode = None
    if session_id is not None:
        methode, _ = await _executer(connexion.terminer, session_id)
    # An OIDC session also ends st.login's cookie and the provider's session.
    response = RedirectResponse("/auth/logout" if methode == "oidc" else "/", status_code=303)
    response.delete_cookie(jetons.COOKIE, path="/")
    return _securiser(response, html=False)


def routes() -> list[Route]:
    return [
        Route("/connexion", connexion_get, methods=["GET"]),
        Route("/connexion", connexion_post, methods=["POST"]),
        Route("/lien", lien_get, methods=["GET"]),
        Route("/lien", lien_post, methods=["POST"]),
        Route("/deconnexion", deconnexion_post, methods=["POST"]),
    ]
