"""The rules of sign-in, without I/O: how long a session and a link live, how many failures
are tolerated, how an address is shown masked, what an OIDC ID token must hold.

The writes (dashboard.writes.connexion) and the app read these numbers; the SQL receives
them as bound parameters, so the rule is written once.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

INACTIVITE_MAX = timedelta(hours=12)     # a session unused this long has ended
DUREE_MAX = timedelta(days=7)            # and none lives longer than this
TOUCHER_APRES = timedelta(minutes=1)     # vu_le is written at most once a minute
LIEN_VALIDITE = timedelta(hours=48)      # a commune's sign-in link
# An st.login identity (its ID token) opens a session only this soon after it was issued:
# st.login's own cookie lasts 30 days, and an old one must not open a new session once
# ours has ended or been purged.
OIDC_FRAICHEUR = timedelta(minutes=15)

ECHECS_MAX = 5                           # failed password sign-ins, per account and per address
DEMANDES_LIEN_MAX = 5                    # link requests, per commune and per address
FENETRE = timedelta(minutes=15)

METHODES = ("mot_de_passe", "oidc", "lien")
HEURE_LEGALE = ZoneInfo("Europe/Paris")

_ADRESSE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def nouveau_jeton() -> str:
    """A random token (256 bits), URL-safe: what a cookie or a link carries."""
    return secrets.token_urlsafe(32)


def empreinte(jeton: str) -> bytes:
    """What the database keeps of a token: its SHA-256 (32 bytes)."""
    return hashlib.sha256(jeton.encode("utf-8")).digest()


def normaliser_email(email: str | None) -> str:
    return (email or "").strip().lower()


def email_valide(email: str | None) -> bool:
    return bool(email) and len(email) <= 254 and bool(_ADRESSE.match(email.strip()))


def masquer(email: str) -> str:
    """"mairie@exemple.fr" -> "m•••@•••.fr": enough to recognise one's address, not to
    learn someone else's."""
    local, _, domaine = email.strip().partition("@")
    extension = domaine.rsplit(".", 1)[-1] if "." in domaine else ""
    return f"{local[:1]}•••@•••" + (f".{extension}" if extension else "")


# --- throttling keys ------------------------------------------------------------------------

def cle_compte(email: str) -> str:
    return f"compte:{normaliser_email(email)}"


def cle_adresse(adresse: str) -> str:
    return f"adresse:{adresse}"


def cle_commune(code: str) -> str:
    return f"commune:{code}"


def cle_lien_adresse(adresse: str) -> str:
    return f"lien:{adresse}"


def message_attente(jusqu_a: datetime) -> str:
    """The French sentence that says when to retry."""
    heure = jusqu_a.astimezone(HEURE_LEGALE)
    return (f"Trop de tentatives en peu de temps. Pour votre sécurité, réessayez après "
            f"{heure:%H} h {heure:%M}.")


# --- OIDC -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IdentiteOidc:
    """What identifies an agent in an ID token: the issuer and the subject (together), and
    when the token was issued (a session is bound to it). The e-mail serves once, to link
    the account at the first sign-in."""
    issuer: str
    sub: str
    emis_le: datetime
    email: str | None
    nom: str | None


class IdentiteIncomplete(ValueError):
    pass


def identite_oidc(claims: dict) -> IdentiteOidc:
    """The identity an ID token's claims carry (st.user); IdentiteIncomplete if iss, sub or
    iat is missing."""
    issuer, sub, iat = claims.get("iss"), claims.get("sub"), claims.get("iat")
    if not issuer or not sub or not isinstance(iat, (int, float)):
        raise IdentiteIncomplete("jeton d'identité sans iss, sub ou iat")
    email = claims.get("email")
    nom = " ".join(str(claims[k]) for k in ("given_name", "usual_name", "family_name") if claims.get(k)) \
        or claims.get("name")
    return IdentiteOidc(str(issuer), str(sub), datetime.fromtimestamp(iat, tz=timezone.utc),
                        normaliser_email(email) if email_valide(email) else None, nom or None)
