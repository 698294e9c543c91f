"""The Plotly charts of a /carte view: the objets by état sanitaire (with the disparus and
those without a known état, so the bars add up to the objets counted) and the
recensements per month. Each bar carries its words; colours of états from the vocabulary.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app.carte.classes import DISPARUS, ETAT_ORDRE, GRIS, RECENSEMENTS
from dashboard.domain.vocabulary import ETAT_SANITAIRE

NON_RECENSES = "Non recensés ou état inconnu"


def barres_etats(t: dict[str, int]) -> tuple[list[str], list[int], list[str]]:
    """(labels, counts, colours) of the état chart; the counts add up to t["objets"]."""
    inconnus = max(t["objets"] - t["avec_etat"] - t["disparus"], 0)
    libelles = [*(ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE), "Disparus", NON_RECENSES]
    valeurs = [*(t[e] for e in ETAT_ORDRE), t["disparus"], inconnus]
    couleurs = [*(ETAT_SANITAIRE.couleur(e) for e in ETAT_ORDRE), DISPARUS, GRIS]
    return libelles, valeurs, couleurs


def graphique_etats(t: dict[str, int]) -> go.Figure:
    libelles, valeurs, couleurs = barres_etats(t)
    fig = go.Figure(go.Bar(x=valeurs, y=libelles, orientation="h", marker_color=couleurs,
                           text=[f"{v:,}".replace(",", "\u202f") for v in valeurs], textposition="auto",
                           hovertemplate="%{y} : %{x}<extra></extra>"))
    fig.update_layout(template="none", title="État sanitaire actuel des objets", height=300,
                      margin=dict(l=10, r=10, t=40, b=30), yaxis=dict(autorange="reversed", automargin=True))
    return fig


def graphique_recensements(mois: pd.DataFrame) -> go.Figure:
    fig = go.Figure(go.Bar(x=pd.to_datetime(mois["mois"]), y=mois["recensements"], marker_color=RECENSEMENTS,
                           hovertemplate="%{x|%m/%Y} : %{y} recensements<extra></extra>"))
    fig.update_layout(template="none", title="Recensements par mois", height=300,
                      margin=dict(l=40, r=10, t=40, b=30), xaxis=dict(type="date"))
    return fig
