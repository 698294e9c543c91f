"""Figures of a view derived from the figures by commune (dashboard.reads.carte): the
département totals, the view's totals, and percentages. Summed here rather than in SQL so
that one read serves the map, the table and the charts of the same view.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

import pandas as pd

from dashboard.domain import etat, objectif
from dashboard.reads.carte import FIGURES, Referentiel


def part_recensee(figures: pd.DataFrame) -> pd.Series:
    """Coverage: recensés (in the period) among the objets (objectif.part: a fraction)."""
    return objectif.part(figures["recenses"].astype("float64"), figures["objets"])


def part_communes_dossier(figures: pd.DataFrame) -> pd.Series:
    return objectif.part(figures["communes_dossier"].astype("float64"), figures["communes"])


def part_mauvais_ou_peril(figures: pd.DataFrame) -> pd.Series:
    """The état share: mauvais or péril among the objets whose état is known (domain rule)."""
    return etat.part_mauvais_ou_peril(figures.astype({e: "float64" for e in etat.MAUVAIS_OU_PERIL}),
                                      figures["avec_etat"])


def pourcent(part: pd.Series) -> pd.Series:
    """A share as the map, its table and its CSV show it: percent, one decimal; NaN where
    nothing is counted (no figure, not 0 %)."""
    return (pd.Series(part, dtype="float64") * 100).round(1)


def figures_departements(communes: pd.DataFrame, ref: Referentiel) -> pd.DataFrame:
    """Département totals from the commune rows (the objets without a commune included),
    one row per département of the scope, zeros where none is counted."""
    rows = communes.copy()
    rows["commune_avec_objets"] = rows["code"].notna().astype("int64")
    rows["commune_dossier"] = (rows["code"].notna() & rows["dossier_transmis"]).astype("int64")
    agg = rows.groupby("departement", as_index=False)[FIGURES + ["commune_avec_objets", "commune_dossier"]].sum()
    agg = agg.rename(columns={"departement": "code", "commune_avec_objets": "communes",
                              "commune_dossier": "communes_dossier"})
    deps = pd.DataFrame(list(ref.departements), columns=["code", "nom", "region"])
    out = deps.merge(agg, on="code", how="left")
    for col in FIGURES + ["communes", "communes_dossier"]:
        out[col] = out[col].fillna(0).astype("int64")
    return out


def totaux(figures: pd.DataFrame) -> dict[str, int]:
    return {col: int(figures[col].sum()) for col in FIGURES}


def ligne_commune(figures: pd.DataFrame, code: str) -> dict[str, int]:
    """The commune's figures in the view (zeros when it holds no objet matching the filters)."""
    row = figures[figures["code"] == code]
    return {col: int(row[col].iloc[0]) if len(row) else 0 for col in FIGURES}
