"""What the map's layer carries and the table beside it: per feature (in the geometry's
order) its class and a few figures, packed as columns of numbers (geo.maps.CompactLayer
builds each tooltip in the browser from them: no per-feature HTML is sent); the tooltip's
lines; the dots of the communes with a disparu; and the same figures as a table with
French column names (shown under the map, downloaded as CSV and GeoJSON).

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.app.carte.chiffres import (figures_departements, part_communes_dossier, part_mauvais_ou_peril,
                                          part_recensee, pourcent)
from dashboard.app.carte.classes import ETAT_ORDRE, Legende, classer_communes, classer_departements, pire_etat
from dashboard.app.carte.vue import Vue
from dashboard.domain.vocabulary import ETAT_SANITAIRE, STATUT_COMMUNE
from dashboard.reads.carte import Referentiel
from dashboard.reads.geometrie import Geometrie


@dataclass
class Couche:
    """The figures of the map's features, their classes and the legend."""
    table: pd.DataFrame       # one row per feature with objets (map order), French column names
    props: dict[str, list]    # columns, one value per feature of the geometry
    tooltip: list             # [label, column of props, format "n" | "p" | "l"]
    legende: Legende
    markers: list             # [lat, lng, disparus, code, nom]
    labels: list[str]         # what a tooltip's "l" fields index into
    par_commune: bool = False  # features are communes (else départements)

    def sans_objet(self) -> int:
        """How many features fall in the legend's last class (no objet, or no figure)."""
        return sum(1 for k in self.props["k"] if k == len(self.legende.libelles) - 1)


def _ints(series, fill: int = 0) -> list[int]:
    return [int(v) for v in pd.Series(series).fillna(fill)]


def _floats(series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in pd.Series(series)]


def _recenses(vue: Vue) -> str:
    return "Recensés " + ("dans la période" if vue.periode else "depuis 5 ans")


def couche(vue: Vue, geo: Geometrie, communes: pd.DataFrame, ref: Referentiel) -> Couche:
    """The layer of `vue` on `geo`, from the figures by commune of the view."""
    if vue.maille == "departements":
        return _couche_departements(vue, geo, communes, ref)
    return _couche_communes(vue, geo, communes)


def _couche_departements(vue: Vue, geo: Geometrie, communes: pd.DataFrame, ref: Referentiel) -> Couche:
    deps = figures_departements(communes, ref)
    deps = deps[deps["code"].isin(geo.codes) | (deps["objets"] > 0)]
    if vue.region:
        deps = deps[deps["region"] == vue.region]
    valeur, classe, legende = classer_departements(deps, vue.indicateur)
    deps = deps.assign(valeur=valeur, k=classe)
    sub = deps.set_index("code").reindex(list(geo.codes))
    props = {
        "code": list(geo.codes), "nom": list(geo.noms), "k": _ints(sub["k"], len(legende.libelles) - 1),
        "o": _ints(sub["objets"]), "r": _floats(pourcent(part_recensee(sub))),
        "d": _floats(pourcent(part_communes_dossier(sub))),
        "e": _floats(pourcent(part_mauvais_ou_peril(sub))),
        "p": _ints(sub["prioritaires"]), "x": _ints(sub["disparus"]),
    }
    recenses = _recenses(vue)
    tooltip = [["Classe", "k", "l"], ["Objets", "o", "n"], [recenses, "r", "p"],
               ["Communes ayant transmis un dossier", "d", "p"], ["Péril ou mauvais état", "e", "p"],
               ["Prioritaires", "p", "n"], ["Disparus", "x", "n"]]
    table = pd.DataFrame({
        "Département": deps["code"], "Nom": deps["nom"], "Objets": deps["objets"],
        recenses: deps["recenses"], "Part recensée (%)": pourcent(part_recensee(deps)),
        "Communes concernées": deps["communes"], "Communes ayant transmis un dossier": deps["communes_dossier"],
        "Part des communes (%)": pourcent(part_communes_dossier(deps)),
        "Objets à l'état connu": deps["avec_etat"], "Péril": deps["peril"], "Mauvais": deps["mauvais"],
        "Péril ou mauvais (%)": pourcent(part_mauvais_ou_peril(deps)),
        "Prioritaires": deps["prioritaires"], "Disparus": deps["disparus"],
        "Classe sur la carte": [legende.libelles[k] for k in deps["k"]],
    }).reset_index(drop=True)
    return Couche(compacte(table), props, tooltip, legende, [], list(legende.libelles))


def compacte(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the page pushes it to every browser (Arrow): counts on 32 bits, and the
    columns of a few words repeated row after row (a class, a status, an état) as categories,
    each word sent once. Pas-de-Calais' table was a third of its page's bytes."""
    out = table.copy()
    for col in out.columns:
        serie = out[col]
        if pd.api.types.is_integer_dtype(serie) and (serie.empty or serie.abs().max() < 2**31):
            out[col] = serie.astype("int32")
        elif (pd.api.types.is_string_dtype(serie) or serie.dtype == object) and len(serie) > 20 \
                and serie.nunique() <= 16:
            out[col] = serie.astype("category")
    return out


def _couche_communes(vue: Vue, geo: Geometrie, communes: pd.DataFrame) -> Couche:
    rows, legende = classer_communes(list(geo.codes), communes, vue.indicateur)
    rows["nom"] = list(geo.noms)
    rows["departement"] = list(geo.departements)
    statut = rows["statut"].fillna("non_recense")
    pire = pire_etat(rows)
    etats = [*ETAT_ORDRE, None]
    # Tooltip labels: legend classes, then statuses, then worst états, by offset.
    labels = list(legende.libelles)
    statut_labels = list(STATUT_COMMUNE.libelles.values())
    etat_labels = [ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE] + ["aucun"]
    n = len(labels)
    props = {
        "code": list(geo.codes), "nom": list(geo.noms), "k": _ints(rows["k"]),
        "o": _ints(rows["objets"]), "r": _ints(rows["recenses"]),
        "s": [n + STATUT_COMMUNE.index(s) for s in statut],
        "w": [n + len(statut_labels) + (etats.index(e) if e in etats else 4) for e in pire],
        "x": _ints(rows["disparus"]), "p": _ints(rows["prioritaires"]),
    }
    recenses = _recenses(vue)
    tooltip = [["Objets", "o", "n"], [recenses, "r", "n"], ["Statut", "s", "l"],
               ["Pire état actuel", "w", "l"], ["Objets disparus", "x", "n"], ["Prioritaires", "p", "n"]]
    markers = [[*geo.points[c], int(x), c, nom] for c, nom, x in zip(geo.codes, geo.noms, rows["disparus"])
               if x > 0 and c in geo.points]
    avec = rows[rows["objets"] > 0]
    table = pd.DataFrame({
        "Code INSEE": avec["code"], "Commune": avec["nom"], "Département": avec["departement"],
        "Objets": avec["objets"], recenses: avec["recenses"],
        "Part recensée (%)": pourcent(part_recensee(avec)),
        "Statut": [STATUT_COMMUNE.libelle(s, s) for s in avec["statut"].fillna("non_recense")],
        "Pire état actuel": [ETAT_SANITAIRE.libelle(e) for e in pire_etat(avec)],
        "Péril": avec["peril"], "Mauvais": avec["mauvais"], "Disparus": avec["disparus"],
        "Prioritaires": avec["prioritaires"],
    }).reset_index(drop=True)
    return Couche(compacte(table), props, tooltip, legende, markers, labels + statut_labels + etat_labels, par_commune=True)
