"""The view of /carte from the URL and back, without Streamlit or a database: every
parameter with good and bad values, out-of-scope territories, the round trips
view -> URL -> view and view -> widgets -> view."""
from __future__ import annotations

import pytest

from dashboard.app.carte import vue as vues
from dashboard.app.carte.vue import Vue
from dashboard.reads.carte import Filtres, Referentiel

REF = Referentiel(
    regions=(("32", "Hauts-de-France"), ("11", "Île-de-France")),
    departements=(("59", "Nord", "32"), ("62", "Pas-de-Calais", "32"), ("75", "Paris", "11")),
    categories=("orfèvrerie", "peinture", "sculpture"),
)
COMMUNES = {"62041": "62", "59350": "59", "75056": "75", "2A004": None}  # 2A004: outside the scope
ANNEE = 2026


def lire(**params):
    return vues.vue_depuis_url(params, REF, COMMUNES.get, derniere_annee=ANNEE)


def test_empty_url_is_the_national_view():
    vue, messages = lire()
    assert vue == Vue() and messages == []
    assert vue.niveau == "france" and vue.maille == "departements" and vue.indicateur == "couverture"
    assert vues.url_de_vue(vue) == {}


@pytest.mark.parametrize("params,attendu", [
    ({"region": "32"}, Vue(region="32")),
    ({"region": "32", "maille": "communes"}, Vue(region="32", maille="communes", indicateur="statut")),
    ({"departement": "62"}, Vue(region="32", departement="62", maille="communes", indicateur="statut")),
    # A département implies its région and communes, whatever the URL says of them.
    ({"departement": "62", "region": "11", "maille": "departements"},
     Vue(region="32", departement="62", maille="communes", indicateur="statut")),
    ({"commune": "62041"}, Vue(region="32", departement="62", maille="communes", indicateur="statut",
                               commune="62041")),
    ({"departement": "62", "commune": "62041"},
     Vue(region="32", departement="62", maille="communes", indicateur="statut", commune="62041")),
    ({"indicateur": "prioritaires"}, Vue(indicateur="prioritaires")),
    ({"departement": "59", "indicateur": "etat"},
     Vue(region="32", departement="59", maille="communes", indicateur="etat")),
    ({"protection": "classe"}, Vue(protection="classe")),
    ({"protection": "inscrit"}, Vue(protection="inscrit")),
    ({"categorie": "orfèvrerie"}, Vue(categorie="orfèvrerie")),
    ({"siecle": "1"}, Vue(siecle=1)),
    ({"siecle": "21"}, Vue(siecle=21)),
    ({"periode": "2000-2026"}, Vue(periode=(2000, 2026))),
    ({"periode": "2024-2024"}, Vue(periode=(2024, 2024))),
    ({"region": " 32 "}, Vue(region="32")),   # spaces around a value are no error
])
def test_good_values(params, attendu):
    vue, messages = lire(**params)
    assert messages == []
    assert vue == attendu


@pytest.mark.parametrize("params,message", [
    ({"region": "99"}, "Région inconnue ou hors de votre périmètre : 99. Vue nationale affichée."),
    ({"departement": "999"}, "Département inconnu ou hors de votre périmètre : 999. Vue nationale affichée."),
    ({"commune": "99999"}, "Commune inconnue ou hors de votre périmètre : 99999. Vue nationale affichée."),
    ({"commune": "abc"}, "Commune inconnue ou hors de votre périmètre : abc. Vue nationale affichée."),
    ({"commune": "2A004"}, "Commune inconnue ou hors de votre périmètre : 2A004. Vue nationale affichée."),
    ({"departement": "59", "commune": "62041"},
     "La commune demandée n'est pas dans ce département : vue nationale affichée."),
    ({"region": "<script>"}, "Région inconnue ou hors de votre périmètre : (valeur illisible). Vue nationale affichée."),
    ({"departement": "6" * 40}, "Département inconnu ou hors de votre périmètre : (valeur illisible). "
                                "Vue nationale affichée."),
])
def test_unknown_or_out_of_scope_territory_gives_the_national_view(params, message):
    vue, messages = lire(**params)
    assert messages == [message]
    assert (vue.region, vue.departement, vue.commune, vue.maille) == (None, None, None, "departements")


def test_a_bad_territory_keeps_the_good_filters():
    vue, messages = lire(departement="999", protection="classe", siecle="18")
    assert len(messages) == 1
    assert vue == Vue(protection="classe", siecle=18)


def test_out_of_scope_departement_for_a_conservateur():
    ref = Referentiel(regions=(("32", "Hauts-de-France"),), departements=(("59", "Nord", "32"),
                                                                          ("62", "Pas-de-Calais", "32")),
                      categories=())
    vue, messages = vues.vue_depuis_url({"departement": "75"}, ref, lambda code: None, derniere_annee=ANNEE)
    assert vue == Vue() and "hors de votre périmètre" in messages[0]


