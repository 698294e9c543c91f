"""Qualité des données under AppTest: the last import and its reasons, the flagged objets of
the user's scope (compared with SQL written here), exportable."""
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import settings

from dashboard.importer import palissy_import

ROOT = Path(__file__).resolve().parents[2]
APP = str(settings.APP_SCRIPT)
FIXTURE = ROOT / "tests" / "fixtures" / "palissy" / "opendata.csv"

FLAGGED = """
SELECT count(*) FROM objet
WHERE anomalies <> '{}' AND retire_le IS NULL
  AND (CAST(:deps AS text[]) IS NULL OR departement_code = ANY(CAST(:deps AS text[])))
  AND (CAST(:anomalie AS text) IS NULL OR CAST(:anomalie AS text) = ANY(anomalies))
"""


def flagged(url, deps=None, anomalie=None) -> int:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        return conn.execute(sa.text(FLAGGED), {"deps": deps, "anomalie": anomalie}).scalar()


@pytest.fixture
def imported(writable_demo_db_url, use_database, tmp_path, monkeypatch):
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path))
    report = palissy_import.import_palissy(writable_demo_db_url, str(FIXTURE), report_path=tmp_path / "r.json",
                                           remplacer_demo=True)
    use_database(writable_demo_db_url)
    return writable_demo_db_url, report


def open_page(identity: str | None = None):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if identity:
        picker = at.sidebar.selectbox[0]
        picker.select(next(o for o in picker.options if identity in o)).run()
    at.switch_page("../../pages/qualite_donnees.py").run()
    assert not at.exception
    return at


def test_imports_reasons_and_flagged_objets_for_admin(imported):
    url, report = imported
    at = open_page()
    runs = at.dataframe[0].value
    assert runs.iloc[0]["n°"] == report["chargement_id"] and runs.iloc[0]["lignes lues"] == 28
    reasons = at.dataframe[1].value
    got = {(r["nature"], r["raison"]): r["nombre"] for _, r in reasons.iterrows()}
    assert got[("Rejetés", "ref_en_double")] == 1 and got[("Hors périmètre", "sous_dossier")] == 2
    assert got[("Exclus", "notice_non_pm")] == 1
    objets = at.dataframe[3].value
    assert len(objets) == flagged(url) > 0
    assert "PM01000010" in set(objets["ref"])           # unresolved commune
    labels = [b.label for b in at.get("download_button")]
    assert any("lignes non importées" in label for label in labels)
    assert any("Télécharger ces objets" in label for label in labels)


def test_filter_by_anomaly(imported):
    url, _ = imported
    at = open_page()
    box = next(s for s in at.selectbox if s.label == "Anomalie")
    box.select("arrondissement").run()
    assert not at.exception
    assert len(at.dataframe[3].value) == flagged(url, anomalie="arrondissement") == 3


def test_conservateur_sees_only_the_flagged_objets_of_the_scope(imported):
    url, _ = imported
    at = open_page("Conservat")
    shown = next((d.value for d in at.dataframe if "anomalies" in d.value.columns), None)
    want = flagged(url, ["59", "62"])
    if want == 0:
        assert any("Aucun objet signalé" in s.value for s in at.success)
    else:
        assert len(shown) == want


@pytest.mark.parametrize("identity", ["Conservat", "Drac"])
def test_imports_and_their_reports_are_for_administrators_only(imported, identity):
    """An import is national and its rejected rows have no scope: only who may import sees
    them (dashboard/reads/qualite.py); the flagged objets stay, within the scope."""
    at = open_page(identity)
    assert not any("Derniers imports" in h.value for h in at.header)
    assert not any("n°" in d.value.columns or "raison" in d.value.columns for d in at.dataframe)
    assert not any("lignes non importées" in b.label for b in at.get("download_button"))
    assert not any(s.label == "Rapport de l'import" for s in at.selectbox)


