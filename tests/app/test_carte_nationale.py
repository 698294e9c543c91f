"""What the page sends to the map of every commune at each run: one class character per
commune in the files' order ("." outside the user's scope), the legend, the disparus by
index, the selection; and a click's index read back as the commune's code. No Streamlit,
no database."""
from __future__ import annotations

import json

import pytest

from dashboard.app.carte import clic, nationale
from dashboard.app.carte.couche import couche
from dashboard.app.carte.vue import Vue
from dashboard.reads.fichiers_carte import OrdreCommunes
from tests.app.carte_donnees import FIGURES_COMMUNES, REF

ORDRE = OrdreCommunes("communes-france.0123456789abcdef", ("59350", "59999", "62001", "62041", "62099", "80001"),
                      ("Lille", "Vide", "Ablain", "Arras", "Vide", "Abbeville"), ("59", "59", "62", "62", "62", "80"))
VUE = Vue(maille="communes", indicateur="statut")


def _couche(dans_vue=None, vue=VUE):
    return couche(vue, nationale.geometrie(ORDRE, dans_vue), FIGURES_COMMUNES, REF)


def test_one_class_per_commune_in_the_files_order():
    c = _couche()
    classes = nationale.classes(ORDRE, c)
    assert len(classes) == len(ORDRE.codes)
    sans = str(len(c.legende.libelles) - 1)    # the legend's last class: no objet
    statuts = list(c.legende.libelles)
    assert classes[1] == classes[4] == classes[5] == sans
    assert statuts[int(classes[3])] == "À examiner" and statuts[int(classes[2])] == "En cours"
    # The table keeps the communes with objets, in the same order.
    assert list(c.table["Code INSEE"]) == ["59350", "62001", "62041"]


def test_communes_outside_the_scope_are_not_drawn():
    classes = nationale.classes(ORDRE, _couche({"62"}))
    assert classes[:2] == ".." and classes[5] == "." and "." not in classes[2:5]


def test_an_indicator_change_changes_only_classes_and_legend():
    un = nationale.arguments(ORDRE, _couche(), "/carte/fichiers/x.json", selection=None, titre="t")
    deux = nationale.arguments(ORDRE, _couche(vue=Vue(maille="communes", indicateur="etat")),
                               "/carte/fichiers/x.json", selection=None, titre="t")
    differents = {k for k in un if un[k] != deux[k]}
    assert differents <= {"classes", "styles", "libelles", "titre_classe"} and "classes" in differents
    assert un["disparus"] == [[3, 1]]              # Arras, 1 disparu, by index
    assert len(json.dumps(un)) < 3_000             # no geometry, no name


def test_selection_and_click_by_index():
    args = nationale.arguments(ORDRE, _couche(), "/f.json", selection="62041", titre="t")
    assert args["selection"] == 3
    assert nationale.arguments(ORDRE, _couche(), "/f.json", selection="99999", titre="t")["selection"] == -1
    valeur = nationale.code_clique({"indice": 3, "n": 1}, ORDRE)
    assert clic.code_clique(valeur) == "62041"
    for mauvaise in (None, {"indice": 99}, {"indice": -1}, {"indice": "3"}, "x"):
        assert nationale.code_clique(mauvaise, ORDRE) is None


def test_over_a_base_map_fills_let_it_show_through():
    args = nationale.arguments(ORDRE, _couche(), "/f.json", selection=None, titre="t", tuiles="https://t/{z}/{x}/{y}")
    assert all(s.get("fillOpacity", 0) <= 0.7 for s in args["styles"])


def test_too_many_classes_are_refused():
    c = _couche()
    c.legende = type(c.legende)(c.legende.titre, tuple(str(i) for i in range(11)), (None,) * 11)
    with pytest.raises(ValueError):
        nationale.classes(ORDRE, c)