def test_commune_without_a_lookup_is_unknown():
    vue, messages = vues.vue_depuis_url({"commune": "62041"}, REF, derniere_annee=ANNEE)
    assert vue == Vue() and messages[0].startswith("Commune inconnue")


@pytest.mark.parametrize("params,debut,attendu", [
    ({"maille": "cantons"}, "Maille inconnue : cantons. Départements affichés.", Vue()),
    ({"indicateur": "x"}, "Indicateur inconnu : x. Indicateur par défaut affiché.", Vue()),
    ({"protection": "aucune"}, "Protection inconnue : aucune (attendu : classe ou inscrit). Filtre ignoré.",
     Vue()),
    ({"categorie": "peinture murale"}, "Catégorie inconnue : filtre ignoré.", Vue()),
    ({"siecle": "quarante"}, "Siècle invalide : quarante (attendu : un nombre de 1 à 21). Filtre ignoré.", Vue()),
    ({"siecle": "0"}, "Siècle invalide : 0", Vue()),
    ({"siecle": "22"}, "Siècle invalide : 22", Vue()),
    ({"siecle": "-3"}, "Siècle invalide : -3", Vue()),
    ({"periode": "1850-3000"}, "Période invalide (attendu : AAAA-AAAA entre 2000 et 2026). Objectif des 5 ans affiché.",
     Vue()),
    ({"periode": "2024-2020"}, "Période invalide", Vue()),
    ({"periode": "2020-2027"}, "Période invalide", Vue()),
    ({"periode": "2020"}, "Période invalide", Vue()),
])
def test_bad_filters_are_dropped_with_a_message(params, debut, attendu):
    vue, messages = lire(**params)
    assert len(messages) == 1 and messages[0].startswith(debut), messages
    assert vue == attendu


def test_indicator_of_the_other_maille_falls_back_without_a_message():
    # "statut" colours communes; on a national map of départements it means the default.
    vue, messages = lire(indicateur="statut")
    assert messages == [] and vue.indicateur == "couverture"
    vue, messages = lire(departement="62", indicateur="dossiers")
    assert messages == [] and vue.indicateur == "statut"


def test_several_bad_values_give_several_messages():
    vue, messages = lire(maille="cantons", indicateur="x", siecle="x")
    assert [m.split(" ")[0] for m in messages] == ["Maille", "Indicateur", "Siècle"]
    assert vue == Vue()


def test_commune_outside_a_map_of_communes_is_dropped():
    assert vues.normalise(Vue(region="32", commune="62041")).commune is None
    assert vues.url_de_vue(Vue(commune="62041")) == {}


VUES = [
    Vue(),
    Vue(indicateur="etat", protection="inscrit", categorie="peinture", siecle=17, periode=(2021, 2024)),
    Vue(region="11"),
    Vue(region="32", maille="communes", indicateur="etat"),
    Vue(maille="communes", indicateur="etat", protection="classe"),
    Vue(maille="communes", indicateur="statut", commune="62041"),
    Vue(region="32", departement="62", maille="communes", indicateur="statut", commune="62041"),
    Vue(region="32", departement="59", maille="communes", indicateur="etat", siecle=1, periode=(2000, 2000)),
]


@pytest.mark.parametrize("vue", VUES)
def test_round_trip_view_url_view(vue):
    url = vues.url_de_vue(vue)
    assert all(isinstance(v, str) for v in url.values())
    again, messages = vues.vue_depuis_url(url, REF, COMMUNES.get, derniere_annee=ANNEE)
    assert messages == [] and again == vue


@pytest.mark.parametrize("vue", VUES)
def test_round_trip_view_widgets_view(vue):
    # The bound widget (catégorie) is set by Streamlit from the URL, not by the page.
    widgets = vues.widgets_de_vue(vue, ANNEE)
    assert not set(widgets) & vues.LIES_A_L_URL
    assert vues.vue_des_widgets({**widgets, "categorie": vue.categorie}) == vue


def test_url_holds_only_what_differs_from_the_defaults():
    assert vues.url_de_vue(Vue(region="32", maille="communes")) == {"region": "32", "maille": "communes"}
    assert vues.url_de_vue(Vue(maille="communes")) == {"maille": "communes"}
    assert vues.url_de_vue(Vue(region="32", departement="62", maille="communes", indicateur="statut")) == \
        {"departement": "62"}
    assert vues.url_de_vue(Vue(siecle=18, periode=(2020, 2024))) == {"siecle": "18", "periode": "2020-2024"}


def test_widgets_without_a_period_keep_the_last_five_years_ready():
    valeurs = vues.widgets_de_vue(Vue(), ANNEE)
    assert valeurs["carte_periode_on"] is False and valeurs["carte_periode"] == (2022, 2026)
    assert vues.vue_des_widgets(valeurs).periode is None


