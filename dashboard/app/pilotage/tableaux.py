"""The tables of the pilotage pages as one object each: a French title, a frame with French
column names (numbers as numbers, shares as fractions 0..1), and which columns hold shares
or decimals. The page shows it formatted in French (`affichage`); the exports write the
numbers (dashboard.app.pilotage.exports). Also: the rows of a view's départements and the
"Total" row that every table ends with.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain.formats import fmt_pct, nombre
from dashboard.reads.carte import Referentiel

CODE, NOM = "Code", "Département"
TOTAL = "Total"
SANS_DEPARTEMENT = "Sans département"


@dataclass(frozen=True)
class Tableau:
    cle: str                  # file name of its CSV: "couverture-objets"
    titre: str                # French title, also the XLSX sheet's name (31 characters at most)
    donnees: pd.DataFrame
    parts: tuple[str, ...] = ()       # columns holding shares (fractions 0..1)
    decimales: tuple[str, ...] = ()   # columns holding non-integer numbers (one decimal shown)
    dates: dict[str, str] | None = None  # date columns and how they are shown ("%d/%m/%Y", "%m/%Y")

    def __post_init__(self):
        assert len(self.titre) <= 31, self.titre  # an XLSX sheet name


def lignes_departements(ref: Referentiel, codes: list[str], figures: pd.DataFrame, comptes: list[str]) -> pd.DataFrame:
    """One row per département of the view (in `codes` order), with `comptes` from `figures`
    (column `code`; zeros where a département has none), and a row for the objets without a
    département when `figures` has one (code NULL)."""
    noms = ref.nom_departement
    base = pd.DataFrame({"code": codes, "nom": [noms.get(c, c) for c in codes]})
    by_code = figures[figures["code"].notna()] if len(figures) else figures
    out = base.merge(by_code[["code", *comptes]], on="code", how="left") if len(figures) else base.assign(
        **{c: 0 for c in comptes})
    sans = figures[figures["code"].isna()] if len(figures) else figures
    if len(sans):
        extra = sans[comptes].sum().to_frame().T.assign(code="", nom=SANS_DEPARTEMENT)
        out = pd.concat([out, extra], ignore_index=True)
    for column in comptes:
        out[column] = out[column].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def avec_total(lignes: pd.DataFrame, comptes: list[str]) -> pd.DataFrame:
    """The rows and a last row "Total" that sums `comptes` (shares are computed afterwards,
    from the sums, never averaged)."""
    total = {"code": "", "nom": TOTAL, **{c: int(lignes[c].sum()) for c in comptes}}
    return pd.concat([lignes, pd.DataFrame([total])], ignore_index=True)


def affichage(t: Tableau) -> pd.DataFrame:
    """The table as the page shows it: every cell French text (thin spaces between thousands,
    decimal commas, "40,0 %", dates dd/mm/yyyy, "—" where there is no figure)."""
    out = {}
    dates = t.dates or {}
    for column in t.donnees.columns:
        values = t.donnees[column]
        if column in t.parts:
            out[column] = [fmt_pct(None if pd.isna(v) else float(v)) for v in values]
        elif column in dates:
            out[column] = ["—" if pd.isna(v) else pd.Timestamp(v).strftime(dates[column]) for v in values]
        elif column in t.decimales:
            out[column] = [nombre(v, 1) for v in values]
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[column] = [nombre(v, 0) for v in values]
        else:
            out[column] = ["—" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in values]
    return pd.DataFrame(out, columns=list(t.donnees.columns))
