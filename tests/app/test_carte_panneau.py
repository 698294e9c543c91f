"""A click on the /carte map, a commune's side panel, the charts of the view. No Streamlit,
no database."""
from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.app.carte import clic, graphiques, panneau
from dashboard.app.carte.classes import DISPARUS, GRIS
from dashboard.app.carte.vue import Vue
from dashboard.domain.vocabulary import ETAT_SANITAIRE
from tests.app.carte_donnees import FIGURES_COMMUNES


def clique(code):
    return {"last_active_drawing": {"type": "Feature", "properties": {"code": code, "nom": "x"}}}


@pytest.mark.parametrize("valeur,code", [
    (clique("62041"), "62041"),
    (clique("2A004"), "2A004"),
    (clique("62"), "62"),
    (clique("971"), "971"),
    (None, None),
    ({}, None),
    ({"last_active_drawing": None}, None),
    ({"last_active_drawing": "62041"}, None),
    ({"last_active_drawing": {"properties": None}}, None),
    (clique(62041), None),                   # not a string
    (clique("<b>62</b>"), None),
    (clique("620411"), None),
    (clique("A2004"), None),
    ("62041", None),
])
def test_code_clique(valeur, code):
    assert clic.code_clique(valeur) == code


def test_a_click_is_handled_once_per_map():
    vue = Vue(region="32", departement="62", maille="communes", indicateur="statut")
    premier = clic.nouveau_clic(clique("62041"), vue, None)
    assert premier is not None and premier[1] == "62041"
    # st_folium returns the same feature on the next runs: nothing new.
    assert clic.nouveau_clic(clique("62041"), vue, premier) is None
    assert clic.nouveau_clic(clique("62041"), vue.avec_commune("62041"), list(premier)) is None  # session lists
    # Another feature, or the same code on another map (another view), is a new click.
    assert clic.nouveau_clic(clique("62001"), vue, premier)[1] == "62001"
    assert clic.nouveau_clic(clique("62041"), Vue(region="32", departement="62", maille="communes",
                                                  indicateur="etat"), premier) is not None
    assert clic.nouveau_clic({}, vue, premier) is None


def test_what_a_click_opens():
    deps, communes = {"59": "Nord", "62": "Pas-de-Calais"}, ("62001", "62041")
    national = Vue()
    sur_62 = Vue(region="32", departement="62", maille="communes", indicateur="statut")
    assert clic.cible("62", national, deps, communes) == ("departement", "62")
    assert clic.cible("75", national, deps, communes) is None          # out of scope
    assert clic.cible("62041", national, deps, communes) is None
    assert clic.cible("62041", sur_62, deps, communes) == ("commune", "62041")
    assert clic.cible("59350", sur_62, deps, communes) is None         # not on this map
    assert clic.cible("62", sur_62, deps, communes) is None


FICHE = {"code_insee": "62041", "nom": "Arras", "departement_code": "62", "departement_nom": "Pas-de-Calais",
         "population": 41000, "mairie_email": "mairie@arras.example", "mairie_telephone": None,
         "mairie_adresse": "", "statut": "a_examiner", "dossier_transmis_le": datetime(2025, 3, 7, 10, 30)}


def test_side_panel_of_a_commune():
    p = panneau.panneau(FICHE, FIGURES_COMMUNES)
    assert p.titre == "Arras" and p.sous_titre == "62041 · 62 — Pas-de-Calais"
    assert p.statut == "Statut : **À examiner** · dossier transmis le 07/03/2025"
    assert p.disparus == "Objets disparus : **1**"
    assert p.mairie == ("Courriel : mairie@arras.example", "Téléphone : —", "Adresse : —")
    assert p.lien == "[Fiche de la commune](/commune?code=62041)"
    etats = p.etats.set_index("État sanitaire actuel")["Objets"]
    assert list(etats.index) == [*(ETAT_SANITAIRE.libelle(e) for e in ETAT_SANITAIRE), "Disparus",
                                 "Non recensés ou état inconnu", "Total"]
    assert etats.tolist() == [2, 1, 2, 1, 1, 3, 10]
    assert etats.drop("Total").sum() == etats["Total"]


def test_side_panel_without_dossier_nor_figures():
    fiche = {**FICHE, "code_insee": "62099", "statut": "non_recense", "dossier_transmis_le": None}
    p = panneau.panneau(fiche, FIGURES_COMMUNES)
    assert p.statut == "Statut : **Non recensé**"
    assert p.etats["Objets"].tolist() == [0] * 7 and p.disparus == "Objets disparus : **0**"


def test_objets_by_etat_never_negative():
    ligne = {"objets": 2, "avec_etat": 2, "disparus": 1, "bon": 2, "moyen": 0, "mauvais": 0, "peril": 0}
    assert panneau.objets_par_etat(ligne)["Objets"].tolist() == [2, 0, 0, 0, 1, 0, 2]


def test_etat_chart_bars_add_up_to_the_objets():
    t = {"objets": 37, "avec_etat": 10, "bon": 3, "moyen": 4, "mauvais": 2, "peril": 1, "disparus": 1,
         "recenses": 0, "prioritaires": 0}
    libelles, valeurs, couleurs = graphiques.barres_etats(t)
    assert sum(valeurs) == 37 and valeurs[-1] == 26
    assert libelles == ["Bon", "Moyen", "Mauvais", "Péril", "Disparus", "Non recensés ou état inconnu"]
    assert couleurs == [*(ETAT_SANITAIRE.couleur(e) for e in ETAT_SANITAIRE), DISPARUS, GRIS]
    svg = graphiques.graphique_etats(t)
    # Each bar says its words and its figure, in the picture and in the image's label.
    for libelle, valeur in zip(libelles, valeurs):
        assert f"<title>{libelle} : {valeur} objets</title>" in svg
        assert f"{libelle} {valeur}" in svg.split('aria-label="', 1)[1].split('"', 1)[0]
    assert 'role="img"' in svg and "État sanitaire actuel des objets" in svg


def test_recensements_chart_speaks_french():
    """Issue 11: numbers with a space between thousands, months by their French names (the
    Plotly chart said "Jan 2025" and 1,250)."""
    import re

    import pandas as pd

    mois = pd.DataFrame({"mois": ["2025-01-01", "2025-03-01"], "recensements": [12, 1250]})
    svg = graphiques.graphique_recensements(mois)
    assert "<title>janvier 2025 : 12 recensements</title>" in svg
    assert "<title>février 2025 : 0 recensement</title>" in svg           # a month without one is drawn empty
    assert "<title>mars 2025 : 1\u202f250 recensements</title>" in svg
    assert ">janv. 2025<" in svg and ">mars 2025<" in svg
    assert "Recensements par mois, de janvier 2025 à mars 2025 : 1\u202f262 au total" in svg
    assert not re.search(r"\d,\d{3}", svg) and "Jan" not in svg
    assert "Aucun recensement" in graphiques.graphique_recensements(pd.DataFrame({"mois": [], "recensements": []}))
