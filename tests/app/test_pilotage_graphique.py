"""The one Plotly chart left (/couverture) speaks French (issue 11, item 6): decimal comma and
thin-space thousands, months as mm/yyyy on the axis and in the tooltips, French words only,
and no mode bar (Plotly's English buttons)."""
import json

import pandas as pd

from dashboard import settings
from dashboard.domain import formats
from dashboard.app.pilotage import couverture as c
from dashboard.app.pilotage.graphiques import graphique_mois
from dashboard.app.pilotage.tableaux import Tableau


def test_the_chart_of_months_is_in_french():
    mois = pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"])
    t = Tableau("mois", "Recensements par mois", pd.DataFrame({
        c.MOIS: mois, c.RECENSEMENTS: [1200, 980, 1510],
        c.REQUIS_OBJECTIF_MOIS: [1234.5] * 3, c.REQUIS_ECHEANCE_MOIS: [2345.25] * 3}))
    fig = graphique_mois(t, "31/12/2030")
    assert fig.layout.separators == formats.SEPARATEURS_PLOTLY  # decimal comma, narrow space between thousands
    assert fig.layout.xaxis.tickformat == "%m/%Y"
    assert all("%{x|%m/%Y}" in tr.hovertemplate or tr.type == "scatter" for tr in fig.data)
    textes = [a.text for a in fig.layout.annotations] + [tr.name for tr in fig.data]
    assert "1\u202f234,5 / mois" in textes, textes
    assert "Rythme requis pour l'échéance du 31/12/2030" in textes
    rendu = json.dumps(fig.to_plotly_json(), default=str)
    assert "Count" not in rendu and "Month" not in rendu


def test_the_page_hides_plotlys_english_mode_bar():
    source = (settings.PAGES_DIR / "couverture.py").read_text(encoding="utf-8")
    assert 'config={"displayModeBar": False}' in source
