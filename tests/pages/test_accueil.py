"""Home page under AppTest: it runs, and shows the figures SQL gives for the user's scope."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import settings

from tests import expected
from tests.pages.visible import tel_quel

APP = str(settings.APP_SCRIPT)

LABELS = {
    "objets": "Objets protégés dans le périmètre de recensement",
    "communes": "Communes concernées",
    "recenses_5_ans": "Objets recensés depuis 5 ans",
    "en_peril": "Objets en péril",
    "disparus": "Objets disparus",
    "dossiers_a_examiner": "Dossiers à examiner",
}


@pytest.fixture
def app(demo_db_url, use_database):
    use_database(demo_db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def shown(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_home_shows_national_figures_for_admin(app, demo_db_url):
    values = shown(app)
    want = expected.home_figures(demo_db_url)
    assert want["objets"] > 1000
    for key, label in LABELS.items():
        assert expected.digits(values[label]) == want[key], label
    assert any("démonstration" in info.value for info in app.info)


def test_switching_identity_rescopes_the_figures(app, demo_db_url):
    picker = app.sidebar.selectbox[0]
    index = next(i for i, label in enumerate(picker.options) if "Conservat" in label)
    picker.select_index(index).run()
    assert not app.exception
    scoped = expected.home_figures(demo_db_url, ["59", "62"])
    assert expected.digits(shown(app)[LABELS["objets"]]) == scoped["objets"]
    assert scoped["objets"] < expected.home_figures(demo_db_url)["objets"]
    assert any("Pas-de-Calais" in tel_quel(c.value) for c in app.sidebar.caption)


def test_about_pages_render(app):
    for path, needle in (("../../pages/accessibilite.py", "RGAA"), ("../../pages/donnees.py", "Licence Ouverte")):
        app.switch_page(path).run()
        assert not app.exception
        assert any(needle in md.value for md in app.markdown)



def test_navigation_follows_the_role():
    from dashboard.app import navigation

    def paths(role):
        return {e.url_path for entries in navigation.visible(role).values() for e in entries}

    assert "urgences" in paths("conservateur")
    assert "urgences" in paths("drac")
    assert "urgences" not in paths("commune")
    assert "urgences" not in paths("deploiement")
    assert {"", "accessibilite", "carte", "commune", "objet"} <= paths("commune")
