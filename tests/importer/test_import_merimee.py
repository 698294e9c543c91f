"""`objets import merimee`: édifices from Mérimée, objets linked through REFA."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from dashboard.importer import ImportFailure, merimee_import, palissy_import
from dashboard.importer.cli import import_group
from import_helpers import FIXTURES, checksum, engine

SHARED_ZIP = Path(__file__).resolve().parents[3] / "shared" / "data" / "merimee-MH-2022.csv.zip"


def test_edifices_and_links(import_db_url, tmp_path):
    palissy_import.import_palissy(import_db_url, str(FIXTURES / "opendata.csv"), report_path=tmp_path / "p.json")
    report = merimee_import.import_merimee(import_db_url, str(FIXTURES / "merimee.csv"), report_path=tmp_path / "m.json")
    assert report["rows"] == 8
    assert report["imported"]["inserted"] == 3
    assert report["excluded"] == {"notice_non_mh": 1}
    assert report["rejected"] == {"nombre_de_champs": 1, "ref_en_double": 1, "ref_invalide": 1, "ref_manquante": 1}
    assert report["rows"] == report["imported"]["total"] + 1 + 4
    with engine(import_db_url).connect() as conn:
        edifices = {r["ref_merimee"]: dict(r) for r in conn.execute(sa.text(
            "SELECT ref_merimee, nom, commune_code, anomalies, provenance FROM edifice")).mappings()}
        linked = dict(conn.execute(sa.text(
            "SELECT o.ref, e.ref_merimee FROM objet o JOIN edifice e ON e.id = o.edifice_id")).all())
    assert edifices["PA00088888"]["nom"] == 'Menhir dit "la Pierre-au-Coq"'        # unquoted quotes kept
    assert (edifices["PA00088888"]["commune_code"], edifices["PA00088888"]["anomalies"]) == ("75056", ["arrondissement"])
    assert edifices["PA00099999"]["anomalies"] == ["insee_multiple"]
    assert edifices["PA00116213"]["provenance"] == "import"
    # PM01000001 names PA00116213 in REFA; PM01000006 moved: its MOSA names PA00116214 (unknown).
    assert linked == {"PM01000001": "PA00116213"}
    assert report["objets_rattaches"] == 1
    again = merimee_import.import_merimee(import_db_url, str(FIXTURES / "merimee.csv"), report_path=tmp_path / "m2.json")
    assert again["imported"]["unchanged"] == 3 and again["objets_rattaches"] == 0


def test_bad_merimee_file_changes_nothing(import_db_url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("NOM|COMMUNE\nx|y\n", encoding="utf-8")
    before = checksum(import_db_url)
    result = CliRunner().invoke(import_group, ["merimee", str(bad)], env={"DATABASE_URL": import_db_url})
    assert result.exit_code != 0
    assert "colonnes obligatoires absentes : REF, TICO, INSEE" in result.output
    assert checksum(import_db_url) == before


@pytest.mark.skipif(not SHARED_ZIP.exists(), reason="extrait Mérimée 2022 absent (../shared/data)")
def test_real_2022_extract(import_db_url, tmp_path):
    report = merimee_import.import_merimee(import_db_url, str(SHARED_ZIP), report_path=tmp_path / "m.json")
    assert report["rows"] == 45_285
    assert report["rows"] == report["imported"]["total"] + sum(report["excluded"].values()) + \
        sum(report["rejected"].values())
    assert report["imported"]["total"] > 45_000
    assert report["anomalies"]["insee_multiple"] > 0 and report["anomalies"]["arrondissement"] > 0


def _zip(path, name: str, text: str) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)


def test_a_zip_that_unzips_beyond_the_cap_is_refused(import_db_url, tmp_path, monkeypatch):
    # 3 MB of text compress to a few KB: the cap is on what it unzips to.
    header = (FIXTURES / "merimee.csv").read_text(encoding="utf-8").splitlines()[0]
    body = header + "\n" + "".join(f"PA{i:08d}|x|r|01|c|01004|t||||||\n" for i in range(60_000))
    bomb = tmp_path / "merimee.zip"
    _zip(bomb, "merimee.csv", body)
    assert bomb.stat().st_size < 500_000 < len(body)
    monkeypatch.setenv("OBJETS_IMPORT_MAX_DECOMPRESSE", "1000000")
    before = checksum(import_db_url)
    with pytest.raises(ImportFailure, match="se décompresse en plus de 1 000 000 octets"):
        merimee_import.import_merimee(import_db_url, str(bomb), report_path=tmp_path / "m.json")
    assert checksum(import_db_url) == before
    monkeypatch.setenv("OBJETS_IMPORT_MAX_DECOMPRESSE", "10000000")
    report = merimee_import.import_merimee(import_db_url, str(bomb), report_path=tmp_path / "m.json")
    assert report["rows"] == 60_000


def test_the_unzipped_bytes_are_counted_whatever_the_archive_declares():
    import io as _io

    capped = merimee_import._Capped(_io.BytesIO(b"x" * 5000), 1000)
    with pytest.raises(ImportFailure, match="se décompresse en plus de 1 000 octets"):
        _io.BufferedReader(capped).read()


def test_a_line_longer_than_the_cap_is_refused(import_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJETS_IMPORT_MAX_LIGNE", "400")
    lines = (FIXTURES / "merimee.csv").read_text(encoding="utf-8").splitlines()
    long = tmp_path / "long.zip"
    _zip(long, "m.csv", "\n".join(lines[:2] + ["PA09999999|" + "x" * 1000 + "|r|01|c|01004|t||||||"]) + "\n")
    before = checksum(import_db_url)
    with pytest.raises(ImportFailure, match="ligne 3 trop longue"):
        merimee_import.import_merimee(import_db_url, str(long), report_path=tmp_path / "m.json")
    assert checksum(import_db_url) == before
