"""Pure logic of /recensement (no Streamlit): which commune, read-only or not, the objets by
édifice with where each stands, the step shown and its number, and the words of the
dossier's state. Tested in tests/app/test_recensement_vue.py."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain import formats, questionnaire
from dashboard.domain.questionnaire import Reponses
from dashboard.domain.vocabulary import ETAPE_QUESTIONNAIRE, ETAT_SANITAIRE, LOCALISATION
from dashboard.reads.fiches import POP_NOTICE

A_FAIRE, COMMENCE, COMPLET = "a_faire", "commence", "complet"
STATUT_OBJET = {A_FAIRE: "À recenser", COMMENCE: "Commencé", COMPLET: "Recensé"}
# Never colour alone (accessibility): each status has its word and a symbol.
SYMBOLE = {A_FAIRE: "○", COMMENCE: "◐", COMPLET: "●"}


def commune_de_la_page(commune_utilisateur: str | None, commune_url: str | None) -> str | None:
    """A commune's account sees its own commune, whatever the URL; others (conservateurs,
    administrators) the one named by ?commune= (the data layer applies their scope)."""
    if commune_utilisateur:
        return commune_utilisateur
    code = (commune_url or "").strip().upper()
    return code if questionnaire.CODE_INSEE.fullmatch(code) else None


def lecture_seule(peut_repondre: bool, dossier: dict | None) -> bool:
    """Answers can be changed by whom may answer, in a dossier under construction."""
    return not peut_repondre or dossier is None or dossier.get("statut") != "construction"


def pop_url(ref: str) -> str:
    return POP_NOTICE.format(ref=ref)


def statut_objet(row: dict) -> str:
    if row.get("recensement_id") is None or pd.isna(row.get("recensement_id")):
        return A_FAIRE
    return COMPLET if row.get("statut") == "completed" else COMMENCE


def libelle_statut(row: dict) -> str:
    code = statut_objet(row)
    return f"{SYMBOLE[code]} {STATUT_OBJET[code]}"


def resume(row: dict) -> str:
    """What the recensement says so far, in a few words (the list's line under the title)."""
    if statut_objet(row) == A_FAIRE:
        return ""
    r = reponses(row)
    parts = [LOCALISATION.libelle(r.localisation, "")]
    if r.recensable is False and r.localisation != "absent":
        parts.append("ne peut pas être recensé")
    if r.etat_sanitaire:
        parts.append("état : " + ETAT_SANITAIRE.libelle(r.etat_sanitaire).lower())
    if r.nb_photos:
        parts.append(formats.pluriel(r.nb_photos, "photo"))
    return " · ".join(p for p in parts if p)


def par_edifice(objets: pd.DataFrame) -> list[tuple[str, list[dict]]]:
    """The objets grouped by édifice, in the order the query gives (édifice, title)."""
    groupes: dict[str, list[dict]] = {}
    for row in objets.to_dict("records"):
        groupes.setdefault(row["edifice"], []).append(row)
    return list(groupes.items())


@dataclass(frozen=True)
class Avancement:
    objets: int
    completes: int

    @property
    def tout_est_recense(self) -> bool:
        return self.objets > 0 and self.completes == self.objets

    @property
    def libelle(self) -> str:
        recenses = formats.pluriel(self.completes, "objet recensé", "objets recensés")
        return f"{recenses} sur {formats.fmt_int(self.objets)}"


def avancement(objets: pd.DataFrame) -> Avancement:
    rows = objets.to_dict("records")
    return Avancement(len(rows), sum(statut_objet(r) == COMPLET for r in rows))


def reponses(row: dict | None) -> Reponses:
    """The answers of an objet's row (questionnaire_objets)."""
    if not row or statut_objet(row) == A_FAIRE:
        return Reponses()
    return Reponses.de_ligne(row)


def etape_affichee(r: Reponses, demandee: str | None) -> str:
    """The step shown: the one asked for (a step that applies), else where it resumes."""
    if demandee in questionnaire.etapes(r):
        return demandee
    return questionnaire.etape_suivante(r)


def numero(r: Reponses, etape: str) -> str:
    liste = questionnaire.etapes(r)
    return f"Étape {liste.index(etape) + 1} sur {len(liste)} : {ETAPE_QUESTIONNAIRE.libelle(etape)}"


def precedente(r: Reponses, etape: str) -> str | None:
    liste = questionnaire.etapes(r)
    i = liste.index(etape)
    return liste[i - 1] if i > 0 else None


def etat_du_dossier(dossier: dict | None) -> str:
    """One sentence on where the dossier stands (dates in French)."""
    if dossier is None:
        return "Aucun recensement en cours pour cette commune."
    statut = dossier["statut"]
    if statut == "construction":
        phrase = f"Recensement en cours, commencé le {formats.date_fr(dossier['created_at'])}."
        if dossier.get("renvoye_le") is not None:
            phrase += (f" Le conservateur vous l'a renvoyé le {formats.date_fr(dossier['renvoye_le'])} "
                       "pour que vous le complétiez.")
        return phrase
    if statut == "submitted":
        return (f"Dossier transmis au conservateur le {formats.date_fr(dossier['submitted_at'])} : en attente de son "
                "examen. Il ne peut plus être modifié, sauf si le conservateur vous le renvoie.")
    if statut == "accepted":
        return (f"Dossier transmis le {formats.date_fr(dossier['submitted_at'])} et examiné par le conservateur le "
                f"{formats.date_fr(dossier['accepted_at'])}.")
    return "Dossier archivé."
