"""The Plotly chart of /couverture: recensements per month, with the monthly pace the
objective requires (objets / 60) and the one the target date requires drawn beside them.
Each line has its words in the legend and on the chart, and its own dash pattern: colour is
never the only way to tell them apart. The same figures are the table "Recensements par
mois" shown beside the chart. French: numbers with a decimal comma and spaces between
thousands (layout.separators), months as numbers (%m/%Y: Plotly's month names are
English), no mode bar (its tooltips are English too).
"""
from __future__ import annotations

import plotly.graph_objects as go

from dashboard.app.carte.classes import RECENSEMENTS
from dashboard.app.pilotage import couverture as c
from dashboard.app.pilotage.tableaux import Tableau, nombre
from dashboard.domain import formats

OBJECTIF = "#b34001"
ECHEANCE = "#161616"


def graphique_mois(t: Tableau, libelle_echeance: str) -> go.Figure:
    frame = t.donnees
    fig = go.Figure(go.Bar(x=frame[c.MOIS], y=frame[c.RECENSEMENTS], name="Recensements du mois",
                           marker_color=RECENSEMENTS,
                           hovertemplate="%{x|%m/%Y} : %{y} recensements<extra></extra>"))
    if len(frame):
        for column, nom, couleur, trait in (
                (c.REQUIS_OBJECTIF_MOIS, "Rythme requis par l'objectif (tous les objets en 5 ans)", OBJECTIF, "dash"),
                (c.REQUIS_ECHEANCE_MOIS, f"Rythme requis pour l'échéance du {libelle_echeance}", ECHEANCE, "dot")):
            valeur = frame[column].iloc[0]
            if valeur is None or valeur != valeur:
                continue
            fig.add_trace(go.Scatter(x=frame[c.MOIS], y=frame[column], mode="lines", name=nom,
                                     line=dict(color=couleur, dash=trait, width=2),
                                     hovertemplate=f"{nom} : {nombre(valeur)} par mois<extra></extra>"))
            fig.add_annotation(x=frame[c.MOIS].iloc[0], y=valeur, text=f"{nombre(valeur)} / mois", showarrow=False,
                               xanchor="left", yanchor="bottom", font=dict(color=couleur))
    fig.update_layout(template="none", title="Recensements par mois et rythme requis", height=360,
                      margin=dict(l=50, r=10, t=50, b=40), xaxis=dict(type="date", tickformat="%m/%Y"),
                      yaxis=dict(title="recensements par mois", rangemode="tozero"),
                      legend=dict(orientation="h", yanchor="top", y=-0.15), separators=formats.SEPARATEURS_PLOTLY)
    return fig
