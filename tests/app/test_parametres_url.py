"""The one rule by which pages bring their URL to the view they show."""
from dashboard.app.parametres_url import changements


def test_bound_parameters_are_never_written_nor_removed():
    poser, retirer = changements({"categorie": "peinture", "region": "32", "x": "1"},
                                 {"categorie": "autre", "departement": "62"}, lies={"categorie"})
    assert poser == {"departement": "62"}
    assert sorted(retirer) == ["region", "x"]


def test_with_siens_only_the_pages_own_parameters_are_removed():
    poser, retirer = changements({"region": "32", "echeance": "2030-01-01", "autre": "x"},
                                 {"region": "32"}, siens={"region", "departement", "echeance"})
    assert poser == {}
    assert retirer == ["echeance"]


def test_an_unchanged_url_changes_nothing():
    assert changements({"a": "1"}, {"a": "1"}) == ({}, [])
