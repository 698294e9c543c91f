"""`objets campagnes`: each day (a timer), campaigns move through their statuses on their
dates, and the invitations and reminders due are queued in the outbox.

The rules are dashboard.domain.campagnes' (statut_le(), invitation_due(), relance_due());
the day is a parameter (`aujourd_hui`, the command's --date), so every transition is tested
on its date. In one transaction, after an advisory lock (two runs at once, a timer on each
replica, never send twice):

1. each planned or ongoing campaign gets the status of the day (planned -> ongoing from its
   launch; -> finished after its end), on the version read (a user's concurrent edit wins
   and the campaign moves at the next run);
2. each commune of an ongoing campaign not invited yet gets an invitation, and each one that
   has not answered its reminder due; every message carries the commune's own one-time
   sign-in link (dashboard.writes.connexion: the link recorded with its message) and goes
   to courriel_de_la_commune() (the address a conservateur set, else the mairie's); it is
   queued with mettre_en_file() and the send is recorded (campagne_commune.invitee_le and
   courriel_id; a row of campagne_relance). A commune without a valid address is reported
   and stays not invited: it is invited on the first run after an address is set.

`objets mail send` delivers the outbox (README, "Courriels").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import click
from sqlalchemy.engine import Connection

from dashboard import settings
from dashboard.db import sql
from dashboard.domain import campagnes as regles
from dashboard.domain import connexion as regles_connexion
from dashboard.domain.vocabulary import STATUT_CAMPAGNE
from dashboard.writes import connexion, courriels


@dataclass
class Bilan:
    statuts: list[tuple[int, str, str, str]] = field(default_factory=list)   # (id, nom, from, to)
    invitations: int = 0
    relances: int = 0
    sans_adresse: list[tuple[int, str]] = field(default_factory=list)      # (campaign, commune code)

    def ligne(self) -> str:
        return (f"{len(self.statuts)} changement(s) de statut, {self.invitations} invitation(s) et {self.relances} "
                f"relance(s) mises en file, {len(self.sans_adresse)} commune(s) sans adresse")


def _dates(row) -> regles.Dates:
    return regles.Dates(row["date_lancement"], row["date_fin"],
                        regles.relances_de(row["date_relance_1"], row["date_relance_2"], row["date_relance_3"]))


def _statuts(conn: Connection, aujourd_hui: date, bilan: Bilan, echo) -> None:
    for row in sql.fetch_df(conn, "campagnes_actives").to_dict("records"):
        vers = regles.statut_le(row["statut"], _dates(row), aujourd_hui)
        if vers == row["statut"]:
            continue
        if sql.fetch_scalar(conn, "campagne_passer", id=row["id"], version=row["version"], vers=vers) is None:
            echo(f"campagne {row['id']} modifiée pendant ce passage : elle avancera au prochain")
            continue
        bilan.statuts.append((row["id"], row["nom"], row["statut"], vers))
        echo(f"campagne {row['id']} « {row['nom']} » : {STATUT_CAMPAGNE.libelle(row['statut'])} -> "
             f"{STATUT_CAMPAGNE.libelle(vers)}")


def _envoyer(conn: Connection, row: dict, d: regles.Dates, relance: int | None, url_publique: str) -> int:
    """Queue the invitation (relance None) or reminder with a fresh sign-in link; the message's id."""
    jeton = regles_connexion.nouveau_jeton()
    corps = regles.texte(commune=row["commune_nom"], code=row["code"], nom_campagne=row["campagne_nom"], d=d,
                         lien=connexion.url_du_lien(url_publique, jeton), url_publique=url_publique,
                         validite=regles_connexion.LIEN_VALIDITE, relance=relance)
    courriel_id = courriels.mettre_en_file(conn, destinataire=row["courriel"], sujet=regles.sujet(row["campagne_nom"],
                                           relance), corps=corps, motif="relance_campagne" if relance else
                                           "invitation_campagne", commune_code=row["code"])
    connexion.enregistrer_lien(conn, jeton, row["code"], row["courriel"].strip(), courriel_id)
    return courriel_id


def _envois(conn: Connection, aujourd_hui: date, url_publique: str, bilan: Bilan, echo) -> None:
    for row in sql.fetch_df(conn, "campagnes_envois").to_dict("records"):
        d = _dates(row)
        statut = "ongoing"   # the statement reads the ongoing campaigns only
        invitation = regles.invitation_due(statut, row["invitee_le"])
        relance = None if invitation else regles.relance_due(statut, d, aujourd_hui, row["invitee_le"],
                                                              set(row["relances"] or ()), row["a_repondu"])
        if not invitation and relance is None:
            continue
        if not courriels.adresse_valide(row["courriel"]):
            bilan.sans_adresse.append((row["campagne_id"], row["code"]))
            echo(f"campagne {row['campagne_id']} : {row['commune_nom']} ({row['code']}) sans adresse électronique, "
                 "rien n'a été envoyé")
            continue
        courriel_id = _envoyer(conn, row, d, relance, url_publique)
        if invitation:
            if sql.fetch_scalar(conn, "campagne_noter_invitation", campagne_id=row["campagne_id"], code=row["code"],
                                jour=aujourd_hui, courriel_id=courriel_id) is None:
                raise RuntimeError("invitation déjà notée : un autre passage tourne sans le verrou")
            bilan.invitations += 1
        else:
            if sql.fetch_scalar(conn, "campagne_noter_relance", campagne_id=row["campagne_id"], code=row["code"],
                                numero=relance, jour=aujourd_hui, courriel_id=courriel_id) is None:
                raise RuntimeError("relance déjà notée : un autre passage tourne sans le verrou")
            bilan.relances += 1


def avancer(conn: Connection, aujourd_hui: date, url_publique: str, echo=print) -> Bilan:
    """The day's run, in the caller's transaction (module docstring)."""
    sql.execute(conn, "campagnes_verrou")
    bilan = Bilan()
    _statuts(conn, aujourd_hui, bilan, echo)
    _envois(conn, aujourd_hui, url_publique, bilan, echo)
    return bilan


def aujourd_hui_a_paris() -> date:
    return datetime.now(regles_connexion.HEURE_LEGALE).date()


@click.command(name="campagnes")
@click.option("--date", "jour", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Le jour du passage (AAAA-MM-JJ ; par défaut aujourd'hui, heure de Paris).")
def campagnes_command(jour):
    """Fait avancer les campagnes à leurs dates et met en file les invitations et relances dues (chaque jour)."""
    from dashboard import db

    url_publique = settings.url_publique()
    if not url_publique:
        raise click.ClickException("OBJETS_URL_PUBLIQUE manquante : les invitations portent le lien de connexion "
                                   "de chaque commune, qui commence par cette adresse")
    aujourd_hui = jour.date() if jour else aujourd_hui_a_paris()
    try:
        with db.connect() as conn:
            bilan = avancer(conn, aujourd_hui, url_publique, echo=click.echo)
    except db.DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{aujourd_hui:%d/%m/%Y} : {bilan.ligne()} (envoi par « objets mail send »)")
