"""The benchmark's generated files (dashboard/bench/palissy_csv.py): the portal's layout and
the full POP export's hold the same rows, and import to the same objets, with other bases
excluded, never rejected."""
from __future__ import annotations

import sqlalchemy as sa

from dashboard.bench import palissy_csv
from dashboard.importer import palissy_import
from import_helpers import engine, objets


def test_both_layouts_hold_the_same_rows(import_db_url, fresh_database, reference_template, tmp_path):
    portal, pop = tmp_path / "portail.csv", tmp_path / "pop.csv"
    with engine(import_db_url).connect() as conn:
        counts = palissy_csv.generate(conn, portal, rows=3000, seed=5, pop_path=pop)
    assert counts["columns"] >= 60 and counts["notice_em"] > 0 and counts["notice_im"] > 0
    head = pop.read_bytes()[:200]
    assert head.startswith(b"\xef\xbb\xbfReference|Titre_editorial|") and b"COG_Insee" in pop.read_bytes()[:2000]
    other_db = fresh_database(reference_template)
    first = palissy_import.import_palissy(import_db_url, str(portal), report_path=tmp_path / "1.json")
    second = palissy_import.import_palissy(other_db, str(pop), report_path=tmp_path / "2.json")
    assert (first["format"], first["separateur"], second["format"], second["separateur"]) == \
        ("opendata_csv", ";", "pop_complet", "|")
    for key in ("rows", "imported", "excluded", "rejected", "hors_perimetre", "anomalies"):
        assert first[key] == second[key], key
    assert first["rows"] == 3000
    assert first["excluded"] == {"notice_non_pm": counts["notice_im"] + counts["notice_em"]}
    assert set(first["rejected"]) <= {"ref_en_double", "ref_manquante"}

    def stored(url):
        return {ref: {k: v for k, v in row.items() if k not in ("chargement_id", "created_at", "updated_at")}
                for ref, row in objets(url).items()}

    assert stored(import_db_url) == stored(other_db)
    with engine(other_db).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM import_rejet WHERE ref LIKE 'EM%' AND categorie = 'exclu'"
                                    )).scalar() == counts["notice_em"]
