"""The pilotage's tables as shown (French formats) and exported: CSV for a French
spreadsheet, the XLSX report (a sheet of definitions, a sheet per table), and text that a
spreadsheet would run as a formula written as text in both."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.app.pilotage import definitions, exports, tableaux
from dashboard.app.pilotage.tableaux import Tableau

T = Tableau("essai", "Essai", pd.DataFrame({
    "Code": ["59", "62", ""],
    "Département": ["=HYPERLINK(\"http://x\")", "-2+3", "Total"],
    "Objets": [1234567, 0, 1234567],
    "Part": [0.4, float("nan"), 0.123456],
    "Rythme": [12.345, 0.0, float("nan")],
    "Mois": [date(2026, 11, 1), date(2026, 12, 1), None],
    "Écart": [-3, 4, 1],
}), parts=("Part",), decimales=("Rythme",), dates={"Mois": "%m/%Y"})


def test_the_page_shows_french_text():
    shown = tableaux.affichage(T)
    assert list(shown["Département"]) == ['=HYPERLINK("http://x")', "-2+3", "Total"]   # shown as typed
    assert list(shown["Objets"]) == ["1\u202f234\u202f567", "0", "1\u202f234\u202f567"]
    assert list(shown["Part"]) == ["40,0 %", "—", "12,3 %"]
    assert list(shown["Rythme"]) == ["12,3", "0,0", "—"]
    assert list(shown["Mois"]) == ["11/2026", "12/2026", "—"]
    assert list(shown["Écart"]) == ["-3", "4", "1"]


def test_csv_for_a_french_spreadsheet():
    raw = exports.csv_bytes(T)
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Code", "Département", "Objets", "Part (%)", "Rythme", "Mois", "Écart"]
    assert rows[1] == ["59", "'=HYPERLINK(\"http://x\")", "1234567", "40,0", "12,3", "11/2026", "-3"]
    assert rows[2] == ["62", "'-2+3", "0", "", "0,0", "12/2026", "4"]
    assert rows[3] == ["", "Total", "1234567", "12,3", "", "", "1"]


@pytest.mark.parametrize("valeur, ecrit", [("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-x", "'-x"),
                                           ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Saint-Omer", "Saint-Omer"),
                                           ("", "")])
def test_formula_like_text_is_text(valeur, ecrit):
    from dashboard.domain import tableur

    assert tableur.cellule_csv(valeur) == ecrit


def test_xlsx_report_sheets_numbers_and_text():
    raw = exports.xlsx_bytes("Rapport", "France · données au 01/12/2026", definitions.COUVERTURE_PAGE, [T])
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Définitions", "Essai"]
    d = book["Définitions"]
    assert d["A1"].value == "Rapport" and d["A2"].value.startswith("France")
    terms = [d.cell(row=i, column=1).value for i in range(5, 5 + len(definitions.COUVERTURE_PAGE))]
    assert terms == [t for t, _ in definitions.COUVERTURE_PAGE]
    s = book["Essai"]
    assert [c.value for c in s[1]] == list(T.donnees.columns)
    assert s["B2"].value == '=HYPERLINK("http://x")' and s["B2"].data_type == "s"   # text, not a formula
    assert s["B3"].value == "-2+3" and s["B3"].data_type == "s"
    assert s["C2"].value == 1234567 and s["D2"].value == pytest.approx(0.4) and s["D2"].number_format == "0.0%"
    assert s["D3"].value is None and s["E2"].value == pytest.approx(12.345) and s["E2"].number_format == "0.0"
    assert s["F2"].value.date() == date(2026, 11, 1) and s["F2"].number_format == "MM/YYYY"
    assert s["G2"].value == -3
    assert s.freeze_panes == "A2"


def test_every_definition_of_the_issue_is_written():
    termes = {t for t, _ in definitions.COUVERTURE_PAGE + definitions.RESTAURATION_PAGE}
    for mot in ("Objets", "Recensé depuis 5 ans, couverture", "Commune contactée", "Commune participante",
                "Commune terminée", "Cas traité", "Recensement précédent", "Dégradé, amélioré", "Rythme actuel",
                "Cycle complet", "Rythme mensuel requis pour une échéance", "Fiabilité"):
        assert mot in termes
    assert "- **Fiabilité** : " in definitions.markdown(definitions.COUVERTURE_PAGE)
