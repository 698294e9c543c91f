"""The data version is read once per script run (dashboard.app.ui.start_run, called by the
entry script), however many cached reads the page makes; a change of the data is seen by
the next run."""
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from dashboard.app import ui
from tests.pages.apptest import APP, ROOT, q

VERSION_QUERY = "SELECT version FROM data_version"


@contextmanager
def counting(monkeypatch):
    """Counts, during the block, the data version queries sent by any engine and the calls
    to ui.read() (the pages call it as ui.read)."""
    seen = {"version": 0, "reads": 0}

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if statement.strip() == VERSION_QUERY:
            seen["version"] += 1

    read = ui.read

    def counted_read(*args):
        seen["reads"] += 1
        return read(*args)

    monkeypatch.setattr(ui, "read", counted_read)
    event.listen(sa.engine.Engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(sa.engine.Engine, "before_cursor_execute", on_execute)


def _session(url, role, page):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["user_id"] = q(url, "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)", r=role)[0][0]
    at.switch_page(str(ROOT / "pages" / page))
    return at


def _run(at, seen) -> dict:
    before = dict(seen)
    at.run()
    assert not at.exception, at.exception[0].message if at.exception else ""
    return {key: seen[key] - before[key] for key in seen}


@pytest.mark.parametrize("page,role", [("carte.py", "admin"), ("urgences.py", "conservateur")])
def test_one_data_version_query_per_run(demo_db_url, use_database, monkeypatch, page, role):
    use_database(demo_db_url)
    with counting(monkeypatch) as seen:
        at = _session(demo_db_url, role, page)
        first = _run(at, seen)
        again = _run(at, seen)
    assert first["reads"] >= 5 and again["reads"] >= 5, (first, again)  # many cached reads per run...
    assert first["version"] == 1 and again["version"] == 1, (first, again)  # ...one version query each


def test_a_change_of_the_data_is_seen_by_the_next_run(writable_demo_db_url, use_database, monkeypatch):
    url = use_database(writable_demo_db_url)
    at = _session(url, "admin", "urgences.py")
    with counting(monkeypatch) as seen:
        _run(at, seen)
        before = at.dataframe[0].value
        # A préoccupant case only for its état: the conservateur says it is in good state.
        ref = q(url, "SELECT s.ref FROM objet_situation s JOIN recensement r ON r.id = s.recensement_id "
                     "WHERE s.urgence = 'preoccupant' AND s.etat_sanitaire = 'mauvais' "
                     "AND r.securisation IS DISTINCT FROM 'en_danger' "
                     "AND r.analyse_securisation IS DISTINCT FROM 'en_danger' ORDER BY s.ref LIMIT 1")[0][0]
        assert ref in set(before["REF"])
        q(url, "UPDATE recensement SET analyse_etat_sanitaire = 'bon' "
               "WHERE id = (SELECT recensement_id FROM objet_situation WHERE ref = :ref)", ref=ref)
        counts = _run(at, seen)
    after = at.dataframe[0].value
    assert counts["version"] == 1
    assert ref not in set(after["REF"]) and len(after) == len(before) - 1


APPELS: list = []


def lecture_temoin(conn, scope, filtre):
    """A read that records each time it really runs (not served by the cache)."""
    APPELS.append((scope, filtre))
    return conn.execute(sa.text("SELECT CAST(:n AS int)"), {"n": len(scope.departements or ())}).scalar()


def _page_temoin():
    import streamlit as st

    from dashboard.app import ui
    from dashboard.domain.identity import Scope
    from tests.pages.test_data_version import lecture_temoin

    nord = ui.read(lecture_temoin, Scope(("59",), libelle="Nord"), ("peril",))
    # An equal Scope, another object: served by the cache.
    nord_encore = ui.read(lecture_temoin, Scope(("59",), libelle="Nord"), ("peril",))
    deux = ui.read(lecture_temoin, Scope(("59", "62"), libelle="Nord"), ("peril",))
    autre_filtre = ui.read(lecture_temoin, Scope(("59",), libelle="Nord"), ("disparu",))
    st.write(f"{nord} {nord_encore} {deux} {autre_filtre}")


def _premiere_execution(page) -> AppTest:
    """AppTest of a page written as a function, run once without exception."""
    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception[0].message if at.exception else ""
    return at


def test_cached_reads_are_keyed_on_every_argument(demo_db_url, use_database):
    use_database(demo_db_url)
    APPELS.clear()
    at = _premiere_execution(_page_temoin)
    assert at.markdown[0].value == "1 1 2 1"
    # Three distinct argument lists, three real reads; the equal Scope did not read again.
    assert [(s.departements, f) for s, f in APPELS] == [(("59",), ("peril",)), (("59", "62"), ("peril",)),
                                                        (("59",), ("disparu",))]


CALCULS: list = []


def calcul_temoin(valeur, facteur):
    """A pure computation that records each time it really runs."""
    CALCULS.append((valeur, facteur))
    return valeur * facteur


def _page_calculs():
    import streamlit as st

    from dashboard.app import ui
    from dashboard.domain.identity import Scope
    from tests.pages.test_data_version import calcul_temoin

    nord = Scope(("59",), libelle="Nord")
    premier = ui.calcul(calcul_temoin, (nord, "vue"), 6, 7)
    # The same key, other arguments: the key stands for them, the first result is served.
    meme_cle = ui.calcul(calcul_temoin, (Scope(("59",), libelle="Nord"), "vue"), 1, 1)
    autre_vue = ui.calcul(calcul_temoin, (nord, "autre vue"), 2, 3)
    liste = ui.calcul(calcul_temoin, (nord, "liste"), [1], 2)
    # Shared, not copied: the same object for every call (and every session).
    st.write(f"{premier} {meme_cle} {autre_vue} {liste is ui.calcul(calcul_temoin, (nord, 'liste'), [1], 2)}")


def test_computations_are_kept_per_key_and_data_version(demo_db_url, use_database):
    use_database(demo_db_url)
    CALCULS.clear()
    at = _premiere_execution(_page_calculs)
    assert at.markdown[0].value == "42 42 6 True"
    assert CALCULS == [(6, 7), (2, 3), ([1], 2)]
    at.run()
    assert CALCULS == [(6, 7), (2, 3), ([1], 2)]       # a rerun on the same data: nothing computed again
    with sa.create_engine(demo_db_url).begin() as conn:
        conn.execute(sa.text("UPDATE data_version SET version = version + 1"))
    at.run()
    assert not at.exception
    assert CALCULS == [(6, 7), (2, 3), ([1], 2)] * 2   # the data changed: computed again


def _page_partagee():
    import streamlit as st

    from dashboard.app import ui
    from dashboard.domain.identity import Scope
    from tests.pages.test_data_version import lecture_liste

    une = ui.read_partage(lecture_liste, Scope(("59",), libelle="Nord"))
    autre = ui.read_partage(lecture_liste, Scope(("59",), libelle="Nord"))
    copie = ui.read(lecture_liste, Scope(("59",), libelle="Nord"))
    st.write(f"{une} {une is autre} {copie is une}")


def lecture_liste(conn, scope):
    """A read returning a mutable object, recorded each time it really runs."""
    APPELS.append((scope, "liste"))
    return [conn.execute(sa.text("SELECT CAST(:n AS int)"), {"n": len(scope.departements or ())}).scalar()]


def test_shared_reads_give_every_call_the_same_object(demo_db_url, use_database):
    use_database(demo_db_url)
    APPELS.clear()
    at = _premiere_execution(_page_partagee)
    # One real read for the two shared calls (and one for the copying read()), the same object.
    assert at.markdown[0].value == "[1] True False"
    assert len(APPELS) == 2
