"""The tables of /couverture, by département and in total, from the counts of
dashboard.reads.pilotage: objets and coverage with the pace and the projection, communes,
dossiers by status, fiabilité, urgent cases, the pace each département needs to reach the
objective by the target date, and the recensements per month.

The arithmetic of the pace is dashboard.domain.objectif's (rythme(), annee_fin_de_cycle(),
rythme_mensuel_requis()), shares are objectif.part(); the loops below run over départements
(about a hundred rows), never over objets.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.app.pilotage.tableaux import CODE, NOM, Tableau, avec_total, lignes_departements
from dashboard.domain import objectif
from dashboard.domain.vocabulary import OUI_NON, STATUT_DOSSIER
from dashboard.reads.carte import Referentiel
from dashboard.reads.pilotage import COMPTES_COMMUNES, COMPTES_OBJETS, Activite

# Column names (the tests and the ranking read them).
OBJETS = "Objets"
RECENSES_5_ANS = "Recensés depuis 5 ans"
COUVERTURE = "Couverture (recensés depuis 5 ans)"
RECENSES_12_MOIS = "Recensés sur 12 mois (rythme actuel)"
REQUIS_PAR_AN = "Rythme requis par an (objectif)"
DUREE_CYCLE = "Durée d'un cycle complet au rythme actuel"
FIN_CYCLE = "Fin d'un cycle complet au rythme actuel"
COUVERTURE_5_ANS = "Couverture dans 5 ans au rythme actuel"
COMMUNES = "Communes avec objets"
CONTACTEES, PART_CONTACTEES = "Contactées", "Part des communes contactées"
PARTICIPANTES, PART_PARTICIPANTES = "Participantes", "Part des communes participantes"
TERMINEES, PART_TERMINEES = "Terminées", "Part des communes terminées"
TOTAL_DOSSIERS = "Total des dossiers"
ACCEPTES = "Recensements acceptés"
SANS_CORRECTION = "Acceptés sans correction"
FIABILITE = "Fiabilité"
A_RECENSER = "À recenser avant l'échéance"
MOIS_RESTANTS = "Mois restants"
REQUIS_PAR_MOIS = "Rythme mensuel requis"
ACTUEL_PAR_MOIS = "Rythme mensuel actuel"
RAPPORT = "Rythme actuel / rythme requis"
ATTEINT = "Objectif atteint à l'échéance au rythme actuel"
MOIS, RECENSEMENTS = "Mois", "Recensements"
REQUIS_OBJECTIF_MOIS = "Rythme requis par l'objectif (par mois)"
REQUIS_ECHEANCE_MOIS = "Rythme requis pour l'échéance (par mois)"


def urgences_colonnes(niveau: str) -> tuple[str, str, str, str]:
    """(count, handled, not handled, share handled) column names of an urgency level's plural."""
    return niveau, f"{niveau} traités", f"{niveau} non traités", f"Part des {niveau.lower()} traités"


PRIORITAIRES = urgences_colonnes("Prioritaires")
PREOCCUPANTS = urgences_colonnes("Préoccupants")


@dataclass(frozen=True)
class PageCouverture:
    objets: Tableau
    communes: Tableau
    dossiers: Tableau
    fiabilite: Tableau
    urgences: Tableau
    echeance: Tableau
    mois: Tableau
    rythme: objectif.Rythme          # of the whole view
    annee_fin_cycle: int | None
    a_recenser: int                  # before the target date, whole view
    requis_par_mois_echeance: float | None

    @property
    def tableaux(self) -> list[Tableau]:
        """Every table, in the page's order (the XLSX report's sheets)."""
        return [self.objets, self.communes, self.dossiers, self.fiabilite, self.urgences, self.echeance, self.mois]


def _base(lignes: pd.DataFrame) -> dict:
    return {CODE: lignes["code"], NOM: lignes["nom"]}


def _part(numerateur: pd.Series, denominateur: pd.Series) -> pd.Series:
    return objectif.part(numerateur.astype("float64"), denominateur)


