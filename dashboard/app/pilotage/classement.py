"""The ranking of the départements of a /couverture view on one of its figures, and the
small map beside it: each département coloured by its class of that figure, with the
legend in words beside it and each département's figure in its tooltip.

The map reuses /carte's pieces (dashboard.app.carte.classes: Legende, the ramps and their
thresholds; the display geometry of dashboard.reads.geometrie, overseas départements in
insets) and draws a static SVG (geo.svg): no JavaScript, no tiles, nothing to load, so it
works offline, and the page does not pay for importing folium on its first run.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.app.carte.classes import BLEUS, GRIS, ROUGES, SEUILS_PART, SEUILS_PRIORITAIRES, Legende
from dashboard.app.pilotage import couverture as c
from dashboard.app.pilotage.couverture import PageCouverture
from dashboard.app.pilotage.tableaux import CODE, NOM, Tableau, nombre
from dashboard.domain.formats import fmt_pct
from dashboard.reads.geometrie import Geometrie
from geo import encode, svg

RANG = "Rang"
PAS_DE_DONNEE = "pas de donnée"


@dataclass(frozen=True)
class Indicateur:
    colonne: str                 # its column in the page's table, and in the ranking
    tableau: str                 # that table (an attribute of PageCouverture)
    part: bool                   # a share (classes in percent) or a count
    seuils: tuple[float, ...]    # class boundaries (percent for a share)
    couleurs: tuple[str, ...]


INDICATEURS = {
    "couverture": Indicateur(c.COUVERTURE, "objets", True, SEUILS_PART, BLEUS),
    "projection": Indicateur(c.COUVERTURE_5_ANS, "objets", True, SEUILS_PART, BLEUS),
    "echeance": Indicateur(c.RAPPORT, "echeance", True, (25, 50, 75, 100), BLEUS),
    "participation": Indicateur(c.PART_PARTICIPANTES, "communes", True, SEUILS_PART, BLEUS),
    "fiabilite": Indicateur(c.FIABILITE, "fiabilite", True, (50, 70, 85, 95), BLEUS),
    "prioritaires": Indicateur(c.PRIORITAIRES[2], "urgences", False, SEUILS_PRIORITAIRES, ROUGES),
}


def _departements(t: Tableau) -> pd.DataFrame:
    """The rows of real départements (not the total, nor the objets without département)."""
    return t.donnees[t.donnees[CODE] != ""].set_index(CODE)


def classement(p: PageCouverture, cle: str) -> Tableau:
    """Every ranking figure by département, ordered by the figure `cle` (highest first; the
    départements without a figure last, without a rank)."""
    choisi = INDICATEURS[cle]
    base = _departements(p.objets)[[NOM]]
    for ind in INDICATEURS.values():
        base[ind.colonne] = _departements(getattr(p, ind.tableau))[ind.colonne]
    valeurs = pd.to_numeric(base[choisi.colonne], errors="coerce")
    ordre = valeurs.sort_values(ascending=False, na_position="last", kind="stable").index
    base = base.loc[ordre].reset_index()
    rangs = valeurs.loc[ordre].rank(ascending=False, method="min")
    base.insert(0, RANG, [None if pd.isna(r) else int(r) for r in rangs])
    base[RANG] = base[RANG].astype("Int64")
    parts = tuple(ind.colonne for ind in INDICATEURS.values() if ind.part)
    return Tableau("couverture-classement", "Classement des départements", base, parts=parts)


def libelles(ind: Indicateur) -> list[str]:
    s = ind.seuils
    if ind.part:
        return [f"moins de {s[0]} %", *(f"de {a} à {b} %" for a, b in zip(s, s[1:])), f"{s[-1]} % et plus"]
    return ["aucun", *(f"de {a} à {b - 1}" for a, b in zip(s, s[1:])), f"{s[-1]} et plus"]


def legende(cle: str) -> Legende:
    ind = INDICATEURS[cle]
    return Legende(ind.colonne, (*libelles(ind), PAS_DE_DONNEE), (*ind.couleurs, GRIS))


def classes(valeurs: pd.Series, ind: Indicateur) -> pd.Series:
    """The class index of each value (the last one: no figure)."""
    echelle = pd.to_numeric(valeurs, errors="coerce") * (100 if ind.part else 1)
    k = pd.cut(echelle, bins=(-np.inf, *ind.seuils, np.inf), labels=False, right=False)
    return k.fillna(len(ind.seuils) + 1).astype("int64")


def carte(rang: Tableau, cle: str, geo: Geometrie) -> str:
    """The SVG map: each département of the geometry filled with the colour of its class of
    the figure `cle`, titled with its name, its figure and its class in words."""
    ind = INDICATEURS[cle]
    leg = legende(cle)
    par_code = rang.donnees.set_index(CODE).reindex(list(geo.codes))
    valeurs = pd.to_numeric(par_code[ind.colonne], errors="coerce")
    k = classes(valeurs, ind)
    features = [[[encode.decode_ring(r, geo.quantum) for r in polygon] for polygon in parts]
                for parts in json.loads(geo.json)]
    titres = [f"{code} — {nom} : {fmt_pct(v) if ind.part else nombre(v, 0)} ({leg.libelles[i]})"
              for code, nom, v, i in zip(geo.codes, geo.noms, valeurs, k)]
    return svg.svg_carte(features, [leg.couleurs[i] for i in k], titres,
                         f"Carte des départements : {ind.colonne.lower()}", cadres=[list(f) for f in geo.frames])
