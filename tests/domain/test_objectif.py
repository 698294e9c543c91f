"""The pace towards the five-year objective (objectif.md: Pace and objective)."""
from dashboard.domain import objectif


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
