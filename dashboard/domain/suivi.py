"""A contact with a commune, as a deployment officer records it (contact_commune): what it
must hold, and the French message for each thing wrong with it. The "to call back" rule: a
commune is to call back on the date its latest contact gives; a later contact (the call
back itself) replaces it.

Pure: no I/O (dashboard.writes.suivi stores it; the database checks the same limits).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from dashboard.domain.connexion import email_valide
from dashboard.domain.vocabulary import CANAL_CONTACT, RESULTAT_CONTACT

INTERLOCUTEUR_MAX = 200
PROCHAINE_ETAPE_MAX = 500
NOTE_MAX = 20_000


@dataclass(frozen=True)
class Contact:
    contacte_le: date
    canal: str
    resultat: str
    interlocuteur: str | None = None
    courriel: str | None = None
    prochaine_etape: str | None = None
    rappeler_le: date | None = None
    note: str | None = None


def _texte(valeur: str | None) -> str | None:
    """Blank is nothing; NUL cannot be stored (PostgreSQL text): dropped. The rest as typed."""
    if valeur is None:
        return None
    valeur = valeur.replace("\x00", "")
    return valeur if valeur.strip() else None


def nettoyer(c: Contact) -> Contact:
    """Blank fields as None, the one-line fields trimmed; the note kept exactly as typed."""
    ligne = lambda v: _texte(v).strip() if _texte(v) else None  # noqa: E731
    return replace(c, interlocuteur=ligne(c.interlocuteur), courriel=ligne(c.courriel),
                   prochaine_etape=ligne(c.prochaine_etape), note=_texte(c.note))


def erreurs(c: Contact, aujourd_hui: date) -> list[str]:
    """What is wrong with a contact (cleaned by nettoyer()), in French; empty when it can be stored."""
    out = []
    if c.contacte_le > aujourd_hui:
        out.append("La date du contact ne peut pas être dans le futur.")
    if c.canal not in CANAL_CONTACT:
        out.append("Canal du contact inconnu.")
    if c.resultat not in RESULTAT_CONTACT:
        out.append("Résultat du contact inconnu.")
    if c.courriel is not None and not email_valide(c.courriel):
        out.append(f"« {c.courriel[:80]} » n'est pas une adresse électronique (attendu : nom@domaine.fr).")
    if c.rappeler_le is not None and c.rappeler_le < c.contacte_le:
        out.append("La date de rappel ne peut pas précéder la date du contact.")
    if c.resultat == "a_rappeler" and c.rappeler_le is None:
        out.append("Résultat « À rappeler » : indiquez la date à laquelle rappeler.")
    for valeur, maximum, nom in ((c.interlocuteur, INTERLOCUTEUR_MAX, "Le nom de l'interlocuteur"),
                                 (c.prochaine_etape, PROCHAINE_ETAPE_MAX, "La prochaine étape"),
                                 (c.note, NOTE_MAX, "La note")):
        if valeur is not None and len(valeur) > maximum:
            out.append(f"{nom} est trop longue ({len(valeur)} caractères ; au plus {maximum}).")
    return out


def en_retard(rappeler_le: date | None, aujourd_hui: date) -> bool:
    """A call back whose date has passed (today's is due, not late)."""
    return rappeler_le is not None and rappeler_le < aujourd_hui
