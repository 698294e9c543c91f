"""/couverture under AppTest: every figure shown (metrics, the five tables by département,
the recensements per month, the pace to the target date, the ranking) against the figures
computed in the test (tests/pilotage_attendu.py), for France, a région and a département;
the DRAC's scope, URL tampering included; bad input; the exports."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.app import ui
from dashboard.app.pilotage import classement, couverture as c, definitions
from dashboard.app.pilotage.tableaux import CODE
from dashboard.domain.vocabulary import STATUT_DOSSIER
from tests import pilotage_attendu as attendu
from tests.pages.apptest import open_page
from tests.pages.pilotage_pages import deferred, egal_affiche, nombre, table  # noqa: F401 (fixture)

AUJOURD_HUI = date.today()
DEFAUT = date(AUJOURD_HUI.year + 1, 12, 31)
HDF = ["02", "59", "60", "62", "80"]

# (role, URL, scope's départements (None: national), territory: (région, département), the target date)
VUES = {
    "France, administrateur": ("admin", {}, None, (None, None), DEFAUT),
    "région 32, la DRAC (son périmètre)": ("drac", {}, HDF, (None, None), DEFAUT),
    "région 11 dans l'URL": ("admin", {"region": "11", "echeance": "2031-06-30"}, None, ("11", None),
                             date(2031, 6, 30)),
    "département 78 dans l'URL": ("admin", {"departement": "78"}, None, (None, "78"), DEFAUT),
    "département 62, conservateur": ("conservateur", {"departement": "62"}, ["59", "62"], (None, "62"), DEFAUT),
}


def _attendu(url, role, scope, territoire, echeance):
    codes = attendu.departements(url, scope, *territoire)
    return codes, attendu.attendu_couverture(url, codes, role != "drac", echeance, AUJOURD_HUI)


@pytest.mark.parametrize("vue", VUES)
def test_every_figure_shown(demo_db_url, use_database, vue):
    role, query, scope, territoire, echeance = VUES[vue]
    use_database(demo_db_url)
    at = open_page(demo_db_url, role, "couverture.py", **query)
    assert not at.warning, [w.value for w in at.warning]
    codes, want = _attendu(demo_db_url, role, scope, territoire, echeance)

    egal_affiche(table(at, c.COUVERTURE_5_ANS), want["objets"])
    egal_affiche(table(at, c.PART_CONTACTEES), want["communes"])
    egal_affiche(table(at, c.FIABILITE), want["fiabilite"])
    egal_affiche(table(at, c.PRIORITAIRES[3]), want["urgences"])
    egal_affiche(table(at, c.ATTEINT), want["echeance"])
    dossiers = want["dossiers"].rename(columns={s: STATUT_DOSSIER.libelle(s) for s in attendu.STATUTS})
    egal_affiche(table(at, c.TOTAL_DOSSIERS), dossiers.rename(columns={"total": c.TOTAL_DOSSIERS}))

    mois = table(at, c.REQUIS_OBJECTIF_MOIS)
    par_mois = {m: int(nombre(n)) for m, n in zip(mois[c.MOIS], mois[c.RECENSEMENTS]) if n != "0"}
    assert par_mois == {m.strftime("%m/%Y"): int(n) for m, n in want["mois"].items()}
    assert mois[c.MOIS].iloc[-1] == AUJOURD_HUI.strftime("%m/%Y")
    for column, value in ((c.REQUIS_OBJECTIF_MOIS, want["requis_par_mois"]),
                          (c.REQUIS_ECHEANCE_MOIS, want["requis_echeance"])):
        assert [nombre(v) for v in mois[column]] == [pytest.approx(value, abs=0.05)] * len(mois)

    total = want["objets"].loc[""]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Objets"] == ui.fmt_int(int(total[c.OBJETS]))
    assert metrics["Couverture (recensés depuis 5 ans)"] == ui.fmt_pct(total[c.COUVERTURE])
    assert metrics["Rythme actuel (objets recensés sur 12 mois)"] == ui.fmt_int(int(total[c.RECENSES_12_MOIS]))
    assert metrics["Cycle complet au rythme actuel"] == total[c.DUREE_CYCLE]
    assert metrics["Fin du cycle complet"] == total[c.FIN_CYCLE]
    assert nombre(metrics["Couverture dans 5 ans au rythme actuel"]) == pytest.approx(total[c.COUVERTURE_5_ANS],
                                                                                       abs=0.0005)
    assert metrics[f"À recenser avant le {echeance.strftime('%d/%m/%Y')}"] == \
        ui.fmt_int(int(want["echeance"].loc["", c.A_RECENSER]))
    requis = nombre(metrics["Rythme mensuel requis pour l'échéance"])
    assert requis == pytest.approx(want["requis_echeance"], abs=0.05)

    if len(codes) > 1:   # the ranking: every département once, by coverage (the first figure), highest first
        rang = table(at, classement.RANG)
        assert sorted(rang[CODE]) == codes
        valeurs = [nombre(v) for v in rang[c.COUVERTURE]]
        attendues = sorted((want["objets"].loc[code, c.COUVERTURE] for code in codes), reverse=True)
        assert valeurs == [pytest.approx(v, abs=0.0005) for v in attendues]
        for code, part in zip(rang[CODE], rang[c.FIABILITE]):
            assert nombre(part) == pytest.approx(want["fiabilite"].loc[code, c.FIABILITE], abs=0.0005, nan_ok=True)
    else:
        assert any("Un seul département" in x.value for x in at.caption)


def test_the_ranking_follows_the_figure_chosen(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin", "couverture.py")
    codes, want = _attendu(demo_db_url, "admin", None, (None, None), DEFAUT)
    at.selectbox(key="couverture_classement").select("prioritaires").run()
    assert not at.exception
    rang = table(at, classement.RANG)
    non_traites = [int(nombre(v)) for v in rang[c.PRIORITAIRES[2]]]
    assert non_traites == sorted(want["urgences"].loc[codes, c.PRIORITAIRES[2]], reverse=True)
    assert rang[classement.RANG].iloc[0] == "1"
    assert any("Prioritaires non traités" in m.value for m in at.markdown)   # the legend, in words


def test_a_drac_user_gets_nothing_of_another_region(demo_db_url, use_database):
    """URL tampering: a DRAC of Hauts-de-France asking for Île-de-France or one of its
    départements gets a French message and its own région, nothing of the other."""
    use_database(demo_db_url)
    propre = open_page(demo_db_url, "drac", "couverture.py")
    for query in ({"region": "11"}, {"departement": "78"}, {"departement": "75", "region": "32"}):
        at = open_page(demo_db_url, "drac", "couverture.py", **query)
        assert len(at.warning) == 1 and "hors de votre périmètre" in at.warning[0].value
        for frame in at.dataframe:
            if CODE in frame.value.columns:
                assert set(frame.value[CODE]) - {""} <= set(HDF)
        assert [m.value for m in at.metric] == [m.value for m in propre.metric]
        assert dict(at.query_params) == {}


@pytest.mark.parametrize("query, mots", [
    ({"echeance": "2020-01-01"}, "L'échéance doit être postérieure à aujourd'hui"),
    ({"echeance": AUJOURD_HUI.isoformat()}, "L'échéance doit être postérieure à aujourd'hui"),
    ({"echeance": "31-12-2030"}, "Échéance illisible"),
    ({"region": "zz"}, "Région inconnue"),
    # An empty selection: Mayotte holds no counted objet in the small demo.
    ({"departement": "976"}, "Aucun objet compté dans ce territoire (976 — Mayotte)"),
    ({"region": "06"}, "Aucun objet compté dans ce territoire (Mayotte)"),
])
def test_bad_input_gives_a_french_message_and_the_default_view(demo_db_url, use_database, query, mots):
    use_database(demo_db_url)
    codes = attendu.departements(demo_db_url, None)
    assert "976" not in codes
    at = open_page(demo_db_url, "admin", "couverture.py", **query)
    assert [w.value for w in at.warning if mots in w.value], [w.value for w in at.warning]
    assert at.title[0].value == "Couverture et objectif quinquennal"
    assert f"À recenser avant le {DEFAUT.strftime('%d/%m/%Y')}" in {m.label for m in at.metric}
    assert sorted(table(at, c.COUVERTURE)[CODE]) == sorted([*codes, ""])
    assert dict(at.query_params) == {}


def test_roles_without_the_right_do_not_reach_the_page(demo_db_url, use_database):
    use_database(demo_db_url)
    for role in ("deploiement", "commune"):
        at = open_page(demo_db_url, role, "accueil.py")
        assert not [link for link in at.get("page_link") if "couverture" in link.proto.page]
        with pytest.raises(ValueError):   # not routable for the role
            at.switch_page("pages/couverture.py")
    for role in ("admin", "conservateur", "drac"):
        at = open_page(demo_db_url, role, "accueil.py")
        pages = {link.proto.page for link in at.get("page_link")}
        assert any("couverture" in p for p in pages) and any("restauration" in p for p in pages), pages


def test_exports_are_the_tables_shown(demo_db_url, use_database, deferred):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin", "couverture.py", region="32")
    shown = table(at, c.COUVERTURE_5_ANS)
    csv_bytes = deferred["couverture-region-32-couverture-objets.csv"]()
    assert csv_bytes.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [f"{col} (%)" if col in (c.COUVERTURE, c.COUVERTURE_5_ANS) else col for col in shown.columns]
    for line, (_, row) in zip(rows[1:], shown.iterrows()):
        for cell, text in zip(line, row):
            value = nombre(text)
            if isinstance(value, str):
                assert cell == text
            elif value != value:
                assert cell == ""
            else:
                exported = float(cell.replace(",", "."))
                assert exported == pytest.approx(value * 100 if text.endswith("%") else value, abs=0.051)
    expected_files = {f"couverture-region-32-{key}.csv" for key in (
        "couverture-objets", "couverture-communes", "couverture-dossiers", "couverture-fiabilite",
        "couverture-cas-urgents", "couverture-recensements-par-mois", "couverture-echeance",
        "couverture-classement")} | {"couverture-region-32.xlsx"}
    assert expected_files <= set(deferred)

    book = openpyxl.load_workbook(io.BytesIO(deferred["couverture-region-32.xlsx"]()))
    assert book.sheetnames == ["Définitions", "Objets et couverture", "Communes", "Dossiers par statut", "Fiabilité",
                               "Cas urgents", "Rythme requis pour l'échéance", "Recensements par mois",
                               "Classement des départements"]
    assert book["Définitions"]["A1"].value == "Couverture et objectif quinquennal — Hauts-de-France"
    termes = [row[0].value for row in book["Définitions"].iter_rows(min_row=5)]
    assert termes == [t for t, _ in definitions.COUVERTURE_PAGE]
    sheet = pd.DataFrame(list(book["Objets et couverture"].iter_rows(min_row=2, values_only=True)),
                         columns=[x.value for x in book["Objets et couverture"][1]])
    sheet[CODE] = sheet[CODE].fillna("")
    want = _attendu(demo_db_url, "admin", None, ("32", None), DEFAUT)[1]["objets"]
    sheet = sheet.set_index(CODE)
    for column in (c.OBJETS, c.RECENSES_5_ANS, c.COUVERTURE, c.RECENSES_12_MOIS):
        for code, value in want[column].items():
            got = sheet.loc[code, column]
            assert (pd.isna(got) and pd.isna(value)) or got == pytest.approx(value), (column, code)
