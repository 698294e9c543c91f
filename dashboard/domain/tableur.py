"""The spreadsheet files the product hands out, written once: CSV for a French spreadsheet
(`;`, decimal comma, dates dd/mm/yyyy, UTF-8 with BOM) and XLSX, both safe to open.

Safe to open (OWASP, "CSV injection"): a text cell that starts with `=`, `+`, `-`, `@`, a
tab or a carriage return would be read by a spreadsheet as a formula (which can run
commands or send the sheet's data away). Such a cell is written as text: in CSV behind a
single quote (`'=1+1`, the quote a spreadsheet hides), in XLSX as a string cell with the
"quote prefix" style (openpyxl would otherwise store a str starting with `=` as a
formula). Numbers stay numbers: -1.5 is a number, written `-1,5` in CSV and as a number in
XLSX; only text is ever prefixed.

Every export of the app (/urgences, /carte, the POP exports, /qualite-donnees, the
import's file of rows not stored) goes through here. Pure: bytes in memory, or rows to a
stream the caller opened.
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

from dashboard.domain import formats

# What a spreadsheet takes for the start of a formula.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
SEPARATEUR = ";"


def formule_possible(valeur: object) -> bool:
    """Whether a cell would be read as a formula: text starting with one of DEBUTS_DE_FORMULE."""
    return isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE)


def cellule_csv(valeur: object) -> object:
    """The value to write in a CSV cell: text that could be read as a formula behind a
    single quote; anything else (numbers, dates, empty) unchanged."""
    return "'" + valeur if formule_possible(valeur) else valeur


def date_csv(valeur: object) -> object:
    """A date as a French spreadsheet reads it: dd/mm/yyyy; an instant, its day and time in
    France ("dd/mm/yyyy HH:MM", no time zone); anything else unchanged."""
    if isinstance(valeur, (pd.Timestamp, datetime)):
        if pd.isna(valeur):
            return None
        # A date held as a midnight timestamp without a time zone is a date.
        if valeur.tzinfo is None and (valeur.hour, valeur.minute, valeur.second) == (0, 0, 0):
            return valeur.strftime("%d/%m/%Y")
        return formats.horodatage(valeur)
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    return valeur


def _texte_sur(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its dates written the French way and its text cells made safe
    (columns of text only: numbers untouched)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column].dtype):
            out[column] = out[column].astype(object).map(date_csv)
        elif out[column].dtype == object:
            out[column] = out[column].map(date_csv)
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(cellule_csv)
    out.columns = [cellule_csv(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table for a French spreadsheet: `;`, decimal comma, dates dd/mm/yyyy, UTF-8 with
    BOM (Excel reads the accents right), no index; text cells safe (module docstring). Lines end in CRLF
    (RFC 4180): a cell holding a carriage return or a newline is then quoted."""
    return _texte_sur(frame).to_csv(index=False, sep=SEPARATEUR, decimal=",",
                                    lineterminator="\r\n").encode("utf-8-sig")


def ecrire_csv(out, entete: Sequence[str], lignes: Iterable[Sequence]) -> None:
    """Stream rows to an open text file (newline=""), `;`-separated, cells made safe: for
    files too long to hold as a table (the import's rows not stored). The caller chooses
    the encoding."""
    writer = csv.writer(out, delimiter=SEPARATEUR)
    writer.writerow([cellule_csv(c) for c in entete])
    writer.writerows([cellule_csv(c) for c in ligne] for ligne in lignes)


def _valeur_xlsx(valeur: object) -> object:
    """A value openpyxl writes: Python numbers, dates and text; None for what is missing."""
    if valeur is None or valeur is pd.NaT or valeur is pd.NA:
        return None
    if isinstance(valeur, np.generic):
        valeur = valeur.item()
    if isinstance(valeur, float) and math.isnan(valeur):
        return None
    if isinstance(valeur, pd.Timestamp):
        valeur = valeur.to_pydatetime()
    if isinstance(valeur, datetime) and valeur.tzinfo is not None:
        valeur = valeur.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(valeur, (bool, int, float, date, str)):
        return valeur
    return str(valeur)


FORMAT_DATE_XLSX = "DD/MM/YYYY"
FORMAT_DATE_HEURE_XLSX = "DD/MM/YYYY HH:MM"


def _format_date(valeur: object) -> str | None:
    """A date cell's number format: dd/mm/yyyy (openpyxl's default is ISO)."""
    if isinstance(valeur, datetime):
        return FORMAT_DATE_XLSX if (valeur.hour, valeur.minute, valeur.second) == (0, 0, 0) else FORMAT_DATE_HEURE_XLSX
    return FORMAT_DATE_XLSX if isinstance(valeur, date) else None


def ecrire_cellule(feuille, ligne: int, colonne: int, valeur: object, format_nombre: str | None = None):
    """One safe cell of an openpyxl worksheet, for reports of several sheets: text is a
    string cell (never a formula; the quote prefix where it could be read as one), numbers
    and dates keep their type and take `format_nombre`."""
    cell = feuille.cell(row=ligne, column=colonne, value=_valeur_xlsx(valeur))
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if formule_possible(cell.value):
            cell.quotePrefix = True
    elif format_nombre and cell.value is not None:
        cell.number_format = format_nombre
    elif _format_date(cell.value):
        cell.number_format = _format_date(cell.value)
    return cell


def xlsx_bytes(frame: pd.DataFrame, feuille: str, largeurs: Sequence[float] = ()) -> bytes:
    """The table as one XLSX sheet (header frozen, optional column widths); text cells are
    string cells, never formulas, and those that could be read as one carry the quote
    prefix (Excel keeps them text even when edited)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(feuille)
    sheet.freeze_panes = "A2"
    for i, largeur in enumerate(largeurs, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = largeur

    def cellule(valeur: object) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=_valeur_xlsx(valeur))
        if isinstance(cell.value, str):
            cell.data_type = "s"          # a str starting with "=" would otherwise be a formula
            if formule_possible(cell.value):
                cell.quotePrefix = True
        elif _format_date(cell.value):
            cell.number_format = _format_date(cell.value)
        return cell

    sheet.append([cellule(str(c)) for c in frame.columns])
    for ligne in frame.itertuples(index=False, name=None):
        sheet.append([cellule(v) for v in ligne])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
