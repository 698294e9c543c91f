"""The ranking of départements and its map, from /couverture's tables, without a database:
order, ranks, the départements without a figure last, classes and their words."""
from datetime import date

import pandas as pd
import shapely

from dashboard.app.pilotage import classement, couverture
from dashboard.reads.carte import Referentiel
from dashboard.reads.geometrie import Geometrie
from dashboard.reads.pilotage import Activite
from geo import encode

REF = Referentiel(regions=(("32", "Hauts-de-France"),),
                  departements=(("59", "Nord", "32"), ("62", "Pas-de-Calais", "32"), ("80", "Somme", "32")),
                  categories=())
OBJETS = pd.DataFrame({"code": ["59", "62", "80"], "objets": [100, 200, 0], "recenses_5_ans": [10, 100, 0],
                       "recenses_12_mois": [4, 50, 0], "a_recenser": [90, 100, 0], "prioritaires": [3, 0, 0],
                       "prioritaires_traites": [1, 0, 0], "preoccupants": [5, 2, 0], "preoccupants_traites": [5, 0, 0],
                       "communes": [10, 20, 0], "contactees": [5, 20, 0], "participantes": [2, 10, 0],
                       "terminees": [1, 5, 0]})
ACTIVITE = Activite(dossiers=pd.DataFrame({"code": ["59", "62"], "statut": ["accepted", "submitted"],
                                           "dossiers": [2, 3]}),
                    recensements=pd.DataFrame({"code": ["59", "62"], "mois": [date(2026, 1, 1), date(2026, 2, 1)],
                                               "recensements": [4, 50], "acceptes": [4, 10],
                                               "acceptes_sans_correction": [3, 10]}))


def _page():
    return couverture.page(REF, ["59", "62", "80"], OBJETS, ACTIVITE, date(2027, 12, 31), date(2026, 12, 1))


def test_ranking_highest_first_without_figure_last():
    rang = classement.classement(_page(), "couverture").donnees
    assert list(rang["Code"]) == ["62", "59", "80"]
    assert rang[classement.RANG].tolist()[:2] == [1, 2] and pd.isna(rang[classement.RANG].iloc[2])   # no objet: no rank
    rang = classement.classement(_page(), "prioritaires").donnees
    assert list(rang["Code"])[0] == "59" and rang[couverture.PRIORITAIRES[2]].iloc[0] == 2


def test_map_classes_and_words():
    ind = classement.INDICATEURS["couverture"]
    assert list(classement.classes(pd.Series([0.04, 0.05, 0.5, float("nan")]), ind)) == [0, 1, 4, 5]
    assert classement.libelles(ind)[0] == "moins de 5 %" and classement.libelles(ind)[-1] == "40 % et plus"
    assert classement.libelles(classement.INDICATEURS["prioritaires"])[:2] == ["aucun", "de 1 à 5"]
    features, _ = encode.encode_layer([shapely.box(2, 50, 3, 51), shapely.box(3, 50, 4, 51)], 1e-3)
    geo = Geometrie(codes=("59", "62"), noms=("Nord", "Pas-de-Calais"), departements=("59", "62"),
                    json=encode.script_json(features), quantum=1e-3, bounds=None)
    out = classement.carte(classement.classement(_page(), "couverture"), "couverture", geo)
    assert "<title>59 — Nord : 10,0 % (de 10 à 20 %)</title>" in out
    assert "<title>62 — Pas-de-Calais : 50,0 % (40 % et plus)</title>" in out
