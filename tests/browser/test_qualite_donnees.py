"""/qualite-donnees in chromium: an administrator uploads an export, the import runs in a
background process whose progress the page polls, and its report appears."""
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.ops import serving
from tests.browser.conftest import start_app, wait_idle

pytestmark = pytest.mark.browser

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "palissy" / "opendata.csv"


def _scalar(url, query):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text(query)).scalar()


def test_admin_uploads_an_export_and_follows_its_background_import(browser, writable_demo_db_url):
    proc, base = start_app(writable_demo_db_url)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(base + "/qualite-donnees")
        wait_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(EXPORT))
        page.wait_for_selector(f'[data-testid="stFileChipName"]:has-text("{EXPORT.name}")')
        page.get_by_text("Supprimer la démo avant d'importer").click()
        page.get_by_role("button", name="Lancer l'import").click()
        # The page polls the task: it says when the import is over, and the report is listed.
        done = page.wait_for_selector("text=/Import n° \\d+ terminé/", timeout=120_000)
        assert "28 lignes lues, 23 importées" in done.inner_text()
        page.reload()
        wait_idle(page)
        # Its report: 28 rows read, 23 stored, so 5 rows not stored to download.
        assert "Télécharger les 5 lignes non importées (CSV)" in page.inner_text('[data-testid="stMain"]')
    finally:
        context.close()
        serving.stop(proc)
    # The background process did the import: the demo is gone and the file's objets are there.
    assert _scalar(writable_demo_db_url, "SELECT count(*) FROM objet WHERE provenance = 'demo'") == 0
    assert _scalar(writable_demo_db_url, "SELECT count(*) FROM objet WHERE provenance = 'import'") == 23
    assert _scalar(writable_demo_db_url, "SELECT rapport->>'rows' FROM chargement WHERE nature = 'palissy'") == "28"
