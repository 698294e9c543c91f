"""Database trouble on a page, under AppTest: the database unreachable (a socket that does
not exist, a closed port), a read stopped by the time limits (a lock held elsewhere, a
statement timeout), a save that meets a lock. The page shows one French sentence and no
driver detail (no socket path, host, "psycopg", "Traceback"); the details are in the log."""
import logging

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.app import ui
from dashboard.writes import examen
from tests.pages.apptest import APP, ROOT, open_page, q
from tests.pages.visible import texts

INJOIGNABLES = {
    "socket": ("postgresql+psycopg://postgres@/objets?host=/tmp/objets-socket-absente-4242",
               "objets-socket-absente-4242"),
    "port fermé": ("postgresql+psycopg://agent:motdepasse-secret@127.0.0.1:1/objets", "motdepasse-secret"),
}
INTERDITS = ("psycopg", "Traceback", "sqlalchemy", ".s.PGSQL", "127.0.0.1", "détail")


def _page_text(at) -> str:
    return "\n".join(text for _, text in texts(at))


@pytest.mark.parametrize("cas", list(INJOIGNABLES))
@pytest.mark.parametrize("page", ["accueil.py", "urgences.py", "objet.py"])
def test_unreachable_database(use_database, caplog, cas, page):
    url, detail = INJOIGNABLES[cas]
    use_database(url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = 1
    at.switch_page(str(ROOT / "pages" / page))
    at.query_params["ref"] = "PM62000123"
    with caplog.at_level(logging.ERROR, logger="dashboard.app.ui"):
        at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [ui.INDISPONIBLE]
    shown = _page_text(at)
    assert detail not in shown and "/tmp/" not in shown
    assert not any(word in shown for word in INTERDITS), shown
    assert detail in caplog.text or "127.0.0.1" in caplog.text   # the details: in the server log


def test_a_read_waiting_for_a_lock_is_stopped_with_a_message(writable_demo_db_url, use_database, limites):
    use_database(writable_demo_db_url)
    limites("15s", "1s")
    holder = sa.create_engine(writable_demo_db_url, poolclass=sa.pool.NullPool).connect()
    holder.execute(sa.text("LOCK TABLE objet IN ACCESS EXCLUSIVE MODE"))
    try:
        at = open_page(writable_demo_db_url, "admin", "accueil.py")
    finally:
        holder.rollback()
        holder.close()
    assert [e.value for e in at.error] == [ui.TROP_LONG]
    assert not any(word in _page_text(at) for word in INTERDITS)


def test_a_statement_beyond_the_time_limit_is_stopped_with_a_message(demo_db_url, use_database, limites):
    use_database(demo_db_url)
    limites("1ms", "1s")                        # every statement is too long
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = 1
    at.switch_page(str(ROOT / "pages" / "urgences.py"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [ui.TROP_LONG]
    assert not any(word in _page_text(at) for word in INTERDITS)


def test_a_save_that_meets_a_lock_shows_one_sentence(writable_demo_db_url, use_database, limites):
    url = writable_demo_db_url
    use_database(url)
    limites("15s", "1s")
    ref, rid = q(url, """
        SELECT o.ref, c.id FROM objet o
        JOIN recensement_courant c ON c.objet_ref = o.ref
        JOIN recensement r ON r.id = c.id JOIN dossier d ON d.id = r.dossier_id
        WHERE d.statut = 'submitted' AND c.recensable AND o.departement_code IN ('62', '59')
        ORDER BY o.ref LIMIT 1""")[0]
    version = q(url, "SELECT version FROM recensement WHERE id = :i", i=rid)[0][0]
    at = open_page(url, "conservateur", "objet.py", ref=ref)
    holder = sa.create_engine(url, poolclass=sa.pool.NullPool).connect()
    holder.execute(sa.text("SELECT 1 FROM recensement WHERE id = :i FOR UPDATE"), {"i": rid})
    try:
        next(b for b in at.button if b.label == "Enregistrer l'analyse").click().run()
    finally:
        holder.rollback()
        holder.close()
    assert not at.exception
    assert ui.sans_markdown(examen.OCCUPEE) in [e.value for e in at.error]
    assert not any(word in _page_text(at) for word in INTERDITS)
    assert q(url, "SELECT version FROM recensement WHERE id = :i", i=rid)[0][0] == version   # nothing saved
