"""`objets alertes`: each conservateur's digest of the new urgent cases of their départements.

New = the dossier was transmitted since the previous digest sent to that conservateur (or in
the last 7 days for a first one), and not after this digest's date: the urgences statement's
"nouveau" (queries/urgences.sql), the same rule as the page's "nouveau depuis votre dernière
visite". Sent by SMTP when OBJETS_SMTP_HOST is set (OBJETS_SMTP_PORT,
OBJETS_SMTP_USER, OBJETS_SMTP_PASSWORD, OBJETS_SMTP_FROM), printed otherwise; each digest is
recorded in alerte_envoi so the next one starts where it stopped. An e-mail leaves the
application: it names the cases and their level, never why an objet is préoccupant (an
objet easy to steal must not be listed as such outside the application).
"""
from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import click
import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import identity, rights
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import URGENCE
from dashboard.reads import urgences, users

PERIODE = timedelta(days=7)


@dataclass
class Digest:
    user: identity.User
    depuis: datetime
    jusqu_a: datetime
    cas: pd.DataFrame

    @property
    def sujet(self) -> str:
        n = len(self.cas)
        return f"Collectif Objets : {n} nouveau{'x' if n > 1 else ''} cas urgent{'s' if n > 1 else ''} ({self.user.scope.libelle})"

    def texte(self) -> str:
        lines = [f"Bonjour {self.user.nom},", "",
                 f"Nouveaux cas urgents transmis du {self.depuis:%d/%m/%Y} au {self.jusqu_a:%d/%m/%Y} "
                 f"dans votre périmètre ({self.user.scope.libelle}) :", ""]
        if self.cas.empty:
            lines.append("Aucun nouveau cas urgent cette semaine.")
        for niveau in urgences.NIVEAUX:
            rows = self.cas[self.cas["niveau"] == niveau]
            if rows.empty:
                continue
            lines.append(f"{URGENCE.libelle(niveau)}s ({len(rows)}) :")
            for r in rows.itertuples():
                lines.append(f"  - {r.ref} — {r.titre or 'sans titre'} — {r.commune_nom or r.commune_code} "
                             f"({r.departement_code})")
            lines.append("")
        lines += ["Le détail de chaque cas est sur la page « Cas urgents » du tableau de bord.", "",
                  "— Collectif Objets"]
        return "\n".join(lines)


def conservateurs(conn: Connection) -> list[identity.User]:
    """Who receives a digest: those who examine (the rights table), for their départements."""
    ids = sql.fetch_df(conn, "alertes_destinataires", roles=sorted(rights.roles_avec(Capacite.EXAMINER)))["id"]
    return [u for u in (users.load_user(conn, int(i)) for i in ids) if u and u.scope.departements]


def digests(conn: Connection, maintenant: datetime | None = None) -> list[Digest]:
    maintenant = maintenant or datetime.now(timezone.utc)
    out = []
    for user in conservateurs(conn):
        last = sql.fetch_scalar(conn, "alertes_dernier_envoi", user_id=user.id)
        depuis = last or maintenant - PERIODE
        cas = urgences.cas_urgents(conn, user.scope, user.role, urgences.Filtres(nouveaux=True),
                                   depuis=depuis, jusqu_a=maintenant)
        out.append(Digest(user, depuis, maintenant, cas))
    return out


def smtp_config() -> dict | None:
    host = os.environ.get("OBJETS_SMTP_HOST", "").strip()
    if not host:
        return None
    return {"host": host, "port": int(os.environ.get("OBJETS_SMTP_PORT", "587")),
            "user": os.environ.get("OBJETS_SMTP_USER") or None, "password": os.environ.get("OBJETS_SMTP_PASSWORD") or None,
            "from": os.environ.get("OBJETS_SMTP_FROM", "collectif-objets@localhost")}


def envoyer(digest: Digest, config: dict) -> None:
    message = EmailMessage()
    message["Subject"] = digest.sujet
    message["From"] = config["from"]
    message["To"] = digest.user.email
    message.set_content(digest.texte())
    smtp_class = smtplib.SMTP_SSL if config["port"] == 465 else smtplib.SMTP
    with smtp_class(config["host"], config["port"], timeout=30) as smtp:
        if smtp_class is smtplib.SMTP:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
        if config["user"]:
            smtp.login(config["user"], config["password"] or "")
        smtp.send_message(message)


def run(conn: Connection, echo=print, maintenant: datetime | None = None, enregistrer: bool = True) -> list[Digest]:
    """Build every digest, send (or print) the non-empty ones, record them."""
    config = smtp_config()
    done = []
    for digest in digests(conn, maintenant):
        if digest.cas.empty:
            echo(f"{digest.user.email} : aucun nouveau cas")
            continue
        if config:
            envoyer(digest, config)
            echo(f"{digest.user.email} : {len(digest.cas)} cas envoyés par courriel")
        else:
            echo(f"--- à {digest.user.email} : {digest.sujet}\n{digest.texte()}\n")
        if enregistrer:
            sql.execute(conn, "alertes_enregistrer", user_id=digest.user.id, depuis=digest.depuis,
                        jusqu_a=digest.jusqu_a, nb_cas=len(digest.cas), canal="smtp" if config else "console")
        done.append(digest)
    return done


@click.command(name="alertes")
@click.option("--sans-enregistrer", is_flag=True, help="Ne pas noter l'envoi (la prochaine alerte reprendra la même période).")
def alertes_command(sans_enregistrer):
    """Envoie à chaque conservateur les nouveaux cas urgents de ses départements (courriel si OBJETS_SMTP_HOST, sinon affichage)."""
    from dashboard import db

    try:
        with db.connect() as conn:
            run(conn, echo=click.echo, enregistrer=not sans_enregistrer)
    except db.DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise click.ClickException(f"envoi impossible ({type(exc).__name__}) : {exc}") from None