def tableau_objets(lignes: pd.DataFrame, aujourd_hui: date) -> Tableau:
    rythmes = [objectif.rythme(int(n), int(p)) for n, p in zip(lignes["objets"], lignes["recenses_12_mois"])]
    fins = [objectif.annee_fin_de_cycle(r, aujourd_hui) for r in rythmes]
    frame = pd.DataFrame({
        **_base(lignes), OBJETS: lignes["objets"], RECENSES_5_ANS: lignes["recenses_5_ans"],
        COUVERTURE: _part(lignes["recenses_5_ans"], lignes["objets"]),
        RECENSES_12_MOIS: lignes["recenses_12_mois"],
        REQUIS_PAR_AN: [r.requis_par_an for r in rythmes],
        DUREE_CYCLE: [r.libelle_cycle for r in rythmes],
        FIN_CYCLE: [str(fin) if fin is not None else r.libelle_cycle for r, fin in zip(rythmes, fins)],
        COUVERTURE_5_ANS: [r.couverture_plafond for r in rythmes],
    })
    return Tableau("couverture-objets", "Objets et couverture", frame, parts=(COUVERTURE, COUVERTURE_5_ANS),
                   decimales=(REQUIS_PAR_AN,))


def tableau_communes(lignes: pd.DataFrame) -> Tableau:
    frame = pd.DataFrame({
        **_base(lignes), COMMUNES: lignes["communes"],
        CONTACTEES: lignes["contactees"], PART_CONTACTEES: _part(lignes["contactees"], lignes["communes"]),
        PARTICIPANTES: lignes["participantes"],
        PART_PARTICIPANTES: _part(lignes["participantes"], lignes["communes"]),
        TERMINEES: lignes["terminees"], PART_TERMINEES: _part(lignes["terminees"], lignes["communes"]),
    })
    return Tableau("couverture-communes", "Communes", frame, parts=(PART_CONTACTEES, PART_PARTICIPANTES,
                                                                    PART_TERMINEES))


def lignes_dossiers(ref: Referentiel, codes: list[str], dossiers: pd.DataFrame) -> pd.DataFrame:
    """One column per dossier status (code), one row per département of the view."""
    if len(dossiers):
        wide = dossiers.pivot_table(index="code", columns="statut", values="dossiers", aggfunc="sum")
        wide = wide.reindex(columns=list(STATUT_DOSSIER.codes), fill_value=0).reset_index()
    else:
        wide = pd.DataFrame(columns=["code", *STATUT_DOSSIER.codes])
    return lignes_departements(ref, codes, wide, list(STATUT_DOSSIER.codes))


def tableau_dossiers(lignes: pd.DataFrame) -> Tableau:
    frame = pd.DataFrame({**_base(lignes), **{STATUT_DOSSIER.libelle(s): lignes[s] for s in STATUT_DOSSIER},
                          TOTAL_DOSSIERS: lignes[list(STATUT_DOSSIER.codes)].sum(axis=1)})
    return Tableau("couverture-dossiers", "Dossiers par statut", frame)


def tableau_fiabilite(lignes: pd.DataFrame) -> Tableau:
    frame = pd.DataFrame({**_base(lignes), ACCEPTES: lignes["acceptes"],
                          SANS_CORRECTION: lignes["acceptes_sans_correction"],
                          FIABILITE: _part(lignes["acceptes_sans_correction"], lignes["acceptes"])})
    return Tableau("couverture-fiabilite", "Fiabilité", frame, parts=(FIABILITE,))


def tableau_urgences(lignes: pd.DataFrame) -> Tableau:
    columns = {}
    for (total, traites, non_traites, part), code in ((PRIORITAIRES, "prioritaires"), (PREOCCUPANTS, "preoccupants")):
        columns |= {total: lignes[code], traites: lignes[f"{code}_traites"],
                    non_traites: lignes[code] - lignes[f"{code}_traites"],
                    part: _part(lignes[f"{code}_traites"], lignes[code])}
    return Tableau("couverture-cas-urgents", "Cas urgents", pd.DataFrame({**_base(lignes), **columns}),
                   parts=(PRIORITAIRES[3], PREOCCUPANTS[3]))


