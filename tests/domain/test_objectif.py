"""The pace towards the five-year objective (objectif.md: Pace and objective); shares are
fractions in data, percentages only when shown; the "mauvais ou péril" rule."""
import pandas as pd

from dashboard.app import ui
from dashboard.domain import etat, objectif


def test_full_cycle_and_required_pace():
    r = objectif.rythme(1000, 100)
    assert r.annees_cycle == 10
    assert r.requis_par_an == 200
    assert r.couverture_plafond == 0.5
    assert r.libelle_cycle == "10,0 ans"


def test_no_pace_means_never():
    r = objectif.rythme(1000, 0)
    assert r.annees_cycle is None
    assert r.libelle_cycle == "jamais au rythme actuel"
    assert r.couverture_plafond == 0.0


def test_coverage_ceiling_is_capped_and_empty_scope():
    assert objectif.rythme(100, 500).couverture_plafond == 1.0
    assert objectif.rythme(0, 0).libelle_cycle == "aucun objet"
    assert objectif.part(1, 0) is None


def test_a_share_is_a_fraction_for_numbers_and_series():
    assert objectif.part(1, 4) == 0.25
    shares = objectif.part(pd.Series([1, 0, 3]), pd.Series([4, 0, 3]))
    assert shares.iloc[0] == 0.25 and pd.isna(shares.iloc[1]) and shares.iloc[2] == 1.0


def test_a_share_is_shown_as_a_percentage_by_one_formatter():
    assert ui.fmt_pct(0.4) == "40,0 %"
    assert ui.fmt_pct(objectif.part(1, 3), digits=0) == "33 %"
    assert ui.fmt_pct(None) == ui.fmt_pct(float("nan")) == "—"


def test_mauvais_ou_peril_share_counts_the_two_worst_etats():
    assert etat.MAUVAIS_OU_PERIL == ("mauvais", "peril")
    figures = pd.DataFrame({"bon": [5, 0], "moyen": [1, 0], "mauvais": [2, 0], "peril": [2, 0], "avec_etat": [10, 0]})
    assert list(etat.nombre_mauvais_ou_peril(figures)) == [4, 0]
    shares = etat.part_mauvais_ou_peril(figures, figures["avec_etat"])
    assert shares.iloc[0] == 0.4 and pd.isna(shares.iloc[1])
    assert etat.part_mauvais_ou_peril({"bon": 6, "mauvais": 1, "peril": 1}, 8) == 0.25
    assert etat.part_mauvais_ou_peril({"mauvais": 0, "peril": 0}, 0) is None
