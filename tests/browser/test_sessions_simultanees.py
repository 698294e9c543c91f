"""Many users at once (issue 11): 50 sessions opened at the same moment over Streamlit's
websocket, as a browser opens them (dashboard/bench/sessions.py), on /, /carte?departement=62
and /urgences of a real server. Every one must finish its run on the page asked for, with
no exception and no error message shown (a database that did not answer in time is shown
as st.error). The times are the bench's (`objets bench --only navigateur`), not a test's."""
import pytest

from dashboard.bench import sessions

pytestmark = pytest.mark.browser   # a real server, as the browser tests have


@pytest.mark.parametrize("chemin, page", [("/", ""), ("/carte?departement=62", "carte"), ("/urgences", "urgences")])
def test_fifty_sessions_at_once_all_finish_without_an_error(demo_app, chemin, page):
    charge = sessions.charge(demo_app, chemin, 50, timeout=240)
    assert len(charge.sessions) == 50
    echecs = [s.why() for s in charge.failed]
    assert not echecs, f"{len(echecs)} sessions sur 50 en échec sur {chemin} : {echecs[:3]}"
    assert {s.page for s in charge.sessions} == {page}
    assert min(s.bytes for s in charge.sessions) > 1000


def test_a_session_that_fails_is_reported(demo_app):
    """The client sees what a user would: a page that does not exist is no success."""
    charge = sessions.charge(demo_app, "/pas-une-page", 1, timeout=60)
    assert charge.failed and "introuvable" in charge.failed[0].why()
