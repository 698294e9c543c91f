"""Campaigns (domain.md, "Campaigns"): their dates, their statuses on a given day, what is due
to each invited commune, and the words of the messages they send.

- A campaign has a launch date, up to three reminders strictly between launch and end, in
  order, and an end date after the launch (dates(): French messages for what is wrong).
- Statuses: draft (brouillon) -> planned (planifiée) -> ongoing (en cours) -> finished
  (terminée). A draft moves only when a user plans it. A planned campaign is ongoing from
  its launch date; a planned or ongoing campaign is finished the day after its end date
  (statut_le()). Active = planned or ongoing: two active campaigns of one département never
  overlap (the database refuses it; campagne_active() in SQL).
- Sends, checked by `objets campagnes` each day (dashboard/ops/campagnes.py), the clock
  being a parameter: an invitation to each commune of an ongoing campaign not invited yet;
  reminder k when its date has come, the commune was invited before that date, has not
  answered (no dossier of the campaign) and has received no reminder k or later. When the
  timer missed days, only the latest reminder due is sent (never two at once).

Pure: no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

ACTIVES = ("planned", "ongoing")
RELANCES_MAX = 3
# What a user may do to a campaign's status by hand (the rest follows its dates).
CHANGEMENTS_MANUELS = {("draft", "planned"): "Planifier", ("planned", "draft"): "Repasser en brouillon"}
MODIFIABLES = ("draft", "planned")     # dates and communes may still change
NOM_MAX = 200


@dataclass(frozen=True)
class Dates:
    lancement: date
    fin: date
    relances: tuple[date, ...] = field(default=())

    def relance(self, numero: int) -> date | None:
        return self.relances[numero - 1] if numero <= len(self.relances) else None


def erreurs_dates(d: Dates) -> list[str]:
    """What is wrong with a campaign's dates, in French (empty: they are right)."""
    erreurs = []
    if d.fin <= d.lancement:
        erreurs.append("La date de fin doit suivre la date de lancement.")
    if len(d.relances) > RELANCES_MAX:
        erreurs.append(f"Au plus {RELANCES_MAX} relances.")
    precedente = d.lancement
    for k, relance in enumerate(d.relances, 1):
        if relance <= precedente:
            quoi = "le lancement" if k == 1 else f"la relance {k - 1}"
            erreurs.append(f"La relance {k} doit venir après {quoi}.")
        if relance >= d.fin:
            erreurs.append(f"La relance {k} doit venir avant la fin de la campagne.")
        precedente = relance
    return erreurs


def relances_de(*dates_saisies: date | None) -> tuple[date, ...]:
    """The reminders typed in a form (up to three fields, blanks allowed at the end), in order."""
    return tuple(d for d in dates_saisies if d is not None)


def erreurs_relances_saisies(*dates_saisies: date | None) -> list[str]:
    """A blank reminder field followed by a filled one is refused (relance 2 without relance 1)."""
    vues = [d is not None for d in dates_saisies]
    if any(not vue and any(vues[k + 1:]) for k, vue in enumerate(vues)):
        return ["Renseignez les relances dans l'ordre : une relance ne peut pas suivre une relance vide."]
    return []


def active(statut: str) -> bool:
    return statut in ACTIVES


def chevauchent(a: Dates, b: Dates) -> bool:
    """Whether two campaigns' date ranges (both days included) share a day."""
    return a.lancement <= b.fin and b.lancement <= a.fin


def statut_le(statut: str, d: Dates, jour: date) -> str:
    """The status a campaign has on `jour`, from the one it had: a draft stays a draft; a
    planned campaign is ongoing from its launch; planned or ongoing, finished after its end."""
    if statut not in ACTIVES:
        return statut
    if jour > d.fin:
        return "finished"
    if jour >= d.lancement:
        return "ongoing"
    return statut


def invitation_due(statut: str, invitee_le: date | None) -> bool:
    """An ongoing campaign's commune not invited yet is invited (the day the command runs)."""
    return statut == "ongoing" and invitee_le is None


def relance_due(statut: str, d: Dates, jour: date, invitee_le: date | None, envoyees: set[int] | frozenset[int],
                a_repondu: bool) -> int | None:
    """The number of the reminder to send today to one commune, or None."""
    if statut != "ongoing" or invitee_le is None or a_repondu or jour > d.fin:
        return None
    dues = [k for k, r in enumerate(d.relances, 1) if r <= jour and invitee_le < r]
    if not dues:
        return None
    k = max(dues)
    return None if any(e >= k for e in envoyees) else k


# --- the messages ----------------------------------------------------------------------------

def date_fr(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def sujet(nom_campagne: str, relance: int | None) -> str:
    debut = f"Relance {relance} : " if relance else ""
    return f"{debut}{nom_campagne} — recensement des objets protégés de votre commune"


def texte(*, commune: str, code: str, nom_campagne: str, d: Dates, lien: str, url_publique: str,
          validite: timedelta, relance: int | None = None) -> str:
    """The plain-text invitation (or reminder k), with the commune's one-time sign-in link."""
    heures = int(validite / timedelta(hours=1))
    rappel = (f"Ce message fait suite à notre invitation à la campagne « {nom_campagne} » : nous n'avons pas "
              "encore reçu le recensement de votre commune.\n\n" if relance else "")
    return (
        f"Bonjour,\n\n{rappel}"
        f"La commune de {commune} ({code}) détient des objets mobiliers protégés au titre des monuments "
        f"historiques. Dans le cadre de la campagne « {nom_campagne} » (jusqu'au {date_fr(d.fin)}), nous vous "
        "invitons à les recenser : vérifier sur place que chacun est bien là, noter son état et le "
        "photographier.\n\n"
        f"Pour vous connecter au service Collectif Objets, ouvrez ce lien puis cliquez sur « Se connecter ». "
        f"Il est valable {heures} heures et ne sert qu'une fois :\n\n{lien}\n\n"
        f"Passé ce délai, demandez un nouveau lien sur {url_publique.rstrip('/')} (page de connexion).\n\n"
        "— Collectif Objets, ministère de la Culture\n")
