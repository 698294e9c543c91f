"""/restauration under AppTest: every figure shown (metrics, the tables by département and
by catégorie) against the figures computed in the test (tests/pilotage_attendu.py), for
France, a région and a département; the objets behind each figure, listed with their link
to /objet; an empty selection; the DRAC's scope, URL tampering included; the exports."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dashboard.app import ui
from dashboard.app.pilotage import definitions, restauration as r
from dashboard.app.pilotage.tableaux import CODE
from tests import pilotage_attendu as attendu
from tests.pages.apptest import open_page
from tests.pages.pilotage_pages import deferred, egal_affiche, table  # noqa: F401 (fixture)

HDF = ["02", "59", "60", "62", "80"]
VUES = {
    "France, administrateur": ("admin", {}, None, (None, None)),
    "région 11 dans l'URL (objets dégradés et améliorés)": ("admin", {"region": "11"}, None, ("11", None)),
    "département 78 dans l'URL": ("admin", {"departement": "78"}, None, (None, "78")),
    "la DRAC, sa région": ("drac", {}, HDF, (None, None)),
}


def _attendu(url, scope, territoire):
    codes = attendu.departements(url, scope, *territoire)
    return codes, attendu.attendu_restauration(url, codes)


@pytest.mark.parametrize("vue", VUES)
def test_every_figure_shown(demo_db_url, use_database, vue):
    role, query, scope, territoire = VUES[vue]
    use_database(demo_db_url)
    at = open_page(demo_db_url, role, "restauration.py", **query)
    assert not at.warning, [w.value for w in at.warning]
    codes, want = _attendu(demo_db_url, scope, territoire)
    egal_affiche(table(at, CODE), want["departements"])
    egal_affiche(table(at, r.CATEGORIE), want["categories"], index=r.CATEGORIE)

    total = want["departements"].loc[""]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[r.AVEC_ETAT] == ui.fmt_int(int(total[r.AVEC_ETAT]))
    assert metrics["En mauvais état ou en péril"] == ui.fmt_int(int(total[r.MAUVAIS_OU_PERIL]))
    assert metrics[f"{r.DEGRADES} depuis le recensement précédent"] == ui.fmt_int(int(total[r.DEGRADES]))
    assert metrics[f"{r.AMELIORES} depuis le recensement précédent"] == ui.fmt_int(int(total[r.AMELIORES]))
    for protection in r.A_PART:
        nombre = r.colonnes_protection(protection)[1]
        assert metrics[nombre] == ui.fmt_int(int(total[nombre]))

    # The default list: every objet in mauvais état or péril of the view, each with its link.
    o = want["objets"]
    if total[r.MAUVAIS_OU_PERIL] == 0:
        assert any("Aucun objet en mauvais état ou en péril" in x.value for x in at.info)
        return
    liste = table(at, r.LIEN)
    assert sorted(liste["REF"]) == sorted(o.loc[o["etat"].isin(["mauvais", "peril"]), "ref"])
    assert list(liste[r.LIEN]) == [f"objet?ref={ref}" for ref in liste["REF"]]
    assert len(liste) == total[r.MAUVAIS_OU_PERIL]


def test_the_objets_behind_a_figure(demo_db_url, use_database):
    """The évolution of région 11 (the small demo's worsened and improved objets are there):
    choosing the measure, the protection, the département, the catégorie lists exactly the
    objets the table counts."""
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin", "restauration.py", region="11")
    codes, want = _attendu(demo_db_url, None, ("11", None))
    o, par_dep = want["objets"], want["departements"]
    for mesure, colonne in (("degrade", r.DEGRADES), ("ameliore", r.AMELIORES)):
        at.selectbox(key="restauration_liste_mesure").select(mesure).run()
        assert not at.exception and not at.warning
        liste = table(at, r.LIEN)
        assert sorted(liste["REF"]) == sorted(o.loc[o["evolution"] == mesure, "ref"])
        assert len(liste) == par_dep.loc["", colonne] > 0
        assert set(liste["Évolution"]) == {r.MESURES[mesure].split()[1].capitalize()}
        dep = next(code for code in codes if par_dep.loc[code, colonne])
        at.selectbox(key="restauration_liste_departement").select(dep).run()
        assert len(table(at, r.LIEN)) == par_dep.loc[dep, colonne]
        at.selectbox(key="restauration_liste_departement").select(None).run()
    at.selectbox(key="restauration_liste_mesure").select("mauvais_ou_peril").run()
    at.selectbox(key="restauration_liste_protection").select("classe").run()
    liste = table(at, r.LIEN)
    k, n, _ = r.colonnes_protection("classe")
    assert len(liste) == par_dep.loc["", n] and set(liste["Protection"]) <= {"Classé"}
    categorie = next(cat for cat in want["categories"].index if want["categories"].loc[cat, n] > 0)
    at.selectbox(key="restauration_liste_categorie").select(categorie).run()
    assert len(table(at, r.LIEN)) == want["categories"].loc[categorie, n]


def test_an_empty_selection_gives_a_message_and_the_default_list(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "drac", "restauration.py")
    codes, want = _attendu(demo_db_url, HDF, (None, None))
    assert want["departements"].loc["", r.AMELIORES] == 0   # none in Hauts-de-France
    at.selectbox(key="restauration_liste_mesure").select("ameliore").run()
    assert not at.exception
    assert any("Aucun objet ne correspond à cette sélection" in w.value for w in at.warning)
    o = want["objets"]
    assert sorted(table(at, r.LIEN)["REF"]) == sorted(o.loc[o["etat"].isin(["mauvais", "peril"]), "ref"])


def test_a_drac_user_gets_nothing_of_another_region(demo_db_url, use_database):
    use_database(demo_db_url)
    propre = open_page(demo_db_url, "drac", "restauration.py")
    for query in ({"region": "11"}, {"departement": "78"}):
        at = open_page(demo_db_url, "drac", "restauration.py", **query)
        assert len(at.warning) == 1 and "hors de votre périmètre" in at.warning[0].value
        assert set(table(at, CODE)[CODE]) - {""} <= set(HDF)
        assert {d.split()[0] for d in table(at, r.LIEN)["Département"]} <= set(HDF)
        assert [m.value for m in at.metric] == [m.value for m in propre.metric]


def test_exports(demo_db_url, use_database, deferred):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin", "restauration.py", region="11")
    shown = table(at, r.LIEN).drop(columns=[r.LIEN])
    rows = list(csv.reader(io.StringIO(deferred["restauration-region-11-restauration-objets.csv"]()
                                       .decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(shown.columns)
    assert [[cell or "—" for cell in row] for row in rows[1:]] == [list(row) for _, row in shown.iterrows()]
    book = openpyxl.load_workbook(io.BytesIO(deferred["restauration-region-11.xlsx"]()))
    assert book.sheetnames == ["Définitions", "Par département", "Par catégorie", "Objets"]
    termes = [row[0].value for row in book["Définitions"].iter_rows(min_row=5)]
    assert termes == [t for t, _ in definitions.RESTAURATION_PAGE]
    assert [c.value for c in book["Objets"]["B"][1:]] == list(shown["REF"])
