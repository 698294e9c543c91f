"""The map of /communes-a-contacter: a département's communes, those of the selection coloured
by their class of score (five classes of 20 points, in words in the legend and in each
tooltip, the score and the rank beside), the others drawn as outlines ("hors sélection").
The ranking table beside it holds the same figures.

It reuses /carte's pieces: the display geometry of the département's communes
(dashboard.reads.geometrie, the same cached read), the Legende and the ramps of
dashboard.app.carte.classes, and the compact layer of dashboard.app.carte.couche /
dessin (numbers per feature, tooltips built in the browser): a département is a few hundred
kilobytes pushed.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.app.carte.classes import ROUGES, Legende
from dashboard.app.carte.couche import Couche
from dashboard.app.deploiement.tableau import decimal
from dashboard.reads.geometrie import Geometrie

SEUILS = (20, 40, 60, 80)
HORS_SELECTION = "hors sélection (autres filtres, ou sans objet protégé)"
LEGENDE = Legende("Score de priorité (sur 100)",
                  ("moins de 20", "de 20 à 40", "de 40 à 60", "de 60 à 80", "80 et plus", HORS_SELECTION),
                  (*ROUGES, None))


def classes(scores: pd.Series) -> pd.Series:
    """The class of each score (0: below 20 … 4: 80 and more)."""
    return pd.Series(np.searchsorted(np.array(SEUILS), scores.to_numpy(dtype="float64"), side="right"),
                     index=scores.index)


def couche(geo: Geometrie, classement: pd.DataFrame) -> Couche:
    """The layer of the communes of `geo`: the ranked ones (classement, with rang and score)
    by class, the others outside the selection."""
    hors = len(LEGENDE.libelles) - 1
    par_code = classement.set_index("code")[["rang", "score", "objets"]].reindex(list(geo.codes))
    dedans = par_code["rang"].notna().to_numpy()
    k = np.where(dedans, classes(par_code["score"].fillna(0)).to_numpy(), hors).astype("int64")
    scores = [decimal(s) + " sur 100" if d else "" for s, d in zip(par_code["score"], dedans)]
    labels = [*LEGENDE.libelles, *scores]
    n = len(LEGENDE.libelles)
    props = {
        "code": list(geo.codes), "nom": list(geo.noms), "k": [int(x) for x in k],
        "c": [int(x) for x in k],
        "s": [n + i if d else None for i, d in enumerate(dedans)],
        "r": [int(r) if d else None for r, d in zip(par_code["rang"], dedans)],
        "o": [int(o) if d else None for o, d in zip(par_code["objets"], dedans)],
    }
    tooltip = [["Score", "s", "l"], ["Classe", "c", "l"], ["Rang", "r", "n"], ["Objets protégés", "o", "n"]]
    table = classement[["rang", "nom", "code", "score"]]
    return Couche(table=table, props=props, tooltip=tooltip, legende=LEGENDE, markers=[], labels=labels)
