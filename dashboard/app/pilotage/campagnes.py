"""The campaigns of a /couverture view and their progress (issue 14): each campaign planned,
ongoing or finished within the last year, with its communes invited, started (a dossier of
the campaign), transmitted and accepted, and the share that transmitted.

Pure pandas: no Streamlit, no database (the counts come from dashboard.reads.campagnes).
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from dashboard.app.pilotage.tableaux import CODE, NOM, Tableau
from dashboard.domain import objectif
from dashboard.domain.vocabulary import STATUT_CAMPAGNE

STATUTS = ("planned", "ongoing", "finished")     # sent or about to send: not the drafts
RECUL = timedelta(days=365)                      # finished campaigns of the last year
CAMPAGNE, STATUT, LANCEMENT, FIN = "Campagne", "Statut", "Lancement", "Fin"
COMMUNES, INVITEES = "Communes de la campagne", "Invitées"
COMMENCEES, TRANSMISES, ACCEPTEES = "Ont commencé", "Ont transmis", "Dossiers acceptés"
PART_TRANSMISES = "Part ayant transmis"


def depuis(aujourd_hui: date) -> date:
    return aujourd_hui - RECUL


def tableau(avancement: pd.DataFrame) -> Tableau:
    frame = pd.DataFrame({
        CODE: avancement["departement"], NOM: avancement["departement_nom"], CAMPAGNE: avancement["nom"],
        STATUT: [STATUT_CAMPAGNE.libelle(s) for s in avancement["statut"]],
        LANCEMENT: avancement["date_lancement"], FIN: avancement["date_fin"],
        COMMUNES: avancement["communes"], INVITEES: avancement["invitees"], COMMENCEES: avancement["commencees"],
        TRANSMISES: avancement["transmises"], ACCEPTEES: avancement["acceptees"],
        PART_TRANSMISES: objectif.part(avancement["transmises"].astype("float64"), avancement["communes"]),
    })
    return Tableau("couverture-campagnes", "Campagnes", frame, parts=(PART_TRANSMISES,),
                   dates={LANCEMENT: "%d/%m/%Y", FIN: "%d/%m/%Y"})
