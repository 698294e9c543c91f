"""/communes-a-contacter without Streamlit or a database: the view from the URL (bad weights,
an unknown EPCI, bad filters: a French message each and what is used instead) and back, the
filters, the map's layer, the display and the mail-merge export (formula-safe)."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.app.deploiement import carte, tableau, vue as vues
from dashboard.domain import priorite
from tests.app.carte_donnees import REF, geometrie


def lire(**params):
    return vues.vue_depuis_url(params, REF)


def test_empty_url_default_view_and_round_trip():
    vue, messages = lire()
    assert vue == vues.Vue() and messages == [] and vue.poids == priorite.PAR_DEFAUT
    assert vues.url_de_vue(vue) == {}
    url = {"departement": "62", "epci": "200000001", "objets_min": "5", "masquer_contactees": "1",
           "masquer_en_campagne": "1", "poids_classes": "7", "poids_densite": "0"}
    vue, messages = lire(**url)
    assert messages == []
    assert vue.region == "32" and vue.filtres == vues.Filtres("200000001", 5, True, True)
    assert vue.poids == (7, 2, 3, 1, 0)
    assert vues.url_de_vue(vue) == url


@pytest.mark.parametrize("params, message, poids", [
    ({"poids_classes": "11"}, "Poids hors limites pour « Objets classés jamais recensés » : 11 (attendu : un nombre "
                              "entier de 0 à 10). Poids par défaut (3) utilisé.", (3, 2, 3, 1, 1)),
    ({"poids_urgences": "-2"}, "Poids hors limites pour « Objets en péril ou disparus » : -2", (3, 2, 3, 1, 1)),
    ({"poids_densite": "2.5"}, "Poids hors limites pour « Objets par habitant » : (valeur illisible)",
     (3, 2, 3, 1, 1)),
    ({"poids_anciennete": "<b>"}, "Poids hors limites pour « Ancienneté du dernier recensement » : (valeur illisible)",
     (3, 2, 3, 1, 1)),
    ({f"poids_{c}": "0" for c in priorite.CODES}, "Tous les poids sont à zéro", priorite.PAR_DEFAUT),
])
def test_weights_out_of_range(params, message, poids):
    vue, messages = lire(**params)
    assert len(messages) == 1 and messages[0].startswith(message), messages
    assert vue.poids == poids


@pytest.mark.parametrize("params, message", [
    ({"objets_min": "0"}, "Nombre minimal d'objets invalide : 0"),
    ({"objets_min": "beaucoup"}, "Nombre minimal d'objets invalide : beaucoup"),
    ({"masquer_contactees": "peut-etre"}, "Valeur illisible pour « Masquer les communes déjà contactées »"),
    ({"departement": "13"}, "Département inconnu ou hors de votre périmètre : 13"),
    ({"region": "'; DROP"}, "Région inconnue ou hors de votre périmètre : (valeur illisible)"),
])
def test_bad_filters(params, message):
    vue, messages = lire(**params)
    assert len(messages) == 1 and messages[0].startswith(message), messages
    assert vue.filtres.objets_min == 1 and not vue.filtres.masquer_contactees and vue.departement is None


def test_unknown_epci():
    vue, _ = lire(departement="62", epci="999999999")
    epcis = {"200000001": "CC Une", "200000002": "CA Deux"}
    propre, messages = vues.epci_connu(vue, epcis)
    assert propre.filtres.epci is None and propre.departement == "62"
    assert messages == ["EPCI inconnu ou hors du territoire choisi : 999999999. Filtre ignoré."]
    assert vues.epci_connu(lire(epci="200000002")[0], epcis) == (lire(epci="200000002")[0], [])


def _communes() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["62001", "62002", "62003", "62004"], "nom": ["Ablain", "=HYPERLINK(\"http://x\")", "Cé", "Dé"],
        "departement": ["62"] * 4, "epci": ["e1", "e1", "e2", None], "epci_nom": ["CC Une", "CC Une", "CA Deux", None],
        "population": [100.0, 2000.0, None, 50.0], "objets": [3, 12, 1, 6], "classes": [2, 10, 0, 1],
        "classes_jamais_recenses": [2, 10, 0, 1], "peril_ou_disparus": [0, 1, 0, 0],
        "dernier_recensement": [None, date(2019, 5, 1), None, None], "derniere_annee": [None, 2019.0, 2001.0, None],
        "a_un_dossier": [False, True, False, True], "contactee": [False, True, False, False],
        "en_campagne_active": [False, False, True, False],
        "courriel": ["a@b.fr", "-cmd@evil.fr", None, "d@e.fr"], "courriel_enregistre": [False] * 4,
        "telephone": ["03 00 00 00 01", None, None, "+33 3 21"],
        "adresse": ["1 rue X\n62000 Ablain", "Place\nBP 3\n62100 Bé", None, "Mairie"],
        "dernier_contact_le": [None, date(2026, 11, 2), None, None], "dernier_resultat": [None, "a_rappeler", None, None],
        "rappeler_le": [None, date(2026, 12, 20), None, None],
    })


def test_filters():
    communes = _communes()
    assert list(vues.selection(communes, vues.Filtres())["code"]) == ["62001", "62002", "62003", "62004"]
    assert list(vues.selection(communes, vues.Filtres(epci="e1"))["code"]) == ["62001", "62002"]
    assert list(vues.selection(communes, vues.Filtres(objets_min=5))["code"]) == ["62002", "62004"]
    assert list(vues.selection(communes, vues.Filtres(masquer_contactees=True, masquer_en_campagne=True))["code"]) \
        == ["62001", "62004"]
    assert vues.epcis_de(communes) == {"e2": "CA Deux", "e1": "CC Une"}


def test_display_and_mail_merge_export():
    classement = priorite.classer(_communes(), priorite.PAR_DEFAUT, 2026)
    shown = tableau.affichage(classement)
    assert list(shown[tableau.RANG]) == [1, 2, 3, 4]
    first = shown.iloc[0]
    assert first[tableau.CODE] == classement["code"].iloc[0]
    points = [float(first[tableau.points_colonne(c)].replace(",", ".")) for c in priorite.CRITERES]
    assert sum(points) == pytest.approx(float(first[tableau.SCORE].replace(",", ".")), abs=0.3)
    row = shown.set_index(tableau.CODE).loc["62002"]
    assert row[tableau.DERNIER_CONTACT] == "02/11/2026 : À rappeler, à rappeler le 20/12/2026"
    assert row["Dernier recensement ou récolement"] == "2019" and row[tableau.ADRESSE] == "Place, BP 3, 62100 Bé"
    assert shown.set_index(tableau.CODE).loc["62003", tableau.COURRIEL] == "—"

    data = tableau.csv_bytes(classement)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[tableau.CODE] for r in rows] == list(classement["code"])
    by = {r[tableau.CODE]: r for r in rows}
    assert by["62002"][tableau.COMMUNE] == "'=HYPERLINK(\"http://x\")" and by["62002"][tableau.COURRIEL] == \
        "'-cmd@evil.fr"
    assert by["62002"][tableau.ADRESSE] == "Place, BP 3" and by["62002"]["Code postal et commune"] == "62100 Bé"
    assert by["62004"]["Code postal et commune"] == "" and by["62004"][tableau.TELEPHONE] == "'+33 3 21"
    assert by["62002"][tableau.RAISON].startswith("10 objets classés jamais recensés")
    sheet = openpyxl.load_workbook(io.BytesIO(tableau.xlsx_bytes(classement))).active
    header = [c.value for c in sheet[1]]
    cells = {r[header.index(tableau.CODE)].value: r for r in sheet.iter_rows(min_row=2)}
    cell = cells["62002"][header.index(tableau.COMMUNE)]
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == "=HYPERLINK(\"http://x\")"
    assert isinstance(cells["62002"][header.index(tableau.OBJETS)].value, int)
    assert tableau.nom_fichier({"departement": "62", "epci": "e1", "poids_classes": "4"}, date(2026, 12, 2)) == \
        "communes-a-contacter-departement-62-epci-e1-2026-12-02"


def test_map_layer_classes_and_outside_the_selection():
    classement = priorite.classer(_communes(), priorite.PAR_DEFAUT, 2026)
    geo = geometrie(["62001", "62002", "62099"], ["Ablain", "Bé", "Hors"])
    c = carte.couche(geo, classement)
    by = classement.set_index("code")
    assert c.props["k"][:2] == [int(min(by.loc[x, "score"] // 20, 4)) for x in ("62001", "62002")]
    assert c.props["k"][2] == len(carte.LEGENDE.libelles) - 1 and c.props["r"][2] is None
    assert c.labels[c.props["s"][0]] == tableau.decimal(by.loc["62001", "score"]) + " sur 100"
    assert c.labels[c.props["c"][2]] == carte.HORS_SELECTION
    assert list(carte.classes(pd.Series([0, 19.9, 20, 79.99, 80, 100]))) == [0, 0, 1, 3, 4, 4]
