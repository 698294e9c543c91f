"""`objets alertes`: each conservateur's digest of the new urgent cases of their départements,
and of what the imports of Palissy changed there (objets added, withdrawn, or whose title,
protection, commune or building changed: objet_changement, dashboard.reads.qualite) since
the previous digest.

New = the dossier was transmitted since the previous digest sent to that conservateur (or in
the last 7 days for a first one), and not after this digest's date: the rule of
dashboard.domain.nouveaute, the same as the page's "nouveau depuis votre dernière visite". An e-mail leaves the application: it names the cases and their level, never why an
objet is préoccupant (an objet easy to steal must not be listed as such outside the
application).

Delivery goes through the outbox: when SMTP is configured (settings.smtp()), each digest is
queued with writes.courriels.mettre_en_file (motif "digest") in the same transaction that
records it in alerte_envoi with canal 'smtp' ("handed to the mailer"): both exist or
neither, and `objets mail send` delivers it, with retries. This module never talks SMTP.
Without SMTP the digest is printed and recorded with canal 'console', as before (a demo
machine does not fill an outbox nobody sends); with --sans-enregistrer it is printed and
nothing is queued or recorded. The canal values and their CHECK are unchanged: no migration.
Runs that record take a transaction-level advisory lock first: two runs at once (a timer on
each replica) would otherwise both read the same "previous digest" and queue it twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import click
import pandas as pd
from sqlalchemy.engine import Connection

from dashboard import settings
from dashboard.db import sql
from dashboard.domain import identity, rights
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import CHANGEMENT_POP, URGENCE
from dashboard.reads import qualite, urgences, users
from dashboard.writes import courriels

PERIODE = timedelta(days=7)
# Changes listed per kind in an e-mail; the rest are counted, the page lists them all.
CHANGEMENTS_PAR_NATURE = 30


@dataclass
class Digest:
    user: identity.User
    depuis: datetime
    jusqu_a: datetime
    cas: pd.DataFrame
    changements: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def vide(self) -> bool:
        return self.cas.empty and self.changements.empty

    @property
    def sujet(self) -> str:
        n = len(self.cas)
        debut = f"Collectif Objets : {n} nouveau{'x' if n > 1 else ''} cas urgent{'s' if n > 1 else ''}"
        if not self.changements.empty:
            m = len(self.changements)
            debut += f", {m} changement{'s' if m > 1 else ''} dans POP"
        sujet = f"{debut} ({self.user.scope.libelle})"
        if len(sujet) > courriels.SUJET_MAX:   # many départements: the outbox refuses a longer subject
            sujet = f"{debut} ({len(self.user.scope.departements or ())} départements)"
        return sujet

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
        lines += ["Le détail de chaque cas est sur la page « Cas urgents » du tableau de bord.", ""]
        if not self.changements.empty:
            lines += self._texte_changements()
        lines.append("— Collectif Objets")
        return "\n".join(lines)

    def _texte_changements(self) -> list[str]:
        lines = ["Changements dans POP (imports de la base Palissy) depuis le "
                 f"{self.depuis:%d/%m/%Y} dans votre périmètre :", ""]
        for nature in CHANGEMENT_POP.codes:
            rows = self.changements[self.changements["nature"] == nature]
            if rows.empty:
                continue
            lines.append(f"{CHANGEMENT_POP.libelle(nature)} ({len(rows)}) :")
            for r in rows.head(CHANGEMENTS_PAR_NATURE).itertuples():
                ligne = (f"  - {r.ref} — {r.titre or 'sans titre'} — {r.commune_nom or r.commune_code or '?'} "
                         f"({r.departement_code or '?'})")
                if nature not in ("ajout", "retrait"):
                    ligne += f" : {r.avant or '—'} → {r.apres or '—'}"
                lines.append(ligne)
            if len(rows) > CHANGEMENTS_PAR_NATURE:
                lines.append(f"  … et {len(rows) - CHANGEMENTS_PAR_NATURE} autres")
            lines.append("")
        lines += ["Tous les changements sont sur la page « Qualité des données » du tableau de bord.", ""]
        return lines


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
        changements = qualite.changements_periode(conn, user.scope, depuis, maintenant)
        out.append(Digest(user, depuis, maintenant, cas, changements))
    return out


def run(conn: Connection, echo=print, maintenant: datetime | None = None, enregistrer: bool = True) -> list[Digest]:
    """Build every digest; queue the non-empty ones (or print them) and record them, all in
    the caller's transaction. Returns the digests queued or printed."""
    en_file = enregistrer and settings.smtp() is not None
    if enregistrer:
        sql.execute(conn, "alertes_verrou")
    done = []
    for digest in digests(conn, maintenant):
        if digest.vide:
            echo(f"{digest.user.email} : aucun nouveau cas ni changement dans POP")
            continue
        if en_file:
            try:
                courriels.mettre_en_file(conn, destinataire=digest.user.email, sujet=digest.sujet,
                                         corps=digest.texte(), motif="digest")
            except courriels.CourrielRefuse as exc:
                # Not recorded: once the address is corrected, the next digest covers this period.
                echo(f"{digest.user.email} : digest non envoyé ({exc})")
                continue
            echo(f"{digest.user.email} : {len(digest.cas)} cas, {len(digest.changements)} changements dans POP, "
                 "courriel mis en file (envoi par « objets mail send »)")
        else:
            echo(f"--- à {digest.user.email} : {digest.sujet}\n{digest.texte()}\n")
        if enregistrer:
            sql.execute(conn, "alertes_enregistrer", user_id=digest.user.id, depuis=digest.depuis,
                        jusqu_a=digest.jusqu_a, nb_cas=len(digest.cas), canal="smtp" if en_file else "console")
        done.append(digest)
    return done


@click.command(name="alertes")
@click.option("--sans-enregistrer", is_flag=True, help="Ne pas noter l'envoi (la prochaine alerte reprendra la même période).")
def alertes_command(sans_enregistrer):
    """Met en file pour chaque conservateur les nouveaux cas urgents de ses départements (affichés sans OBJETS_SMTP_HOST)."""
    from dashboard import db

    try:
        settings.smtp()   # a half-filled SMTP setting is refused before anything is done
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        with db.connect() as conn:
            run(conn, echo=click.echo, enregistrer=not sans_enregistrer)
    except db.DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
