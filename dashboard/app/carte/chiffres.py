"""Figures of a view derived from the figures by commune (dashboard.reads.carte): the
département totals, the view's totals, and percentages. Summed here rather than in SQL so
that one read serves the map, the table and the charts of the same view.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

import pandas as pd

from dashboard.reads.carte import FIGURES, Referentiel


def pct(num, den) -> pd.Series:
    """num / den in percent, one decimal; NaN where den is 0 (no figure, not 0 %)."""
    num = pd.Series(num, dtype="float64")
    den = pd.Series(den, dtype="float64")
    return (num / den.where(den > 0) * 100).round(1)


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