def test_widgets_normalise_what_the_page_would_show():
    # A région chosen with no département: the maille radio decides; a département: communes.
    assert vues.vue_des_widgets({"carte_region": "32", "carte_maille": "communes"}).maille == "communes"
    # France too (issue 16: the map of every commune).
    assert vues.vue_des_widgets({"carte_maille": "communes"}).maille == "communes"
    assert vues.vue_des_widgets({"carte_region": "32", "carte_departement": "62", "carte_maille": "departements",
                                 "carte_indicateur": "couverture"}) == \
        Vue(region="32", departement="62", maille="communes", indicateur="statut")
    # A period is only taken when its toggle is on (a list from the slider is fine).
    assert vues.vue_des_widgets({"carte_periode": [2020, 2022]}).periode is None
    assert vues.vue_des_widgets({"carte_periode_on": True, "carte_periode": [2020, 2022]}).periode == (2020, 2022)


def test_url_changes_leave_the_bound_parameters_alone():
    poser, retirer = vues.changements_d_url({"region": "32", "categorie": "peinture", "siecle": "18"},
                                            {"departement": "62", "siecle": "18"})
    assert poser == {"departement": "62"} and retirer == ["region"]
    poser, retirer = vues.changements_d_url({"departement": "62"}, {"departement": "62", "categorie": "peinture"})
    assert poser == {} and retirer == []
    assert vues.changements_d_url({"x": "1"}, {}) == ({}, ["x"])


def test_url_changed_from_outside():
    assert vues.url_changee({}, None)                       # first visit
    assert not vues.url_changee({}, {})
    assert vues.url_changee({"departement": "62"}, {})      # a link, the back button
    assert not vues.url_changee({"departement": "62", "siecle": "18"}, {"siecle": "18", "departement": "62"})
    # The bound catégorie is the widget's business, whichever side is ahead.
    assert not vues.url_changee({"categorie": "peinture"}, {})
    assert not vues.url_changee({}, {"categorie": "peinture"})
    assert vues.url_changee({"categorie": "peinture"}, {"categorie": "peinture", "siecle": "1"})


def test_filters_of_a_view():
    assert Vue(region="32", departement="62", maille="communes").filtres == Filtres(departement="62")
    assert Vue(region="32", protection="classe", siecle=18, periode=(2020, 2021)).filtres == \
        Filtres(region="32", protection="classe", siecle=18, periode=(2020, 2021))
    params = Filtres(periode=(2020, 2021), siecle=18).params()
    assert (str(params["debut"]), str(params["fin"]), params["siecle"]) == ("2020-01-01", "2022-01-01", "18")


def test_choices_offered():
    assert vues.departements_de(REF, None) == ["59", "62", "75"]
    assert vues.departements_de(REF, "32") == ["59", "62"]
    assert vues.maille_de("32", None, None) == "departements"
    assert vues.maille_de(None, None, "communes") == "communes"
    assert vues.maille_de(None, None, None) == "departements"
    assert vues.maille_de("32", "62", "departements") == "communes"
    assert list(vues.indicateurs_de("communes")) == ["statut", "etat"]
    assert list(vues.indicateurs_de("departements")) == ["couverture", "dossiers", "etat", "prioritaires"]


def test_words():
    assert [vues.libelle_siecle(s) for s in (None, 1, 2, 21)] == ["Tous", "1er siècle", "2e siècle", "21e siècle"]
    assert vues.lieu(Vue(), REF, "France entière") == "France entière"
    assert vues.lieu(Vue(region="32"), REF, "") == "Hauts-de-France"
    assert vues.lieu(Vue(region="32", departement="62"), REF, "") == "62 — Pas-de-Calais"


def test_the_carte_presentation_needs_no_streamlit():
    import subprocess
    import sys

    code = ("import sys\n"
            "from dashboard.app.carte import chiffres, classes, clic, couche, dessin, exports, graphiques, liste, panneau, vue\n"
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_scope_of_one_departement_or_one_commune_opens_on_its_map():
    un = Referentiel(regions=(("32", "Hauts-de-France"),), departements=(("62", "Pas-de-Calais", "32"),),
                     categories=())
    assert vues.params_du_perimetre({}, un) == {"departement": "62"}
    assert vues.params_du_perimetre({"protection": "classe"}, un) == {"protection": "classe", "departement": "62"}
    assert vues.params_du_perimetre({}, un, commune="62041") == {"commune": "62041"}
    vue, messages = vues.vue_depuis_url(vues.params_du_perimetre({}, REF, "62041"), REF, COMMUNES.get, ANNEE)
    assert (vue.departement, vue.commune, vue.maille, messages) == ("62", "62041", "communes", [])
    # A territory or a maille in the URL is kept; a wider scope keeps the national view.
    for params in ({"maille": "communes"}, {"region": "32"}, {"departement": "59"}, {"commune": "59350"}):
        assert vues.params_du_perimetre(params, un, commune="62041") == params
    assert vues.params_du_perimetre({}, REF) == {}
    assert un.departement_unique == "62" and REF.departement_unique is None
