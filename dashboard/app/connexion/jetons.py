"""The signed values of sign-in (itsdangerous, keyed on settings.secret_key()): the session
cookie, the forms' anti-forgery token, and the sign-out token the sidebar's form carries.

The cookie holds the session's random token, signed: the database holds its SHA-256
(dashboard.domain.connexion.empreinte), so neither a forged cookie nor a copy of the table
opens a session, and every replica that shares the key and the database recognises it.
"""
from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

from dashboard import settings
from dashboard.domain import connexion as regles

COOKIE = "objets_session"
COOKIE_CSRF = "objets_csrf"


def _serialiseur(sel: str) -> URLSafeTimedSerializer:
    key = settings.secret_key()
    if not key:
        raise RuntimeError("OBJETS_SECRET_KEY manquante")
    return URLSafeTimedSerializer(key, salt=f"collectif-objets/{sel}")


def valeur_cookie(jeton: str) -> str:
    return _serialiseur("session").dumps(jeton)


def session_du_cookie(valeur: str | None) -> bytes | None:
    """The session id a cookie names, if its signature holds (and it is younger than the
    longest session); None otherwise."""
    if not valeur:
        return None
    try:
        jeton = _serialiseur("session").loads(valeur, max_age=int(regles.DUREE_MAX.total_seconds()))
    except (BadData, RuntimeError):
        return None
    return regles.empreinte(jeton) if isinstance(jeton, str) else None


def nouveau_csrf() -> tuple[str, str]:
    """(cookie value, form value) of the double-submit anti-forgery check."""
    valeur = secrets.token_urlsafe(24)
    return _serialiseur("csrf").dumps(valeur), valeur


def csrf_valide(cookie: str | None, formulaire: str | None) -> bool:
    if not cookie or not formulaire:
        return False
    try:
        attendu = _serialiseur("csrf").loads(cookie, max_age=2 * 3600)
    except (BadData, RuntimeError):
        return False
    return isinstance(attendu, str) and hmac.compare_digest(attendu, formulaire)


def jeton_deconnexion(session_id: bytes) -> str:
    """What the sign-out form posts: only a page shown to this session's user holds it."""
    return _serialiseur("deconnexion").dumps(session_id.hex())


def session_a_terminer(jeton: str | None) -> bytes | None:
    try:
        valeur = _serialiseur("deconnexion").loads(jeton or "", max_age=int(regles.DUREE_MAX.total_seconds()))
        return bytes.fromhex(valeur)
    except (BadData, RuntimeError, ValueError, TypeError):
        return None
