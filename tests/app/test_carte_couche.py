"""What the /carte layer sends per feature, its tooltips, the table, and the downloads (CSV
for a French spreadsheet, GeoJSON). No Streamlit, no database."""
from __future__ import annotations

import io
import json
import math

import pandas as pd

from dashboard.app.carte import exports
from dashboard.app.carte.couche import compacte, couche
from dashboard.app.carte.vue import Vue
from dashboard.domain.vocabulary import ETAT_SANITAIRE, STATUT_COMMUNE
from tests.app.carte_donnees import FIGURES_COMMUNES, GEO_COMMUNES, GEO_DEPARTEMENTS, REF

VUE_DEP = Vue(region="32", departement="62", maille="communes", indicateur="statut")


def test_departement_layer_props_follow_the_geometry_order():
    c = couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    p = c.props
    assert p["code"] == ["59", "62", "80"] and p["nom"] == ["Nord", "Pas-de-Calais", "Somme"]
    assert p["o"] == [23, 14, 0] and p["x"] == [0, 1, 0] and p["p"] == [0, 2, 0]
    assert p["r"] == [17.4, 42.9, None]          # percentages; None: no objet, no figure
    assert p["d"] == [0.0, 50.0, None]
    assert p["e"] == [0.0, 50.0, None]
    assert p["k"] == [0, 2, 5]                   # 17.4 %: 0 to 20 ; 42.9 %: 40 to 60
    assert all(len(v) == 3 for v in p.values())


