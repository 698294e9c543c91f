"""The pilotage's downloads: each table as a CSV a French spreadsheet opens as columns
(semicolons, decimal commas, a BOM), and a report of several tables as one XLSX workbook
(a sheet of definitions first, then a sheet per table), ready to send.

Cells go through the project's one safe writer (dashboard.domain.tableur): text a
spreadsheet would run as a formula stays text. Numbers stay numbers: shares as percentages
with one decimal in the CSV, as fractions with a percentage format in the XLSX.

Pure: bytes from tables; st.download_button calls these outside the session, so the page
binds their arguments up front.
"""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.app.pilotage.tableaux import Tableau
from dashboard.domain import tableur

_XLSX_DATES = {"%d/%m/%Y": "DD/MM/YYYY", "%m/%Y": "MM/YYYY"}


def _pour_csv(t: Tableau) -> pd.DataFrame:
    frame = t.donnees.copy()
    dates = t.dates or {}
    for column in frame.columns:
        values = frame[column]
        if column in t.parts:
            frame[column] = (pd.to_numeric(values, errors="coerce") * 100).round(1)
        elif column in t.decimales:
            frame[column] = pd.to_numeric(values, errors="coerce").round(1)
        elif column in dates:
            frame[column] = [None if pd.isna(v) else pd.Timestamp(v).strftime(dates[column]) for v in values]
    return frame.rename(columns={c: f"{c} (%)" for c in t.parts})


def csv_bytes(t: Tableau) -> bytes:
    """The table as a French CSV (shares in percent, under "… (%)")."""
    return tableur.csv_bytes(_pour_csv(t))


def _cellule(sheet, row: int, col: int, value, number_format: str | None = None):
    return tableur.ecrire_cellule(sheet, row, col, value, number_format)


def _feuille(book, t: Tableau) -> None:
    sheet = book.create_sheet(t.titre)
    dates = t.dates or {}
    columns = list(t.donnees.columns)
    formats = [("0.0%" if c in t.parts else "0.0" if c in t.decimales else _XLSX_DATES.get(dates.get(c)))
               for c in columns]
    for j, column in enumerate(columns, 1):
        _cellule(sheet, 1, j, column).font = Font(bold=True)
    for i, row in enumerate(t.donnees.itertuples(index=False, name=None), 2):
        for j, (value, number_format) in enumerate(zip(row, formats), 1):
            _cellule(sheet, i, j, value, number_format)
    sheet.freeze_panes = "A2"
    for j, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(j)].width = max(10, min(45, len(column) + 2))


def xlsx_bytes(titre: str, sous_titre: str, definitions: list[tuple[str, str]], tableaux: list[Tableau]) -> bytes:
    """A report: a sheet "Définitions" (title, what it covers, each term and its definition),
    then one sheet per table, in order."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Définitions"
    _cellule(sheet, 1, 1, titre).font = Font(bold=True, size=14)
    _cellule(sheet, 2, 1, sous_titre)
    _cellule(sheet, 4, 1, "Terme").font = Font(bold=True)
    _cellule(sheet, 4, 2, "Définition").font = Font(bold=True)
    for i, (terme, texte) in enumerate(definitions, 5):
        _cellule(sheet, i, 1, terme).alignment = Alignment(vertical="top", wrap_text=True)
        _cellule(sheet, i, 2, texte).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 110
    for t in tableaux:
        _feuille(book, t)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sous_titre(lieu: str, aujourd_hui: date) -> str:
    return f"{lieu} · données au {aujourd_hui.strftime('%d/%m/%Y')} · Collectif Objets (ministère de la Culture)"
