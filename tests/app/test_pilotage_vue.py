"""The view of /couverture and /restauration from the URL and back, without Streamlit or a
database: good and bad territories (unknown, out of scope, inconsistent, empty), good and
bad target dates (unreadable, past, today, too far), round trips."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard.app.pilotage import vue as vues
from dashboard.app.pilotage.vue import Vue
from dashboard.reads.carte import Referentiel
from dashboard.reads.pilotage import Territoire

REF = Referentiel(
    regions=(("32", "Hauts-de-France"), ("11", "Île-de-France"), ("94", "Corse")),
    departements=(("59", "Nord", "32"), ("62", "Pas-de-Calais", "32"), ("75", "Paris", "11"),
                  ("2A", "Corse-du-Sud", "94")),
    categories=(),
)
AVEC_OBJETS = frozenset({"59", "62", "75"})      # Corse-du-Sud holds no counted objet
AUJOURD_HUI = date(2026, 12, 1)


def lire(avec_echeance=True, **params):
    return vues.vue_depuis_url(params, REF, AUJOURD_HUI, avec_echeance, AVEC_OBJETS)


def test_empty_url_is_the_users_scope():
    vue, messages = lire()
    assert vue == Vue() and messages == [] and vue.par_defaut
    assert vue.territoire == Territoire()
    assert vues.url_de_vue(vue, AUJOURD_HUI) == {}
    assert vues.echeance_de(vue, AUJOURD_HUI) == date(2027, 12, 31)


@pytest.mark.parametrize("params, attendu", [
    ({"region": "32"}, Vue(region="32")),
    ({"departement": "62"}, Vue(region="32", departement="62")),
    ({"region": "32", "departement": "62"}, Vue(region="32", departement="62")),
    ({"region": " 11 "}, Vue(region="11")),
    ({"echeance": "2030-06-30"}, Vue(echeance=date(2030, 6, 30))),
    ({"echeance": "30/06/2030"}, Vue(echeance=date(2030, 6, 30))),
    ({"echeance": "2026-12-02"}, Vue(echeance=date(2026, 12, 2))),       # tomorrow
    ({"echeance": "2056-12-01"}, Vue(echeance=date(2056, 12, 1))),       # 30 years
    ({"departement": "75", "echeance": "2028-01-01"}, Vue(region="11", departement="75", echeance=date(2028, 1, 1))),
])
def test_good_values(params, attendu):
    vue, messages = lire(**params)
    assert messages == []
    assert vue == attendu


@pytest.mark.parametrize("params, attendu, mots", [
    ({"region": "84"}, Vue(), "Région inconnue ou hors de votre périmètre : 84"),
    ({"departement": "78"}, Vue(), "Département inconnu ou hors de votre périmètre : 78"),
    ({"departement": "999999999999999"}, Vue(), "(valeur illisible)"),
    ({"region": "<script>"}, Vue(), "(valeur illisible)"),
    ({"region": "11", "departement": "62"}, Vue(), "Le département 62 n'est pas dans la région Île-de-France"),
    # An empty selection: a territory of the scope without any counted objet.
    ({"region": "94"}, Vue(), "Aucun objet compté dans ce territoire (Corse)"),
    ({"departement": "2A"}, Vue(), "Aucun objet compté dans ce territoire (2A — Corse-du-Sud)"),
    ({"echeance": "demain"}, Vue(), "Échéance illisible"),
    ({"echeance": "2026-02-30"}, Vue(), "Échéance illisible"),
    ({"echeance": "2020-01-01"}, Vue(), "L'échéance doit être postérieure à aujourd'hui (01/12/2026)"),
    ({"echeance": "2026-12-01"}, Vue(), "L'échéance doit être postérieure à aujourd'hui"),
    ({"echeance": "2056-12-02"}, Vue(), "L'échéance doit tomber dans les 30 ans"),
    ({"departement": "62", "echeance": "1999-12-31"}, Vue(region="32", departement="62"), "postérieure"),
])
def test_bad_values_give_a_french_message_and_the_default(params, attendu, mots):
    vue, messages = lire(**params)
    assert vue == attendu
    assert len(messages) == 1 and mots in messages[0], messages
    assert messages[0].endswith("affichée." if "échéance" not in messages[0].lower() else "(31/12/2027).")


def test_two_bad_values_two_messages():
    vue, messages = lire(region="84", echeance="hier")
    assert vue == Vue() and len(messages) == 2


def test_restauration_ignores_a_target_date():
    vue, messages = lire(avec_echeance=False, departement="62", echeance="2020-01-01")
    assert vue == Vue(region="32", departement="62") and messages == []


@pytest.mark.parametrize("vue", [Vue(), Vue(region="32"), Vue(region="32", departement="62"),
                                 Vue(echeance=date(2031, 1, 1)), Vue(region="11", departement="75",
                                                                     echeance=date(2027, 3, 1))])
def test_round_trip(vue):
    url = vues.url_de_vue(vue, AUJOURD_HUI)
    assert lire(**url) == (vue, [])


def test_the_default_date_is_not_written():
    assert vues.url_de_vue(Vue(echeance=date(2027, 12, 31)), AUJOURD_HUI) == {}
    assert vues.url_de_vue(Vue(region="32", departement="62"), AUJOURD_HUI) == {"departement": "62"}


def test_url_changes_touch_only_this_pages_parameters():
    poser, retirer = vues.changements_d_url({"region": "32", "echeance": "2030-01-01", "autre": "x"},
                                            {"departement": "62"})
    assert poser == {"departement": "62"} and sorted(retirer) == ["echeance", "region"]


def test_territories_worth_a_view_and_words():
    ref = vues.avec_objets(REF, AVEC_OBJETS)
    assert ref.nom_region == {"32": "Hauts-de-France", "11": "Île-de-France"}
    assert [d[0] for d in ref.departements] == ["59", "62", "75"]
    assert vues.departements_de(ref, Vue()) == ["59", "62", "75"]
    assert vues.departements_de(ref, Vue(region="32")) == ["59", "62"]
    assert vues.departements_de(ref, Vue(region="32", departement="62")) == ["62"]
    assert vues.lieu(Vue(), ref, "France entière") == "France entière"
    assert vues.lieu(Vue(region="32", departement="62"), ref, "") == "62 — Pas-de-Calais"
    assert vues.nom_fichier("couverture", Vue(), AUJOURD_HUI, "departements-59-62") == "couverture-departements-59-62"
    assert vues.nom_fichier("couverture", Vue(region="32", echeance=date(2030, 1, 1)), AUJOURD_HUI) \
        == "couverture-region-32-echeance-2030-01-01"
    assert vues.probleme_d_echeance(date(2027, 1, 1), AUJOURD_HUI) is None
