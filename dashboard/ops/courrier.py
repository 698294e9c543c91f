"""`objets mail send`: delivers the outbox (table courriel, filled by
dashboard.writes.courriels.mettre_en_file), every attempt recorded in courriel_envoi.

One message per transaction: the oldest due one is claimed with FOR UPDATE SKIP LOCKED,
handed to the SMTP server, and its outcome written before the commit releases it. Two
senders (two timers, two replicas) therefore never hold the same message, and never wait
for each other either. If the process dies after the server accepted a message but before
the commit, the message is sent again on the next run: delivery is at least once, and its
Message-ID is the same on every attempt so that a receiving system can tell.

Security: STARTTLS is required, never plain SMTP, no fallback (nor TLS from the first byte
on port 465: settings.smtp() refuses it, one way to test and to reason about); the
server's certificate and name are verified by ssl.create_default_context()
(OBJETS_SMTP_CA_FILE for a private CA); the sign-in happens only inside TLS; a recorded
error is one line and never holds the password.

Failures: a 5xx answer about the message itself (unknown recipient, content refused) gives
it up at once, since RFC 5321 makes those final; anything else (server unreachable, no
STARTTLS, certificate or sign-in refused, 4xx) is tried again after DELAIS, and given up
after TENTATIVES_MAX attempts. When the server itself is unusable, the run stops at the
first failure instead of charging an attempt to every message in the queue.
"""
from __future__ import annotations

import base64
import email.policy
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

from dashboard import db, settings
from dashboard.db import sql

# Waits after the 1st, 2nd... failure; the attempt after the last wait is the last one.
DELAIS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
          timedelta(hours=12))
TENTATIVES_MAX = len(DELAIS) + 1
ERREUR_MAX = 500


class SansStartTLS(smtplib.SMTPException):
    """The server does not offer STARTTLS: we do not send in clear text."""


class MessageInvalide(ValueError):
    """The message cannot be written as e-mail (its address or text); retrying cannot help."""


@dataclass
class Bilan:
    """What one run did, and what is left."""
    envoyes: int = 0
    echecs: int = 0           # tried again later
    abandonnes: int = 0
    en_attente: int = 0       # neither sent nor given up, after the run
    dus: int = 0              # of those, due now (a stopped run, or --limite reached)
    arret: str | None = None  # why the run stopped before the queue was empty

    @property
    def tentes(self) -> int:
        return self.envoyes + self.echecs + self.abandonnes

    @property
    def reussi(self) -> bool:
        return not (self.echecs or self.abandonnes)

    def ligne(self) -> str:
        return (f"courriels : {self.envoyes} envoyé(s), {self.echecs} en échec (nouvel essai plus tard), "
                f"{self.abandonnes} abandonné(s), {self.en_attente} en attente "
                f"(dont {self.dus} à envoyer maintenant)")


def contexte_tls(config: settings.Smtp) -> ssl.SSLContext:
    """Certificate and host name verified (the default context does both), TLS 1.2 at least."""
    contexte = ssl.create_default_context(cafile=config.ca_file)
    contexte.minimum_version = ssl.TLSVersion.TLSv1_2
    return contexte


def ouvrir(config: settings.Smtp) -> smtplib.SMTP:
    """A session ready to send: TLS up and verified, signed in when a user is set."""
    contexte = contexte_tls(config)
    session = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        session.ehlo()
        if not session.has_extn("starttls"):
            raise SansStartTLS("le serveur n'offre pas STARTTLS : envoi refusé (jamais en clair)")
        session.starttls(context=contexte)
        session.ehlo()   # the capabilities said before TLS cannot be trusted (RFC 3207)
        if config.user:
            connecter(session, config.user, config.password or "")
    except BaseException:
        fermer(session)
        raise
    return session


def connecter(session: smtplib.SMTP, user: str, password: str) -> None:
    """Sign in. smtplib encodes credentials as ASCII and fails on "é"; AUTH PLAIN is UTF-8
    (RFC 4616), so a non-ASCII password goes that way."""
    if (user + password).isascii():
        session.login(user, password)
        return
    if "PLAIN" not in session.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPNotSupportedError("mot de passe non ASCII : le serveur n'offre pas AUTH PLAIN")
    jeton = base64.b64encode(f"\0{user}\0{password}".encode("utf-8")).decode("ascii")
    code, reponse = session.docmd("AUTH", f"PLAIN {jeton}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reponse)


def fermer(session: smtplib.SMTP | None) -> None:
    if session is None:
        return
    try:
        session.quit()
    except (OSError, smtplib.SMTPException):
        session.close()


def composer(courriel: dict, config: settings.Smtp, maintenant: datetime | None = None) -> EmailMessage:
    """Plain UTF-8 text, quoted-printable (7-bit safe whatever the server's extensions),
    headers encoded by the email package (RFC 2047 for a French subject)."""
    try:
        message = EmailMessage(policy=email.policy.SMTP)
        message["Date"] = format_datetime(maintenant or datetime.now(timezone.utc))
        message["From"] = config.expediteur
        message["To"] = courriel["destinataire"]
        message["Subject"] = courriel["sujet"]
        # The same on every attempt: a duplicate after a crash is recognisable.
        domaine = config.adresse_expediteur.rpartition("@")[2]
        horodatage = int(courriel["cree_le"].timestamp() * 1_000_000)
        message["Message-ID"] = f"<courriel.{courriel['id']}.{horodatage}@{domaine}>"
        message["Auto-Submitted"] = "auto-generated"   # RFC 3834: no out-of-office replies
        message.set_content(courriel["corps"], charset="utf-8", cte="quoted-printable")
        message.as_bytes()   # fail here, as this message's fault, rather than mid-conversation
    except Exception as exc:  # noqa: BLE001 - whatever the email package refuses, the message is at fault
        raise MessageInvalide(f"message impossible à écrire : {type(exc).__name__} : {exc}") from None
    return message


def remettre(session: smtplib.SMTP, message: EmailMessage, expediteur: str, destinataire: str) -> str:
    """Hand one message over; returns the server's answer to DATA (its queue id, for tracing)."""
    try:
        donnees = message.as_bytes()
        destinataire.encode("ascii")
    except UnicodeError:
        raise MessageInvalide("adresse non ASCII : ce serveur ne peut pas la recevoir") from None
    code, reponse = session.mail(expediteur)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reponse, expediteur)
    code, reponse = session.rcpt(destinataire)
    if code not in (250, 251):
        raise smtplib.SMTPRecipientsRefused({destinataire: (code, reponse)})
    code, reponse = session.data(donnees)
    if code != 250:
        raise smtplib.SMTPDataError(code, reponse)
    return f"{code} {_texte(reponse)}"


