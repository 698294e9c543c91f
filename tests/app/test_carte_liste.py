"""The rows of /carte as cards for a phone: who the row is, its figures in words, where it
leads (a département's map of communes with the view's filters, a commune's page)."""
from dashboard.app.carte import liste
from dashboard.app.carte.couche import couche
from dashboard.app.carte.vue import Vue
from tests.app.carte_donnees import FIGURES_COMMUNES, GEO_COMMUNES, GEO_DEPARTEMENTS, REF


def test_commune_cards_open_the_commune_page():
    c = couche(Vue(departement="62", region="32", maille="communes", indicateur="statut"), GEO_COMMUNES,
               FIGURES_COMMUNES, REF)
    cartes = liste.cartes(c.table, par_commune=True)
    assert [k.titre for k in cartes] == ["Ablain (62001)", "Arras (62041)"]   # the table's rows, in its order
    arras = cartes[1]
    assert arras.page == "commune" and arras.params == {"code": "62041"}
    assert arras.lignes[0] == "10 objets · 6 recensés depuis 5 ans (60,0 %)"
    assert arras.lignes[1] == "Statut : À examiner · pire état : Péril"
    assert arras.lignes[2] == "Prioritaires : 2 · disparus : 1"


def test_departement_cards_open_its_map_with_the_view_filters():
    c = couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    cartes = liste.cartes(c.table, par_commune=False, params_vue={"siecle": "18", "indicateur": "etat"})
    nord = cartes[0]
    assert nord.titre == "59 — Nord" and nord.page == "carte"
    assert nord.params == {"siecle": "18", "departement": "59"}       # a commune map has its own indicators
    assert nord.lignes[1].startswith("Sur la carte : de 0 à 20 %")


def test_pages_of_cards():
    c = couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    assert [k.titre for k in liste.cartes(c.table, False, debut=1, n=1)] == ["62 — Pas-de-Calais"]
    assert len(liste.cartes(c.table, False)) == min(len(c.table), liste.CARTES_PAR_PAGE)
