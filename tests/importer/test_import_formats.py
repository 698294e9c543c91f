"""Every format of palissy.md, with every separator, imported from small hand-written files:
the format and separator recognised from the content, every row accounted for (rows ==
imported + excluded + rejected), notices of the other bases of Palissy excluded whatever
the length of their REF, and the values stored."""
from __future__ import annotations

import csv

import pytest

from dashboard.importer import fast_csv, palissy_import, sources
from import_helpers import FIXTURES, objets

# name -> (format, separator, rows, imported, excluded, rejected)
FORMATS = {
    "opendata.csv": ("opendata_csv", ";", 28, 23, {"notice_non_pm": 1},
                     {"nombre_de_champs": 1, "ref_en_double": 1, "ref_invalide": 1, "ref_manquante": 1}),
    "opendata_virgule.csv": ("opendata_csv", ",", 4, 3, {"notice_non_pm": 1}, {}),
    "opendata_tabulation.tsv": ("opendata_csv", "\t", 3, 2, {"notice_non_pm": 1}, {}),
    "pop_complet.csv": ("pop_complet", "|", 8, 3, {"notice_non_pm": 3}, {"ref_en_double": 1, "ref_invalide": 1}),
    "pop_backoffice.csv": ("pop_csv", ";", 3, 3, {}, {}),
    "pop_codes_barre.csv": ("pop_csv", "|", 2, 2, {}, {}),
    "pop_ancien.csv": ("pop_ancien", ";", 3, 3, {}, {}),
    "opendata.json": ("opendata_json", None, 7, 3, {"notice_non_pm": 1},
                      {"enregistrement_illisible": 1, "ref_en_double": 1, "ref_manquante": 1}),
    "pop_api_msearch.json": ("pop_api", None, 4, 3, {"notice_non_pm": 1}, {}),
    "pop_api_liste.json": ("pop_api", None, 4, 3, {"notice_non_pm": 1}, {}),
    "pop_api_lignes.jsonl": ("pop_api", None, 4, 3, {"notice_non_pm": 1}, {}),
}
CSV_FILES = [name for name, spec in FORMATS.items() if spec[1] is not None]


def run(url, path, tmp_path, name="rapport.json", **options) -> dict:
    return palissy_import.import_palissy(url, str(path), report_path=tmp_path / name, **options)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_and_separator_with_the_report_invariant(import_db_url, tmp_path, name):
    fmt, separator, rows, imported, excluded, rejected = FORMATS[name]
    misleading = tmp_path / "export.dat"            # the name says nothing: the content does
    misleading.write_bytes((FIXTURES / name).read_bytes())
    report = run(import_db_url, misleading, tmp_path)
    assert (report["format"], report["separateur"]) == (fmt, separator)
    assert (report["rows"], report["imported"]["total"], report["excluded"], report["rejected"]) == \
        (rows, imported, excluded, rejected)
    assert report["rows"] == (report["imported"]["total"] + sum(report["excluded"].values())
                              + sum(report["rejected"].values()))
    with open(report["rejets_csv"], encoding="utf-8", newline="") as f:
        not_stored = list(csv.DictReader(f, delimiter=";"))
    assert len(not_stored) == sum(excluded.values()) + sum(rejected.values())
    assert len(objets(import_db_url)) == imported


@pytest.mark.parametrize("name", CSV_FILES)
def test_the_fast_reader_reads_each_csv_fixture_as_the_exact_one(name):
    def read(fast):
        records, handle = sources.open_records(FIXTURES / name, fast=fast)
        try:
            return list(records)
        finally:
            handle.close()

    try:
        fast = read(True)
    except fast_csv.Irregular as why:
        # Only the fixture written with a wrong number of fields needs the exact reader.
        assert name == "opendata.csv", why
        return
    assert fast == read(False)


def test_full_pop_export_values_and_other_bases_excluded(import_db_url, tmp_path):
    report = run(import_db_url, FIXTURES / "pop_complet.csv", tmp_path)
    o = objets(import_db_url)
    assert set(o) == {"PM01000401", "PM01000402", "PM01000404"}
    first = o["PM01000401"]
    assert (first["titre"], first["commune_code"], first["protection"], first["ref_merimee"], first["dans_perimetre"]) \
        == ("statue : Vierge à l'Enfant", "01004", "classe", "PA00116213", True)
    second = o["PM01000402"]
    assert (second["titre"], second["denomination"], second["siecle"], second["anomalies"]) == \
        ("tableau | Crucifixion", ["tableau", "cadre"], ["17e siècle", "18e siècle"], ["insee_sans_zero"])
    assert second["protection"] == "inscrit"                       # PROT empty, DPRO filled
    assert (o["PM01000404"]["commune_code"], o["PM01000404"]["hors_perimetre_raison"]) == ("01001", "sous_dossier")
    with open(report["rejets_csv"], encoding="utf-8", newline="") as f:
        not_stored = {(r["ref"], r["categorie"], r["raison"], r["detail"]) for r in csv.DictReader(f, delimiter=";")}
    # État refs have 11 characters, Inventaire ones 10: excluded with their base, never malformed.
    assert not_stored == {
        ("IM01000403", "exclu", "notice_non_pm", "IM"), ("EM000000010", "exclu", "notice_non_pm", "EM"),
        ("EM000000011", "exclu", "notice_non_pm", "EM"), ("PM-01", "rejete", "ref_invalide", ""),
        ("PM01000401", "rejete", "ref_en_double", "doublon de la ligne 2")}


