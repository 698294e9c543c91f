"""The pace towards the five-year objective (objectif.md: Pace and objective); shares are
fractions in data, percentages only when shown; the "mauvais ou péril" rule."""
import pandas as pd
import pytest

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


def test_pace_per_month():
    r = objectif.rythme(6000, 600)
    assert r.requis_par_mois == 100 and r.par_mois == 50


def test_year_a_full_cycle_completes():
    from datetime import date

    # 1000 objets, 100 a year: ten years from today.
    assert objectif.annee_fin_de_cycle(objectif.rythme(1000, 100), date(2026, 12, 1)) == 2036
    assert objectif.annee_fin_de_cycle(objectif.rythme(1000, 100), date(2026, 1, 1)) == 2036
    # Half a year left in 2026, 0.6 year of work: done in 2027.
    assert objectif.annee_fin_de_cycle(objectif.rythme(60, 100), date(2026, 7, 2)) == 2027
    assert objectif.annee_fin_de_cycle(objectif.rythme(1000, 0), date(2026, 12, 1)) is None
    assert objectif.annee_fin_de_cycle(objectif.rythme(0, 0), date(2026, 12, 1)) is None
    # A pace of one objet a year for a national stock: a year far away, no overflow.
    assert objectif.annee_fin_de_cycle(objectif.rythme(275_000, 1), date(2026, 12, 1)) == 277_026


def test_required_monthly_pace_to_a_date():
    from datetime import date

    today = date(2026, 12, 1)
    in_two_years = date(2028, 12, 1)
    assert objectif.mois_jusqu_a(in_two_years, today) == pytest.approx(731 / (365.25 / 12))
    assert objectif.rythme_mensuel_requis(1200, in_two_years, today) == pytest.approx(1200 / (731 / (365.25 / 12)))
    assert objectif.rythme_mensuel_requis(0, in_two_years, today) == 0
    # A date that is not in the future has no pace: the page refuses it before.
    assert objectif.rythme_mensuel_requis(10, today, today) is None
    assert objectif.rythme_mensuel_requis(10, date(2020, 1, 1), today) is None
