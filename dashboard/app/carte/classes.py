"""Colour classes of the map and their legends: thresholds, the words of each class, the
colours. The colours of an enum (état sanitaire, statut of a commune) come from
dashboard.domain.vocabulary; the ramps of the numeric indicators and the few colours that
are no enum's live here. A colour never speaks alone: every class has its words, in the
legend beside the map and in each feature's tooltip.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.app.carte.chiffres import part_communes_dossier, part_mauvais_ou_peril, part_recensee, pourcent
from dashboard.app.carte.vue import INDICATEURS_COMMUNES, INDICATEURS_DEPARTEMENTS
from dashboard.domain.vocabulary import ETAT_SANITAIRE, STATUT_COMMUNE
from dashboard.reads.carte import FIGURES

# Sequential ramps (ColorBrewer Blues and Reds, five classes), then "no figure".
BLEUS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
ROUGES = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
GRIS = "#d0d0d0"
DISPARUS = "#161616"        # the dots of communes with a disparu, and their bar
RECENSEMENTS = "#000091"    # the bars of recensements per month (the State's blue)

SANS_OBJET = {"fillColor": "#ffffff", "fillOpacity": 0.0, "color": "#9a9a9a", "weight": 0.6}
_TRAIT = {"color": "#ffffff", "weight": 0.8, "fillOpacity": 0.85}

SEUILS_PART = (5, 10, 20, 40)           # shares without an objective (the pilotage's ranking)
SEUILS_OBJECTIF = (20, 40, 60, 80)      # shares whose objective is 100 %: the classes run to it
SEUILS_ETAT = (2, 5, 10, 20)
SEUILS_PRIORITAIRES = (1, 6, 21, 51)   # counts: none, 1-5, 6-20, 21-50, more
ETAT_ORDRE = list(ETAT_SANITAIRE)      # from best to worst

PAS_DE_DONNEE = "pas de donnée"
SANS_OBJET_PROTEGE = "sans objet protégé (selon les filtres)"


@dataclass(frozen=True)
class Legende:
    """A legend: its title, the words of each class and its colour (None: no fill, for
    the communes without an objet); a feature's class is an index into both."""
    titre: str
    libelles: tuple[str, ...]
    couleurs: tuple[str | None, ...]

    def styles(self) -> list[dict]:
        """Leaflet path options of each class."""
        return [{**_TRAIT, "fillColor": c} if c else dict(SANS_OBJET) for c in self.couleurs]


def _libelles_parts(seuils) -> list[str]:
    a, b, c, d = seuils
    return [f"moins de {a} %", f"de {a} à {b} %", f"de {b} à {c} %", f"de {c} à {d} %", f"{d} % et plus"]


def _libelles_objectif(seuils) -> list[str]:
    """Classes of a share whose objective is 100 %: from 0 up to the objective."""
    bornes = (0, *seuils, 100)
    libelles = [f"de {a} à {b} %" for a, b in zip(bornes, bornes[1:])]
    libelles[-1] += " (objectif : 100 %)"
    return libelles


def classer_departements(deps: pd.DataFrame, indicateur: str) -> tuple[pd.Series, pd.Series, Legende]:
    """(value shown, class index, legend). The last class of each legend is "no figure"."""
    if indicateur == "prioritaires":
        valeur = deps["prioritaires"].astype("float64").where(deps["objets"] > 0)
        bins = (-np.inf, *SEUILS_PRIORITAIRES, np.inf)
        a, b, c, d = SEUILS_PRIORITAIRES
        libelles = ["aucun", f"de {a} à {b - 1}", f"de {b} à {c - 1}", f"de {c} à {d - 1}", f"{d} et plus"]
        couleurs = ROUGES
    else:
        if indicateur in ("couverture", "dossiers"):   # every objet recensed, every commune's dossier
            valeur = pourcent(part_recensee(deps) if indicateur == "couverture" else part_communes_dossier(deps))
            seuils, couleurs, libelles = SEUILS_OBJECTIF, BLEUS, _libelles_objectif(SEUILS_OBJECTIF)
        else:
            valeur = pourcent(part_mauvais_ou_peril(deps))
            seuils, couleurs, libelles = SEUILS_ETAT, ROUGES, _libelles_parts(SEUILS_ETAT)
        bins = (-np.inf, *seuils, np.inf)
    classe = pd.cut(valeur, bins=bins, labels=False, right=False)
    classe = classe.fillna(len(libelles)).astype("int64")
    legende = Legende(INDICATEURS_DEPARTEMENTS[indicateur], (*libelles, PAS_DE_DONNEE), (*couleurs, GRIS))
    return valeur, classe, legende


def pire_etat(communes: pd.DataFrame) -> pd.Series:
    """The worst état sanitaire among each row's objets (None when no état is known)."""
    out = pd.Series([None] * len(communes), index=communes.index, dtype="object")
    for etat in ETAT_ORDRE:  # the worst wins: written last
        out[communes[etat] > 0] = etat
    return out


def classer_communes(codes: list[str], figures: pd.DataFrame, indicateur: str) -> tuple[pd.DataFrame, Legende]:
    """One row per commune of the map (with or without objets): its class (column k) and
    figures. The last class is "without objet" (no fill)."""
    rows = pd.DataFrame({"code": codes}).merge(figures[figures["code"].notna()], on="code", how="left")
    for col in FIGURES:
        rows[col] = rows[col].fillna(0).astype("int64")
    avec = rows["objets"] > 0
    if indicateur == "statut":
        ordre = list(STATUT_COMMUNE)
        libelles = [STATUT_COMMUNE.libelle(s) for s in ordre]
        couleurs = [STATUT_COMMUNE.couleur(s) for s in ordre]
        classe = rows["statut"].map({s: i for i, s in enumerate(ordre)})
    else:
        ordre = ETAT_ORDRE
        libelles = [f"pire état : {ETAT_SANITAIRE.libelle(e).lower()}" for e in ordre] + ["aucun état connu"]
        couleurs = [ETAT_SANITAIRE.couleur(e) for e in ordre] + [GRIS]
        classe = pire_etat(rows).map({e: i for i, e in enumerate(ordre)}).fillna(len(ordre))
    sans = len(libelles)
    rows["k"] = np.where(avec, classe.fillna(0), sans).astype("int64")
    legende = Legende(INDICATEURS_COMMUNES[indicateur], (*libelles, SANS_OBJET_PROTEGE), (*couleurs, None))
    return rows, legende


def legende_markdown(legende: Legende, disparus: bool) -> str:
    """The legend in words, each with its colour swatch (constant text: no user input)."""
    lignes = [f"**{legende.titre}**"]
    for libelle, couleur in zip(legende.libelles, legende.couleurs):
        fond = couleur or "#ffffff"
        bord = "#9a9a9a" if couleur is None else "#666666"
        lignes.append(f'<span style="display:inline-block;width:1em;height:1em;background:{fond};'
                      f'border:1px solid {bord};vertical-align:middle"></span> {libelle}')
    if disparus:
        lignes.append('<span style="display:inline-block;width:0.8em;height:0.8em;border-radius:50%;'
                      f'background:{DISPARUS};border:2px solid #fff;outline:1px solid {DISPARUS};'
                      'vertical-align:middle"></span> commune avec au moins un objet disparu (point noir)')
    return "  \n".join(lignes)