def test_departement_layer_table_and_tooltip():
    c = couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    assert list(c.table["Département"]) == ["59", "62", "80"]
    assert list(c.table.columns) == [
        "Département", "Nom", "Objets", "Recensés depuis 5 ans", "Part recensée (%)", "Communes concernées",
        "Communes ayant transmis un dossier", "Part des communes (%)", "Objets à l'état connu", "Péril", "Mauvais",
        "Péril ou mauvais (%)", "Prioritaires", "Disparus", "Classe sur la carte"]
    assert list(c.table["Classe sur la carte"]) == [c.legende.libelles[k] for k in c.props["k"]]
    assert c.tooltip[0] == ["Classe", "k", "l"] and c.labels == list(c.legende.libelles)
    assert {line[1] for line in c.tooltip} <= set(c.props)
    assert c.markers == []
    periode = couche(Vue(periode=(2020, 2024)), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    assert "Recensés dans la période" in periode.table.columns
    assert ["Recensés dans la période", "r", "p"] in periode.tooltip


def test_departement_classes_in_the_props():
    c = couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    # 4/23 = 17.4 % -> "de 0 à 20 %"; 6/14 = 42.9 % -> "de 40 à 60 %"; Somme: no objet.
    assert [c.legende.libelles[k] for k in c.props["k"]] == ["de 0 à 20 %", "de 40 à 60 %", "pas de donnée"]


def test_region_view_keeps_its_departements():
    geo = GEO_DEPARTEMENTS
    c = couche(Vue(region="32"), geo, FIGURES_COMMUNES, REF)
    assert list(c.table["Département"]) == ["59", "62", "80"]
    c = couche(Vue(region="11"), geo, FIGURES_COMMUNES, REF)
    assert c.table.empty


def test_commune_layer_props_index_their_words():
    c = couche(VUE_DEP, GEO_COMMUNES, FIGURES_COMMUNES, REF)
    p = c.props
    assert p["code"] == ["62001", "62041", "62099"] and p["o"] == [4, 10, 0] and p["r"] == [0, 6, 0]
    assert [c.labels[i] for i in p["s"]] == [STATUT_COMMUNE.libelle("en_cours"), STATUT_COMMUNE.libelle("a_examiner"),
                                             STATUT_COMMUNE.libelle("non_recense")]
    assert [c.labels[i] for i in p["w"]] == ["aucun", ETAT_SANITAIRE.libelle("peril"), "aucun"]
    assert [c.labels[k] for k in p["k"]] == ["En cours", "À examiner", "sans objet protégé (selon les filtres)"]
    assert c.sans_objet() == 1
    # A dark dot where a commune has a disparu: [lat, lng, count, code, nom].
    assert c.markers == [[50.05, 2.25, 1, "62041", "Arras"]]
    assert {line[1] for line in c.tooltip} <= set(p)
    assert all(fmt in ("n", "p", "l") for _, _, fmt in c.tooltip)


def test_commune_table_lists_communes_with_objets():
    c = couche(VUE_DEP, GEO_COMMUNES, FIGURES_COMMUNES, REF)
    t = c.table
    assert list(t["Code INSEE"]) == ["62001", "62041"]
    assert list(t.columns) == ["Code INSEE", "Commune", "Département", "Objets", "Recensés depuis 5 ans",
                               "Part recensée (%)", "Statut", "Pire état actuel", "Péril", "Mauvais", "Disparus",
                               "Prioritaires"]
    assert list(t["Statut"]) == ["En cours", "À examiner"] and list(t["Pire état actuel"]) == ["—", "Péril"]
    assert t["Part recensée (%)"].tolist() == [0.0, 60.0]


def test_the_table_is_pushed_compact_and_exported_the_same():
    """Counts on 32 bits and repeated words as categories: what the browser receives is smaller
    (Arrow sends a category's words once), what is shown and exported is unchanged."""
    rows = 40
    t = pd.DataFrame({"Code": [f"{i:05d}" for i in range(rows)], "Objets": range(rows),
                      "Statut": ["En cours", "À examiner"] * (rows // 2)})
    c = compacte(t)
    assert str(c["Objets"].dtype) == "int32" and isinstance(c["Statut"].dtype, pd.CategoricalDtype)
    assert not isinstance(c["Code"].dtype, pd.CategoricalDtype)          # all different: kept as text
    assert c.astype({"Objets": "int64", "Statut": "str"}).equals(t.astype({"Statut": "str"}))
    assert exports.csv_bytes(c) == exports.csv_bytes(t)


def test_csv_for_a_french_spreadsheet():
    table = pd.DataFrame({"Département": ["59", "2A"], "Nom": ["Nord", "Corse-du-Sud"], "Objets": [1200, 3],
                          "Part recensée (%)": [33.3, float("nan")]})
    data = exports.csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")                      # BOM: Excel reads UTF-8
    lignes = data.decode("utf-8-sig").splitlines()
    assert lignes[0] == "Département;Nom;Objets;Part recensée (%)"
    assert lignes[1] == "59;Nord;1200;33,3"                        # decimal comma, codes as text
    assert lignes[2] == "2A;Corse-du-Sud;3;"                       # no figure: empty
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Département": str})
    assert back["Département"].tolist() == ["59", "2A"] and back["Part recensée (%)"].tolist()[0] == 33.3


def test_geojson_features_with_their_figures():
    c = couche(VUE_DEP, GEO_COMMUNES, FIGURES_COMMUNES, REF)
    doc = json.loads(exports.geojson_bytes(GEO_COMMUNES, c).decode("utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    arras = next(f for f in doc["features"] if f["properties"]["code"] == "62041")
    props = arras["properties"]
    assert props["nom"] == "Arras" and props["classe"] == "À examiner"
    assert props["Objets"] == 10 and props["Part recensée (%)"] == 60.0 and props["Statut"] == "À examiner"
    vide = next(f for f in doc["features"] if f["properties"]["code"] == "62099")["properties"]
    assert set(vide) == {"code", "nom", "classe"}                 # no objet: no row of the table
    # Geometry: the square drawn, on the grid of the map, its rings closed.
    ring = arras["geometry"]["coordinates"][0][0]
    assert arras["geometry"]["type"] == "MultiPolygon" and ring[0] == ring[-1] and len(ring) == 5
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert math.isclose(min(xs), 2.2, abs_tol=1e-4) and math.isclose(max(ys), 50.1, abs_tol=1e-4)


def test_geojson_numbers_are_plain_and_missing_ones_null():
    c = couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF)
    doc = json.loads(exports.geojson_bytes(GEO_DEPARTEMENTS, c))
    somme = next(f for f in doc["features"] if f["properties"]["code"] == "80")["properties"]
    assert somme["Objets"] == 0 and somme["Part recensée (%)"] is None and somme["classe"] == "pas de donnée"


def test_file_names_follow_the_view():
    assert exports.nom_fichier({}) == "carte-france"
    assert exports.nom_fichier({"departement": "62", "commune": "62041"}) == "carte-departement-62"
    assert exports.nom_fichier({"region": "32", "maille": "communes"}) == "carte-region-32-maille-communes"