def _texte(reponse) -> str:
    return reponse.decode("utf-8", "replace") if isinstance(reponse, bytes) else str(reponse)


def definitif(exc: BaseException) -> bool:
    """A 5xx answer about this message, or a message we cannot write: trying again cannot help."""
    if isinstance(exc, MessageInvalide):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


def propre_au_message(exc: BaseException) -> bool:
    """Whether the failure is this message's (the run goes on) or the server's (the run stops)."""
    return isinstance(exc, (MessageInvalide, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError))


def une_ligne(exc: BaseException, config: settings.Smtp) -> str:
    """The error as recorded: one line, bounded, the password masked should a server echo it."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        texte = "destinataire refusé : " + "; ".join(f"{code} {_texte(msg)}" for code, msg in exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        texte = f"{type(exc).__name__} : {exc.smtp_code} {_texte(exc.smtp_error)}"
    elif isinstance(exc, ssl.SSLCertVerificationError):
        texte = f"certificat du serveur refusé : {exc.verify_message or exc}"
    elif isinstance(exc, (SansStartTLS, MessageInvalide)):
        texte = str(exc)
    else:
        texte = f"{type(exc).__name__} : {exc}"
    texte = " ".join(texte.split())
    if config.password:
        texte = texte.replace(config.password, "***")
    return texte[:ERREUR_MAX]


def envoyer(config: settings.Smtp, *, url: str | None = None, limite: int = 500,
            maintenant: datetime | None = None, echo=print) -> Bilan:
    """Send the due messages, oldest first, at most `limite`; one SMTP session for the run."""
    bilan = Bilan()
    session = None
    try:
        while bilan.tentes < limite and bilan.arret is None:
            with db.connect(url) as conn:
                courriel = sql.fetch_one(conn, "courriel_reserver", maintenant=maintenant)
                if courriel is None:
                    break
                try:
                    message = composer(courriel, config, maintenant)
                    session = session or ouvrir(config)
                    reponse = remettre(session, message, config.adresse_expediteur, courriel["destinataire"])
                except (OSError, ValueError) as exc:   # smtplib's and ssl's errors are OSErrors
                    # A session that failed once is not trusted with the next message.
                    fermer(session)
                    session = None
                    _noter_echec(conn, courriel, exc, config, bilan, maintenant, echo)
                    if not propre_au_message(exc):
                        bilan.arret = une_ligne(exc, config)
                else:
                    sql.execute(conn, "courriel_noter_tentative", id=courriel["id"], maintenant=maintenant,
                                reussi=True, reponse=" ".join(reponse.split())[:ERREUR_MAX])
                    sql.execute(conn, "courriel_envoye", id=courriel["id"], maintenant=maintenant)
                    bilan.envoyes += 1
    finally:
        fermer(session)
    with db.connect(url) as conn:
        reste = sql.fetch_one(conn, "courriel_en_attente", maintenant=maintenant)
    bilan.en_attente, bilan.dus = int(reste["en_attente"]), int(reste["dus"])
    return bilan


def _noter_echec(conn, courriel: dict, exc: BaseException, config: settings.Smtp, bilan: Bilan,
                 maintenant: datetime | None, echo) -> None:
    erreur = une_ligne(exc, config)
    tentative = courriel["tentatives"] + 1
    sql.execute(conn, "courriel_noter_tentative", id=courriel["id"], maintenant=maintenant, reussi=False,
                reponse=erreur)
    if definitif(exc) or tentative >= TENTATIVES_MAX:
        sql.execute(conn, "courriel_abandonner", id=courriel["id"], maintenant=maintenant, erreur=erreur)
        bilan.abandonnes += 1
        echo(f"courriel n°{courriel['id']} abandonné après {tentative} essai(s) : {erreur}")
    else:
        delai = DELAIS[tentative - 1]
        sql.execute(conn, "courriel_reessayer", id=courriel["id"], maintenant=maintenant, erreur=erreur, delai=delai)
        bilan.echecs += 1
        echo(f"courriel n°{courriel['id']} en échec (essai {tentative}/{TENTATIVES_MAX}, nouvel essai dans "
             f"{_duree(delai)}) : {erreur}")


def _duree(delai: timedelta) -> str:
    minutes = int(delai.total_seconds() // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h"


def apercu(conn, *, limite: int = 500, maintenant: datetime | None = None, echo=print) -> int:
    """--sans-envoyer: print what a run would send; nothing is locked, sent or recorded."""
    dus = sql.execute(conn, "courriel_dus", limite=limite, maintenant=maintenant).mappings().all()
    for c in dus:
        essai = f", essai {c['tentatives'] + 1}" if c["tentatives"] else ""
        echo(f"--- courriel n°{c['id']} ({c['motif']}{essai}) à {c['destinataire']} : {c['sujet']}\n{c['corps']}\n")
    return len(dus)