def test_page_without_imports(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page()
    assert any("Aucun import POP" in i.value for i in at.info)


def test_import_form_for_admin_only(demo_db_url, use_database):
    use_database(demo_db_url)
    admin = open_page()
    assert any(b.label == "Lancer l'import" for b in admin.get("form_submit_button")) or \
        any("Importer un export Palissy" in h.value for h in admin.header)
    conservateur = open_page("Conservat")
    assert not any("Importer un export Palissy" in h.value for h in conservateur.header)


def test_bad_url_is_refused_in_the_form(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page()
    at.text_input[0].input("ftp://exemple.org/export.csv")
    next(b for b in at.button if b.label == "Lancer l'import").click().run()
    assert not at.exception
    assert any("http://" in e.value for e in at.error)


MOVES = """
SELECT count(*) FROM recensement_courant c JOIN objet o ON o.ref = c.objet_ref
WHERE c.localisation = 'deplacement_autre_commune' AND c.autre_commune_code IS NOT NULL
  AND (CAST(:deps AS text[]) IS NULL OR o.departement_code = ANY(CAST(:deps AS text[])))
"""


def moves_table(at):
    return next((d.value for d in at.dataframe if "INSEE signalé" in d.value.columns), None)


def test_moves_reported_by_communes_are_listed_in_the_scope(demo_db_url, use_database):
    use_database(demo_db_url)
    engine = sa.create_engine(demo_db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        national = conn.execute(sa.text(MOVES), {"deps": None}).scalar()
        nord = conn.execute(sa.text(MOVES), {"deps": ["59", "62"]}).scalar()
    assert national > nord    # the demo has moves, and some outside the conservateur's 59 and 62
    admin = open_page()
    table = moves_table(admin)
    assert len(table) == national
    assert (table["INSEE Palissy"] != table["INSEE signalé"]).all()
    assert any(b.label == "Télécharger ces déplacements (CSV)" for b in admin.get("download_button"))
    conservateur = open_page("Conservat")
    if nord:
        assert len(moves_table(conservateur)) == nord
    else:
        assert moves_table(conservateur) is None
        assert any("Aucun déplacement signalé" in i.value for i in conservateur.info)


@pytest.fixture
def changed(writable_demo_db_url, use_database, tmp_path, monkeypatch):
    """The demo replaced by a hand-made export, then a newer one (tests/importer/test_import_changements.py)."""
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path))
    for name, options in (("avant", {"remplacer_demo": True}), ("apres", {"complet": True, "force": True})):
        palissy_import.import_palissy(writable_demo_db_url, str(FIXTURE.with_name(f"changements_{name}.csv")),
                                      report_path=tmp_path / f"{name}.json", **options)
    use_database(writable_demo_db_url)
    return writable_demo_db_url


def changes_table(at):
    return next((d.value for d in at.dataframe if "changement" in d.value.columns), None)


def test_changes_of_the_last_imports_filterable_and_exportable(changed):
    at = open_page()
    table = changes_table(at)
    assert len(table) == 7
    assert set(table["changement"]) == {"Ajouté dans Palissy", "Retiré de Palissy", "Protection modifiée",
                                        "Commune modifiée", "Édifice modifié", "Titre modifié"}
    labels = [b.label for b in at.get("download_button")]
    assert "Télécharger ces changements (CSV)" in labels and "Télécharger ces changements (XLSX)" in labels
    box = next(s for s in at.selectbox if s.label == "Changement")
    box.select("commune").run()
    assert not at.exception
    assert sorted(changes_table(at)["ref"]) == ["PM01000903", "PM62000905"]


def test_a_conservateur_sees_the_changes_of_the_scope_only(changed):
    # The demo conservateur has the 59 and 62: the croix that left the 62, nothing of the 01.
    at = open_page("Conservat")
    table = changes_table(at)
    assert list(zip(table["ref"], table["changement"])) == [("PM62000905", "Commune modifiée")]
    assert (table["avant"][0], table["après"][0]) == ("62041 (Arras)", "01004 (Ambérieu-en-Bugey)")
