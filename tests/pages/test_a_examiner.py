"""The inbox (/a-examiner) under AppTest: the dossiers to examine of the scope in their order,
as many as the home page counts, a row selected opens the commune in this tab, the roles that
may not examine cannot open it."""
import pytest

from tests import expected
from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.pilotage_pages import deferred  # noqa: F401 (fixture)
from tests.pages.visible import tel_quel

ACCUEIL = "Collectif Objets — tableau de bord"


def open_page(url, role):
    """/a-examiner: its URL is not its file's name, so AppTest needs a first run to know the
    pages st.navigation registers (AppTest.switch_page says so)."""
    at = apptest.AppTest.from_file(apptest.APP, default_timeout=60)
    at.session_state["user_id"] = q(url, "SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)", r=role)[0][0]
    at.run()
    at.switch_page(str(apptest.ROOT / "pages" / "a_examiner.py")).run()
    assert not at.exception, at.exception
    return at


def attendus(url, departements=None) -> list[str]:
    """The submitted dossiers' communes, prioritaires first then the oldest (restated in SQL)."""
    return [r[0] for r in q(url, """
        SELECT d.commune_code FROM dossier d JOIN commune c ON c.code_insee = d.commune_code
        WHERE d.statut = 'submitted'
          AND (CAST(:deps AS text[]) IS NULL OR c.departement_code = ANY (CAST(:deps AS text[])))
        ORDER BY EXISTS (SELECT 1 FROM recensement_effectif r WHERE r.dossier_id = d.id
                         AND (r.localisation = 'absent' OR r.etat_sanitaire = 'peril')) DESC,
                 d.submitted_at, d.id""", deps=departements)]


def test_the_inbox_lists_the_dossiers_to_examine_in_order(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin")
    table = at.dataframe[0].value
    want = attendus(demo_db_url)
    assert len(want) > 3 and [c.rsplit("(", 1)[1].rstrip(")") for c in table["Commune"]] == want
    assert list(table["Fiche"]) == [f"commune?code={c}" for c in want]
    assert expected.digits(at.metric[0].value) == len(want)
    # The home page counts the same dossiers, and its figure leads here.
    home = apptest.open_page(demo_db_url, "admin", "accueil.py")
    figures = {m.label: m.value for m in home.metric}
    assert expected.digits(figures["Dossiers à examiner"]) == len(want)
    assert any(p.proto.page == "a-examiner" for p in home.get("page_link"))
    conservateur = open_page(demo_db_url, "conservateur").dataframe[0].value
    assert [c.rsplit("(", 1)[1].rstrip(")") for c in conservateur["Commune"]] == attendus(demo_db_url, ["59", "62"])


def test_a_selected_row_opens_the_commune_in_this_tab(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin")
    table = at.dataframe[0]
    code = attendus(demo_db_url)[1]
    nom = q(demo_db_url, "SELECT nom FROM commune WHERE code_insee = :c", c=code)[0][0]
    at.session_state[table.key] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception and tel_quel(at.title[0].value) == nom


def test_roles_that_may_not_examine_cannot_open_it(demo_db_url, use_database):
    """DRAC managers follow the backlog as figures (/couverture), deployment officers and
    communes do not examine: the page is not routable for them, and their home page neither
    counts nor links the dossiers to examine."""
    use_database(demo_db_url)
    for role in ("drac", "deploiement", "commune"):
        home = apptest.open_page(demo_db_url, role, "accueil.py")
        with pytest.raises(ValueError):
            home.switch_page(str(apptest.ROOT / "pages" / "a_examiner.py"))
        assert not any(p.proto.page == "a-examiner" for p in home.get("page_link")), role
        assert "Dossiers à examiner" not in {m.label for m in home.metric}, role


def test_on_a_phone_the_inbox_is_cards_a_page_at_a_time(demo_db_url, use_database, monkeypatch):
    from dashboard.app import listes, telephone

    use_database(demo_db_url)
    monkeypatch.setattr(telephone, "sur_telephone", lambda: True)
    at = open_page(demo_db_url, "admin")
    want = attendus(demo_db_url)
    assert len(want) > listes.CARTES_PAR_PAGE
    assert not at.dataframe
    liens = at.get("page_link")
    codes = [lien.proto.query_string.removeprefix("code=") for lien in liens if lien.proto.label == "Examiner le dossier"]
    assert codes == want[:listes.CARTES_PAR_PAGE]
    next(b for b in at.button if b.label == "Suivantes").click().run()
    assert not at.exception
    codes = [lien.proto.query_string.removeprefix("code=") for lien in at.get("page_link")
             if lien.proto.label == "Examiner le dossier"]
    assert codes == want[listes.CARTES_PAR_PAGE:2 * listes.CARTES_PAR_PAGE]


def test_the_inbox_downloads_as_french_csv(demo_db_url, use_database, deferred):
    """The tables' own download is off: the inbox gives its list through the one CSV writer."""
    import csv
    import io
    use_database(demo_db_url)
    open_page(demo_db_url, "conservateur")
    nom = next(k for k in deferred if k.startswith("dossiers-a-examiner-") and k.endswith(".csv"))
    lignes = list(csv.DictReader(io.StringIO(deferred[nom]().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [ligne["Commune"].rsplit("(", 1)[1].rstrip(")") for ligne in lignes] == attendus(demo_db_url, ["59", "62"])
    assert "Fiche" not in lignes[0] and lignes[0]["Transmis le"].count("/") == 2
