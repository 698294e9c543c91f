"""The message a mairie receives when the conservateur accepts its dossier (issue 11): the
decision, the conservateur's notes for the commune, and the examen of each objet analysed
(the état retained when it differs from the commune's answer, the notes, the advice sheets).

Plain text, written once here (dashboard.writes.examen queues it with the acceptance, in
the same transaction, through dashboard.writes.courriels.mettre_en_file). Whatever someone
typed (notes, names) is copied as typed: a plain-text message renders no markup. The
sécurisation of objets (whether they are easy to steal) is never written into a message:
lists of objets "en danger" must not travel (domain.md).

Pure: no database, no Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.domain import formats
from dashboard.domain.vocabulary import ETAT_SANITAIRE, FICHE_CONSEIL, LOCALISATION, SOUHAIT_VISITE

MOTIF = "examen_dossier"  # courriel.motif of these messages


@dataclass(frozen=True)
class Analyse:
    """The examen of one objet of the dossier."""
    ref: str
    titre: str | None
    localisation: str | None          # the commune's answer
    etat_commune: str | None
    etat_conservateur: str | None     # the override, None when the commune's answer stands
    notes: str | None
    fiches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dossier:
    commune_code: str
    commune_nom: str
    transmis_le: datetime | None
    accepte_le: datetime
    conservateur: str
    notes: str | None                 # the conservateur's notes for the commune
    visite: str                       # SOUHAIT_VISITE


def sujet(d: Dossier) -> str:
    return f"Collectif Objets : le recensement de {d.commune_nom} a été examiné"


def _objet(a: Analyse) -> list[str]:
    lignes = [f"- {a.titre or 'Objet sans titre'} ({a.ref})"]
    if a.localisation == "absent":
        lignes.append("  Objet signalé introuvable.")
    if a.etat_conservateur:
        lignes.append(f"  État retenu par le conservateur : {ETAT_SANITAIRE.libelle(a.etat_conservateur)} "
                      f"(la commune avait indiqué : {ETAT_SANITAIRE.libelle(a.etat_commune, 'non renseigné')}).")
    if a.notes and a.notes.strip():
        lignes.append("  Notes du conservateur :")
        lignes += [f"    {ligne}" for ligne in a.notes.strip().splitlines()]
    if a.fiches:
        lignes.append("  Fiches conseils : " + ", ".join(FICHE_CONSEIL.libelle(f, f) for f in a.fiches) + ".")
    return lignes


def corps(d: Dossier, analyses: list[Analyse], lien: str | None = None) -> str:
    """The message's text."""
    transmis = f", transmis le {formats.date_fr(d.transmis_le)}," if d.transmis_le else ""
    lignes = [
        "Bonjour,",
        "",
        f"Le recensement des objets protégés de la commune de {d.commune_nom} ({d.commune_code}){transmis} a été "
        f"examiné et accepté le {formats.date_fr(d.accepte_le)} par {d.conservateur}, conservateur des antiquités "
        "et objets d'art.",
        "",
        "Notes du conservateur pour la commune :",
    ]
    lignes += [f"  {ligne}" for ligne in (d.notes or "").strip().splitlines()] or ["  (aucune note)"]
    if d.visite and d.visite != "aucune":
        lignes += ["", f"Visite du conservateur : {SOUHAIT_VISITE.libelle(d.visite).lower()}. Il vous contactera "
                       "pour en convenir."]
    avec_examen = [a for a in analyses if a.etat_conservateur or (a.notes and a.notes.strip()) or a.fiches
                   or a.localisation == "absent"]
    if avec_examen:
        lignes += ["", "Examen des objets :"]
        for a in avec_examen:
            lignes += _objet(a)
    if any(a.localisation == "absent" for a in analyses):
        lignes += ["", f"Pour un objet {LOCALISATION.libelle('absent').lower()}, le conservateur vous conseille de "
                       "déposer plainte auprès de la police ou de la gendarmerie ; le vol est signalé à l'Office "
                       "central de lutte contre le trafic des biens culturels (OCBC)."]
    if lien:
        lignes += ["", f"Retrouvez cet examen sur le tableau de bord Collectif Objets : {lien}"]
    lignes += ["", "— Collectif Objets, ministère de la Culture", ""]
    return "\n".join(lignes)
