"""The rows of the view's table as cards, for a phone: a grid of fifteen columns does not
read on a 390-pixel screen. A page of cards at a time (the first ones of the table, in
its order); each says who the row is, its main figures in words, and where it leads: a
département's map of communes, a commune's page.

Pure: the page shows the cards to a phone (dashboard.app.telephone), the table to the others.
"""
from __future__ import annotations

import pandas as pd

from dashboard.app.listes import CARTES_PAR_PAGE, Carte


def _nombre(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{int(v):,}".replace(",", "\u202f")


def _pourcent(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):.1f} %".replace(".", ",")


def cartes(table: pd.DataFrame, par_commune: bool, debut: int = 0, n: int = CARTES_PAR_PAGE,
           params_vue: dict | None = None) -> list[Carte]:
    """Cards of rows debut..debut+n of the view's table (couche.Couche.table). A
    département's card opens its map of communes with the view's filters (`params_vue`,
    the view's URL parameters); a commune's card opens its page."""
    recenses = next(c for c in table.columns if c.startswith("Recensés"))
    out = []
    for _, row in table.iloc[debut:debut + n].iterrows():
        n, r = row["Objets"], row[recenses]
        quand = recenses.removeprefix("Recensés ")      # "depuis 5 ans", "dans la période"
        figures = (f"{_nombre(n)} objet{'s' if n > 1 else ''} · {_nombre(r)} recensé{'s' if r > 1 else ''} {quand} "
                   f"({_pourcent(row['Part recensée (%)'])})")
        if par_commune:
            out.append(Carte(
                titre=f"{row['Commune']} ({row['Code INSEE']})",
                lignes=(figures, f"Statut : {row['Statut']} · pire état : {row['Pire état actuel']}",
                        f"Prioritaires : {_nombre(row['Prioritaires'])} · disparus : {_nombre(row['Disparus'])}"),
                lien="Fiche de la commune", page="commune", params={"code": str(row["Code INSEE"])}))
        else:
            params = {k: v for k, v in (params_vue or {}).items() if k not in ("region", "maille", "indicateur",
                                                                             "commune")}
            out.append(Carte(
                titre=f"{row['Département']} — {row['Nom']}",
                lignes=(figures, f"Sur la carte : {row['Classe sur la carte']}",
                        f"Prioritaires : {_nombre(row['Prioritaires'])} · disparus : {_nombre(row['Disparus'])}"),
                lien="Carte des communes", page="carte", params={**params, "departement": str(row["Département"])}))
    return out