def tableau_echeance(lignes: pd.DataFrame, echeance: date, aujourd_hui: date) -> Tableau:
    mois = objectif.mois_jusqu_a(echeance, aujourd_hui)
    requis = [objectif.rythme_mensuel_requis(int(a), echeance, aujourd_hui) for a in lignes["a_recenser"]]
    actuel = [objectif.rythme(int(n), int(p)).par_mois for n, p in zip(lignes["objets"], lignes["recenses_12_mois"])]
    frame = pd.DataFrame({
        **_base(lignes), OBJETS: lignes["objets"], A_RECENSER: lignes["a_recenser"],
        MOIS_RESTANTS: [mois] * len(lignes), REQUIS_PAR_MOIS: requis, ACTUEL_PAR_MOIS: actuel,
        RAPPORT: [objectif.part(a, r) for a, r in zip(actuel, requis)],
        ATTEINT: [OUI_NON[a >= r] if r is not None else "—" for a, r in zip(actuel, requis)],
    })
    return Tableau("couverture-echeance", "Rythme requis pour l'échéance", frame,
                   parts=(RAPPORT,), decimales=(MOIS_RESTANTS, REQUIS_PAR_MOIS, ACTUEL_PAR_MOIS))


def tableau_mois(mois: pd.DataFrame, rythme: objectif.Rythme, requis_echeance: float | None,
                 aujourd_hui: date) -> Tableau:
    """Recensements per month, every month from the first one to this month (zeros included),
    beside the monthly pace the objective requires and the one the target date requires."""
    if len(mois):
        debut = pd.Timestamp(min(mois["mois"]))
        tous = pd.date_range(debut, pd.Timestamp(aujourd_hui).to_period("M").to_timestamp(), freq="MS")
        par_mois = dict(zip(pd.to_datetime(mois["mois"]), mois["recensements"]))
        compte = [int(par_mois.get(m, 0)) for m in tous]
    else:
        tous, compte = [], []
    frame = pd.DataFrame({MOIS: [m.date() for m in tous], RECENSEMENTS: pd.Series(compte, dtype="int64"),
                          REQUIS_OBJECTIF_MOIS: [rythme.requis_par_mois] * len(compte),
                          REQUIS_ECHEANCE_MOIS: [requis_echeance] * len(compte)})
    return Tableau("couverture-recensements-par-mois", "Recensements par mois", frame,
                   decimales=(REQUIS_OBJECTIF_MOIS, REQUIS_ECHEANCE_MOIS), dates={MOIS: "%m/%Y"})


def page(ref: Referentiel, codes: list[str], objets: pd.DataFrame, activite: Activite, echeance: date,
         aujourd_hui: date) -> PageCouverture:
    """Every table of /couverture for the départements `codes` of the view, from the reads of
    dashboard.reads.pilotage (objets_par_departement, activite)."""
    comptes = COMPTES_OBJETS + COMPTES_COMMUNES
    lignes = avec_total(lignes_departements(ref, codes, objets, comptes), comptes)
    dossiers = avec_total(lignes_dossiers(ref, codes, activite.dossiers), list(STATUT_DOSSIER.codes))
    recensements = activite.recensements
    fiabilite = ["acceptes", "acceptes_sans_correction"]
    par_dep = recensements.groupby("code", dropna=False, as_index=False)[fiabilite].sum() \
        if len(recensements) else pd.DataFrame(columns=["code", *fiabilite])
    fiabilite = avec_total(lignes_departements(ref, codes, par_dep, fiabilite), fiabilite)
    mois = recensements.groupby("mois", as_index=False)["recensements"].sum() if len(recensements) \
        else pd.DataFrame(columns=["mois", "recensements"])
    total = lignes.iloc[-1]
    rythme = objectif.rythme(int(total["objets"]), int(total["recenses_12_mois"]))
    requis = objectif.rythme_mensuel_requis(int(total["a_recenser"]), echeance, aujourd_hui)
    return PageCouverture(
        objets=tableau_objets(lignes, aujourd_hui), communes=tableau_communes(lignes),
        dossiers=tableau_dossiers(dossiers), fiabilite=tableau_fiabilite(fiabilite),
        urgences=tableau_urgences(lignes), echeance=tableau_echeance(lignes, echeance, aujourd_hui),
        mois=tableau_mois(mois, rythme, requis, aujourd_hui), rythme=rythme,
        annee_fin_cycle=objectif.annee_fin_de_cycle(rythme, aujourd_hui), a_recenser=int(total["a_recenser"]),
        requis_par_mois_echeance=requis)
