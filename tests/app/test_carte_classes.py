"""Colour classes and legends of /carte, and the figures they are computed from: thresholds
at their edges, "pas de donnée", words for every colour, colours of enums from the
vocabulary. No Streamlit, no database."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.app.carte import chiffres, classes
from dashboard.app.carte.vue import INDICATEURS_COMMUNES, INDICATEURS_DEPARTEMENTS
from dashboard.domain.vocabulary import ETAT_SANITAIRE, STATUT_COMMUNE
from tests.app.carte_donnees import FIGURES_COMMUNES, REF, figures


def deps(**colonnes) -> pd.DataFrame:
    n = len(next(iter(colonnes.values())))
    base = {c: [0] * n for c in ("objets", "recenses", "communes", "communes_dossier", "avec_etat", "mauvais",
                                 "peril", "prioritaires")}
    base.update(colonnes)
    return pd.DataFrame(base)


def test_coverage_classes_run_to_the_objective():
    """The objective is every objet recensed in 5 years: the classes run from 0 to 100 %
    (issue 11: a legend that stopped at "40 % et plus" said nothing of the way left)."""
    recenses = [0, 199, 200, 399, 400, 599, 600, 799, 800, 1000, 0]
    objets = [1000] * 10 + [0]
    valeur, classe, legende = classes.classer_departements(deps(objets=objets, recenses=recenses), "couverture")
    assert list(valeur[:10]) == [0.0, 19.9, 20.0, 39.9, 40.0, 59.9, 60.0, 79.9, 80.0, 100.0]
    assert math.isnan(valeur.iloc[10])
    assert list(classe) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]
    assert legende.libelles == ("de 0 à 20 %", "de 20 à 40 %", "de 40 à 60 %", "de 60 à 80 %",
                                "de 80 à 100 % (objectif : 100 %)", "pas de donnée")
    assert legende.couleurs == (*classes.BLEUS, classes.GRIS)
    assert legende.titre == INDICATEURS_DEPARTEMENTS["couverture"]


def test_dossier_classes_count_communes():
    valeur, classe, legende = classes.classer_departements(
        deps(communes=[10, 10, 0], communes_dossier=[0, 5, 0]), "dossiers")
    assert list(valeur[:2]) == [0.0, 50.0] and math.isnan(valeur.iloc[2])
    assert list(classe) == [0, 2, 5]
    assert legende.libelles[-2] == "de 80 à 100 % (objectif : 100 %)"
    assert legende.couleurs[:5] == classes.BLEUS


def test_etat_classes_have_their_own_thresholds():
    valeur, classe, legende = classes.classer_departements(
        deps(avec_etat=[100, 100, 100, 100, 100, 0], mauvais=[1, 2, 4, 9, 19, 0], peril=[0, 0, 1, 1, 1, 0]), "etat")
    assert list(valeur[:5]) == [1.0, 2.0, 5.0, 10.0, 20.0]
    assert list(classe) == [0, 1, 2, 3, 4, 5]
    assert legende.libelles[:5] == ("moins de 2 %", "de 2 à 5 %", "de 5 à 10 %", "de 10 à 20 %", "20 % et plus")
    assert legende.couleurs == (*classes.ROUGES, classes.GRIS)


def test_prioritaires_are_counts():
    counts = [0, 1, 5, 6, 20, 21, 50, 51, 3]
    valeur, classe, legende = classes.classer_departements(
        deps(objets=[10] * 8 + [0], prioritaires=counts), "prioritaires")
    assert list(classe) == [0, 1, 1, 2, 2, 3, 3, 4, 5]   # no objet: no figure, whatever the count
    assert legende.libelles == ("aucun", "de 1 à 5", "de 6 à 20", "de 21 à 50", "51 et plus", "pas de donnée")


@pytest.mark.parametrize("indicateur", list(INDICATEURS_DEPARTEMENTS))
def test_every_colour_of_a_departement_legend_has_words(indicateur):
    _, _, legende = classes.classer_departements(deps(objets=[0]), indicateur)
    assert len(legende.libelles) == len(legende.couleurs) == len(legende.styles()) == 6
    assert all(libelle.strip() for libelle in legende.libelles)
    assert len(set(legende.couleurs)) == 6 and all(c.startswith("#") for c in legende.couleurs)


def test_commune_classes_by_statut_take_the_vocabulary():
    rows, legende = classes.classer_communes(["62041", "62001", "62099"], FIGURES_COMMUNES, "statut")
    assert legende.titre == INDICATEURS_COMMUNES["statut"]
    assert legende.libelles == (*STATUT_COMMUNE.libelles.values(), "sans objet protégé (selon les filtres)")
    assert legende.couleurs == (*STATUT_COMMUNE.couleurs.values(), None)
    assert list(rows["k"]) == [STATUT_COMMUNE.index("a_examiner"), STATUT_COMMUNE.index("en_cours"), 5]
    # Every commune of the map has a row; one without objet has zeros.
    assert list(rows["code"]) == ["62041", "62001", "62099"] and rows["objets"].tolist() == [10, 4, 0]


def test_commune_classes_by_worst_etat():
    rows, legende = classes.classer_communes(["62041", "62001", "62099", "59350"], FIGURES_COMMUNES, "etat")
    assert legende.libelles == ("pire état : bon", "pire état : moyen", "pire état : mauvais", "pire état : péril",
                                "aucun état connu", "sans objet protégé (selon les filtres)")
    assert legende.couleurs == (*(ETAT_SANITAIRE.couleur(e) for e in ETAT_SANITAIRE), classes.GRIS, None)
    # Arras has a péril: the worst wins; Ablain has objets but no état; 62099 none; Lille only "bon".
    assert list(rows["k"]) == [3, 4, 5, 0]


def test_pire_etat():
    df = figures(dict(bon=1), dict(bon=1, mauvais=1), dict(moyen=2, peril=1), dict())
    assert list(classes.pire_etat(df)) == ["bon", "mauvais", "peril", None]


def test_styles_no_fill_for_the_communes_without_objet():
    _, legende = classes.classer_communes(["62099"], FIGURES_COMMUNES, "statut")
    styles = legende.styles()
    assert styles[-1] == classes.SANS_OBJET and styles[-1]["fillOpacity"] == 0
    assert all(s["fillColor"] == c for s, c in zip(styles[:-1], legende.couleurs[:-1]))


def test_legend_in_words_with_swatches():
    _, legende = classes.classer_communes(["62099"], FIGURES_COMMUNES, "etat")
    texte = classes.legende_markdown(legende, disparus=True)
    lignes = texte.split("  \n")
    assert lignes[0] == f"**{INDICATEURS_COMMUNES['etat']}**"
    assert len(lignes) == 1 + len(legende.libelles) + 1
    for ligne, libelle, couleur in zip(lignes[1:], legende.libelles, legende.couleurs):
        assert ligne.endswith(f"</span> {libelle}") and f"background:{couleur or '#ffffff'}" in ligne
    assert "objet disparu (point noir)" in lignes[-1] and classes.DISPARUS in lignes[-1]
    assert "disparu" not in classes.legende_markdown(legende, disparus=False)


def test_departement_totals_from_commune_rows():
    out = chiffres.figures_departements(FIGURES_COMMUNES, REF).set_index("code")
    assert list(out.index) == ["59", "62", "80"]
    assert out.loc["59", "objets"] == 23 and out.loc["59", "recenses"] == 4   # the row without a commune counts
    assert out.loc["59", "communes"] == 1                                       # ... but is no commune
    assert out.loc["62", "communes"] == 2 and out.loc["62", "communes_dossier"] == 1
    assert out.loc["80"].drop(["nom", "region"]).sum() == 0                    # no figure: zeros
    assert out.loc["62", "nom"] == "Pas-de-Calais" and out.loc["62", "region"] == "32"


def test_percentages_and_totals():
    import pandas as pd

    f = pd.DataFrame({"recenses": [1, 2, 0], "objets": [3, 0, 0], "communes_dossier": [1, 0, 0],
                      "communes": [4, 0, 0], "mauvais": [1, 0, 0], "peril": [2, 0, 0], "avec_etat": [6, 0, 0]})
    assert chiffres.pourcent(chiffres.part_recensee(f)).tolist()[0] == 33.3
    assert all(math.isnan(v) for v in chiffres.pourcent(chiffres.part_recensee(f)).tolist()[1:])
    assert chiffres.part_communes_dossier(f)[0] == 0.25
    assert chiffres.part_mauvais_ou_peril(f)[0] == 0.5 and math.isnan(chiffres.part_mauvais_ou_peril(f)[1])
    t = chiffres.totaux(FIGURES_COMMUNES)
    assert t["objets"] == 37 and t["disparus"] == 1 and t["avec_etat"] == 10
    assert chiffres.ligne_commune(FIGURES_COMMUNES, "62041")["peril"] == 1
    assert set(chiffres.ligne_commune(FIGURES_COMMUNES, "99999").values()) == {0}