def test_other_separators_values(import_db_url, tmp_path):
    run(import_db_url, FIXTURES / "opendata_virgule.csv", tmp_path, "1.json")
    run(import_db_url, FIXTURES / "opendata_tabulation.tsv", tmp_path, "2.json")
    run(import_db_url, FIXTURES / "pop_codes_barre.csv", tmp_path, "3.json")
    o = objets(import_db_url)
    assert (o["PM01000502"]["titre"], o["PM01000502"]["denomination"]) == ("tableau, cadre", ["tableau", "cadre"])
    assert o["PM01000504"]["hors_perimetre_raison"] == "propriete_etat"
    assert (o["PM01000602"]["titre"], o["PM01000602"]["commune_code"]) == ("tableau cadre", "01053")
    assert (o["PM01000702"]["titre"], o["PM01000702"]["denomination"], o["PM01000702"]["protection"]) == \
        ("bénitier | cuve", ["bénitier", "cuve"], "classe")


@pytest.mark.parametrize("name", ["pop_api_msearch.json", "pop_api_liste.json", "pop_api_lignes.jsonl"])
def test_pop_api_records_values(import_db_url, tmp_path, name):
    run(import_db_url, FIXTURES / name, tmp_path)
    o = objets(import_db_url)
    assert set(o) == {"PM01000801", "PM01000802", "PM01000803"}
    first = o["PM01000801"]
    assert (first["denomination"], first["categorie"], first["commune_code"], first["ref_merimee"],
            first["protection"], first["dossier_type"], first["dans_perimetre"]) == \
        (["tableau", "cadre"], ["peinture", "menuiserie"], "01004", "PA00116213", "classe", "dossier individuel", True)
    # Several INSEE codes in the array: the first, flagged.
    assert (o["PM01000802"]["commune_code"], o["PM01000802"]["anomalies"]) == ("01053", ["insee_multiple"])
    # Moved (WEB and DEPL): the commune from WEB, the building from MOSA.
    moved = o["PM01000803"]
    assert (moved["commune_code"], moved["commune_resolution"], moved["edifice_nom"], moved["ref_merimee"]) == \
        ("01053", "deplacement", "cathédrale Notre-Dame", "PA00116214")


# Formats that differ only by their separator: the open-data labels are the full POP export's when `|`.
_FAMILY = {"opendata_csv": "opendata", "pop_complet": "opendata", "pop_csv": "pop_csv", "pop_ancien": "pop_ancien"}


@pytest.mark.parametrize("separator", [";", "|", ",", "\t"])
@pytest.mark.parametrize("name", CSV_FILES)
def test_each_csv_fixture_in_each_separator_gives_the_same_records(tmp_path, name, separator):
    """Every CSV fixture rewritten with each separator (quoting what needs it, newlines and
    encoding kept): the separator is recognised, and both readers give the records of the
    original file, line numbers included; so the import's counts are those of FORMATS."""
    import io

    def read(path, fast):
        records, handle = sources.open_records(path, fast=fast)
        try:
            return records.format, records.separator, list(records)
        finally:
            handle.close()

    original = FIXTURES / name
    # latin-1 maps bytes to characters one to one: the bytes of every field are kept as they are.
    text = original.read_bytes().decode("latin-1")
    bom = "\xef\xbb\xbf" if text.startswith("\xef\xbb\xbf") else ""
    rows = list(csv.reader(io.StringIO(text[len(bom):], newline=""), delimiter=FORMATS[name][1]))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=separator, lineterminator="\r\n" if "\r\n" in text else "\n").writerows(rows)
    rewritten = tmp_path / "export.csv"
    rewritten.write_bytes((bom + out.getvalue()).encode("latin-1"))

    fmt, sep, expected = read(original, False)
    new_fmt, new_sep, exact = read(rewritten, False)
    assert new_sep == separator and _FAMILY[new_fmt] == _FAMILY[fmt]
    assert exact == expected
    try:
        assert read(rewritten, True)[2] == expected
    except fast_csv.Irregular as why:
        assert name == "opendata.csv", why          # its row with a wrong number of fields
