"""The priority score (dashboard.domain.priorite): scores computed by hand here, the order a
change of weight gives, the reasons in words."""
import math

import pandas as pd
import pytest

from dashboard.domain import priorite

ANNEE = 2026


def _entrees(*lignes) -> pd.DataFrame:
    """(code, classés jamais recensés, dernière année, péril ou disparus, a un dossier, objets, population)."""
    return pd.DataFrame(lignes, columns=["code", "classes_jamais_recenses", "derniere_annee", "peril_ou_disparus",
                                         "a_un_dossier", "objets", "population"])


def test_a_score_computed_by_hand():
    # 4 classés never recensed (4/10), last recensement 2020 (6 years: 6/10), 1 in péril (1/5),
    # never a dossier (1), 12 objets for 600 inhabitants = 20 per 1,000 (capped: 1).
    # Weights 3, 2, 3, 1, 1 (sum 10): 100 × (3×0.4 + 2×0.6 + 3×0.2 + 1 + 1) / 10 = 50.
    c = priorite.classer(_entrees(("62001", 4, 2020, 1, False, 12, 600)), (3, 2, 3, 1, 1), ANNEE).iloc[0]
    assert [c[f"points_{k}"] for k in priorite.CODES] == pytest.approx([12, 12, 6, 10, 10])
    assert c["score"] == pytest.approx(50)
    # Never recensed nor récolé: the whole criterion; population unknown: nothing for it.
    c = priorite.classer(_entrees(("62002", 0, None, 0, True, 3, None)), (3, 2, 3, 1, 1), ANNEE).iloc[0]
    assert c["points_anciennete"] == pytest.approx(20) and c["points_densite"] == 0
    assert c["score"] == pytest.approx(20)
    # Caps: 25 classés count as 10, 9 in péril as 5, 40 years as 10; 0.3 objet per 1,000: 0.03.
    c = priorite.classer(_entrees(("62003", 25, 1986, 9, True, 30, 100_000)), (1, 1, 1, 1, 1), ANNEE).iloc[0]
    assert c["score"] == pytest.approx(100 * (1 + 1 + 1 + 0 + 0.03) / 5)


def test_points_add_up_to_the_score_and_stay_within_100():
    entrees = _entrees(("a", 3, 2019, 2, False, 50, 1200), ("b", 0, 2026, 0, True, 1, 40), ("c", 12, None, 7, False,
                                                                                            5, 0))
    for poids in priorite.PRESETS.values():
        c = priorite.classer(entrees, poids.poids, ANNEE)
        total = sum(c[f"points_{k}"] for k in priorite.CODES)
        assert list(total) == pytest.approx(list(c["score"]))
        assert c["score"].between(0, 100).all()
    # A recensement this year: no points for ancienneté; population 0 counts as unknown.
    b = priorite.classer(entrees, (1, 1, 1, 1, 1), ANNEE).set_index("code")
    assert b.loc["b", "points_anciennete"] == 0 and b.loc["c", "points_densite"] == 0


def test_changing_a_weight_changes_the_order_as_stated():
    """A commune strong on péril/disparus and one strong on classés never recensed: raising the
    weight of a criterion puts first the commune that scores on it."""
    entrees = _entrees(("urgente", 0, 2024, 5, True, 10, 1000), ("oubliee", 10, 2024, 0, True, 10, 1000))
    par_urgences = priorite.classer(entrees, priorite.PRESETS["urgences"].poids, ANNEE)
    assert list(par_urgences["code"]) == ["urgente", "oubliee"]
    par_classes = priorite.classer(entrees, priorite.PRESETS["jamais_recenses"].poids, ANNEE)
    assert list(par_classes["code"]) == ["oubliee", "urgente"]
    # One weight alone: from 3 to 0 for péril, the order turns.
    assert list(priorite.classer(entrees, (3, 0, 3, 0, 0), ANNEE)["code"]) == ["oubliee", "urgente"]  # a tie: objets, code
    assert list(priorite.classer(entrees, (3, 0, 4, 0, 0), ANNEE)["code"]) == ["urgente", "oubliee"]
    assert list(priorite.classer(entrees, (4, 0, 3, 0, 0), ANNEE)["code"]) == ["oubliee", "urgente"]


def test_equal_scores_more_objets_first_then_the_code():
    entrees = _entrees(("b", 1, 2020, 0, True, 5, 1000), ("a", 1, 2020, 0, True, 5, 1000),
                       ("c", 1, 2020, 0, True, 9, 1000))
    c = priorite.classer(entrees, (1, 1, 1, 1, 1), ANNEE)
    assert list(c["code"]) == ["c", "a", "b"] and list(c["rang"]) == [1, 2, 3]


def test_weights_all_zero_are_refused():
    with pytest.raises(ValueError):
        priorite.classer(_entrees(("a", 1, 2020, 0, True, 5, 1000)), (0, 0, 0, 0, 0), ANNEE)
    assert priorite.poids_valide(0) and priorite.poids_valide(10)
    assert not priorite.poids_valide(11) and not priorite.poids_valide(-1) and not priorite.poids_valide(True)


def test_the_reason_in_words_heaviest_first():
    entrees = _entrees(("a", 8, None, 1, False, 12, 600), ("b", 0, 2026, 0, True, 2, 100_000),
                       ("c", 1, 2021, 0, True, 1, 10_000))
    c = priorite.classer(entrees, (3, 2, 3, 1, 1), ANNEE)
    raisons = dict(zip(c["code"], priorite.raisons(c)))
    assert raisons["a"] == ("8 objets classés jamais recensés ; aucun recensement ni récolement connu ; "
                            "jamais de dossier de recensement ; 20,0 objets pour 1 000 habitants ; "
                            "1 objet en péril ou disparu")
    assert raisons["b"] == "moins de 0,1 objet pour 1 000 habitants"
    assert raisons["c"] == ("dernier recensement ou récolement en 2021 (5 ans) ; 1 objet classé jamais recensé ; "
                            "0,1 objet pour 1 000 habitants")


def test_presets_and_explanation():
    assert priorite.preset_de(priorite.PAR_DEFAUT) == "equilibre"
    assert priorite.preset_de((1, 2, 3, 4, 5)) is None
    for preset in priorite.PRESETS.values():
        assert len(preset.poids) == len(priorite.CRITERES) and any(preset.poids)
        assert all(priorite.poids_valide(w) for w in preset.poids)
    lignes = priorite.explication((3, 2, 3, 1, 1))
    assert lignes[0].startswith("Objets classés jamais recensés (poids 3, au plus 30,0 points)")
    assert len(lignes) == len(priorite.CRITERES)
    assert all(not math.isnan(c.plafond) and c.plafond > 0 for c in priorite.CRITERES)
