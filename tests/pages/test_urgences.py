"""/urgences under AppTest: what each role sees, counts, filters, and the export of what is shown."""
import csv
from datetime import date
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import settings
from dashboard.app import ui
from dashboard.db import sql

from tests import expected
from tests.pages.apptest import q
from tests.test_urgences import expected_urgent

ROOT = Path(__file__).resolve().parents[2]
APP = str(settings.APP_SCRIPT)
PAGE = str(ROOT / "pages" / "urgences.py")


def _user(url, role):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role)"), {"r": role}).scalar()


@pytest.fixture
def deferred(monkeypatch):
    """The download callables the page registers (AppTest drops its media manager after a run)."""
    captured = []
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        captured.append((kwargs.get("file_name"), data_callable))
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured


def open_as(url, role):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = _user(url, role)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_admin_sees_every_case_of_france_in_order(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_as(demo_db_url, "admin")
    want = expected_urgent(demo_db_url)
    want = want.assign(p=want["niveau"] == "prioritaire").sort_values(["p", "recense_le", "ref"],
                                                                      ascending=[False, False, True])
    table = at.dataframe[0].value
    assert list(table["REF"]) == list(want["ref"])
    shown = metrics(at)
    assert expected.digits(shown["Prioritaires"]) == (want["niveau"] == "prioritaire").sum()
    assert expected.digits(shown["Préoccupants"]) == (want["niveau"] == "preoccupant").sum()
    assert set(table["Fiche"]) == {f"objet?ref={ref}" for ref in want["ref"]}


def test_conservateur_sees_only_their_departements(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_as(demo_db_url, "conservateur")
    table = at.dataframe[0].value
    want = expected_urgent(demo_db_url, ["59", "62"])
    assert sorted(table["REF"]) == sorted(want["ref"])
    assert {d.split()[0] for d in table["Département"]} <= {"59", "62"}


def test_roles_without_need_do_not_see_the_list(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_as(demo_db_url, "deploiement")
    # Not routable for this role: the app falls back to the home page (whose tables are the
    # communes to contact and campaigns), no list of urgent cases is shown.
    assert [t.value for t in at.title] == ["Collectif Objets — tableau de bord"]
    assert not any("REF" in d.value.columns for d in at.dataframe)
    assert "Prioritaires" not in metrics(at)
    drac = open_as(demo_db_url, "drac").dataframe[0].value
    assert not any("danger" in c for c in drac["Constat"])


def test_filters_and_row_link(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_as(demo_db_url, "admin")
    full = at.dataframe[0].value
    niveau = next(m for m in at.multiselect if m.label == "Niveau")
    niveau.select("prioritaire").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["Niveau"]) == {"Prioritaire"} and len(table) == (full["Niveau"] == "Prioritaire").sum()
    assert expected.digits(metrics(at)["Préoccupants"]) == 0

    commune = table.iloc[0]["Commune"].rsplit(" (", 1)[0]
    typed = commune.upper().replace("É", "E").replace("È", "E")
    at.text_input[0].input(typed).run()
    filtered = at.dataframe[0].value
    assert len(filtered) >= 1 and all(commune in c for c in filtered["Commune"])


def test_export_is_the_table_shown(demo_db_url, use_database, deferred):
    use_database(demo_db_url)
    at = open_as(demo_db_url, "conservateur")
    next(m for m in at.multiselect if m.label == "Niveau").select("preoccupant").run()
    assert not at.exception
    shown = at.dataframe[0].value.drop(columns=["Fiche"])
    exports = dict(deferred[-2:])
    # The file names say what, whose scope, which filters and when.
    nom = f"cas-urgents-departements-59-62-niveau-preoccupant-{date.today().isoformat()}"
    assert set(exports) == {f"{nom}.csv", f"{nom}.xlsx"}

    def as_text(frame: pd.DataFrame, jour=date.isoformat) -> list[list[str]]:
        return [["" if pd.isna(v) else (jour(v) if isinstance(v, date) else str(v)) for v in row]
                for row in frame.itertuples(index=False)]

    rows = list(csv.reader(io.StringIO(exports[f"{nom}.csv"]().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(shown.columns)
    assert rows[1:] == as_text(shown, lambda d: d.strftime("%d/%m/%Y"))  # dates as a French spreadsheet reads them
    sheet = openpyxl.load_workbook(io.BytesIO(exports[f"{nom}.xlsx"]()))["Cas urgents"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(shown.columns)
    assert [[("" if v is None else (v.date().isoformat() if hasattr(v, "date") else str(v))) for v in r]
            for r in values[1:]] == as_text(shown)


def test_new_since_the_previous_visit_and_the_new_only_filter(writable_demo_db_url, use_database):
    url = use_database(writable_demo_db_url)
    with sa.create_engine(url, poolclass=sa.pool.NullPool).begin() as conn:
        transmis = dict(conn.execute(sa.text(
            "SELECT s.ref, d.submitted_at FROM objet_situation s JOIN recensement r ON r.id = s.recensement_id "
            "JOIN dossier d ON d.id = r.dossier_id WHERE s.urgence IS NOT NULL")).all())
        listed = set(expected_urgent(url)["ref"])
        cut = sorted(transmis[ref] for ref in listed)[len(listed) // 2]
        conn.execute(sa.text("INSERT INTO derniere_visite (user_id, page, vue_le) VALUES (:u, 'urgences', :t)"),
                     {"u": _user(url, "admin"), "t": cut})
    new = {ref for ref in listed if transmis[ref] > cut}
    assert 0 < len(new) < len(listed)
    at = open_as(url, "admin")
    table = at.dataframe[0].value
    assert set(table.loc[table["Nouveau"] == "Nouveau", "REF"]) == new
    assert expected.digits(metrics(at)["Nouveaux depuis votre dernière visite"]) == len(new)
    at.checkbox[0].check().run()
    assert not at.exception
    only = at.dataframe[0].value
    assert set(only["REF"]) == new and set(only["Nouveau"]) == {"Nouveau"}
    # The previous visit is kept for the whole session: the same cases stay new on a rerun.
    at.run()
    assert set(at.dataframe[0].value["REF"]) == new


def test_one_query_per_view_and_none_twice_on_a_cold_cache(demo_db_url, use_database):
    """A cold cache costs the small options query and one query of the cases; a new filter
    state one more query of the cases; a rerun of the same view none."""
    use_database(demo_db_url)
    first_lines = {name: sql.statement(name).text.splitlines()[0] for name in ("urgences", "urgences_options")}
    sent = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        sent.extend(name for name, line in first_lines.items() if statement.startswith(line))

    ui._cached.clear()
    ui._partage.clear()   # the cases are a shared read (ui.read_partage)
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", on_execute)
    try:
        at = open_as(demo_db_url, "admin")
        cold = list(sent)
        next(m for m in at.multiselect if m.label == "Niveau").select("prioritaire").run()
        new_view = sent[len(cold):]
        at.run()
        same_view = sent[len(cold) + len(new_view):]
        # Another user of the same scope and role, with a previous visit of their own: the
        # cases are the same read (only what is new for them is marked afterwards).
        q(demo_db_url, "INSERT INTO derniere_visite (user_id, page, vue_le) SELECT id, 'urgences', now() - interval "
                       "'30 days' FROM app_user WHERE demo AND role = 'admin' ON CONFLICT (user_id, page) DO UPDATE "
                       "SET vue_le = excluded.vue_le")
        before = len(sent)
        other = open_as(demo_db_url, "admin")
        other_session = sent[before:]
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", on_execute)
    assert sorted(cold) == ["urgences", "urgences_options"]
    assert new_view == ["urgences"] and same_view == []
    assert other_session == [] and not other.exception


def test_the_table_is_shown_a_page_at_a_time(demo_db_url, use_database, monkeypatch):
    """Thousands of cases for France: the page pushes a page of rows, not all of them, and a
    row picked on the second page opens its own objet."""
    from dashboard.app import urgences_vue

    use_database(demo_db_url)
    monkeypatch.setattr(urgences_vue, "LIGNES_PAR_PAGE", 5)
    at = open_as(demo_db_url, "admin")
    want = expected_urgent(demo_db_url)
    assert len(want) > 10
    premiere = at.dataframe[0].value
    assert len(premiere) == 5
    assert f"Lignes 1 à 5 sur {ui.fmt_int(len(want))}" in [c.value for c in at.caption]
    next(b for b in at.button if b.label == "Suivantes").click().run()
    assert not at.exception
    seconde = at.dataframe[0].value
    assert len(seconde) == 5 and not set(seconde["REF"]) & set(premiere["REF"])
    assert next(b for b in at.button if b.label == "Précédentes").disabled is False
    # A new filter starts again at the first page.
    next(m for m in at.multiselect if m.label == "Niveau").select("prioritaire").run()
    assert not at.exception
    assert next(b for b in at.button if b.label == "Précédentes").disabled is True


def test_a_phone_gets_cards_not_the_grid(demo_db_url, use_database, monkeypatch):
    from dashboard.app import listes, telephone

    use_database(demo_db_url)
    monkeypatch.setattr(telephone, "sur_telephone", lambda: True)
    at = open_as(demo_db_url, "conservateur")
    assert not any("REF" in d.value.columns for d in at.dataframe)
    want = expected_urgent(demo_db_url, ["59", "62"])
    want = want.assign(p=want["niveau"] == "prioritaire").sort_values(["p", "recense_le", "ref"],
                                                                      ascending=[False, False, True])
    cartes = [m.value for m in at.markdown if m.value.startswith("**")]
    # The first cases, in the list's order, each a card that names its REF.
    assert [re.search(r"\\?\(([A-Z0-9]+)\\?\)\*\*", c).group(1) for c in cartes] == \
        list(want["ref"])[:listes.CARTES_PAR_PAGE]
    assert len(at.get("page_link")) >= len(cartes)
