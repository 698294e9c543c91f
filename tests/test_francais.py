"""French everywhere the project writes (issue 11): one module of formats, every CSV through
the one writer, Plotly charts outside /carte in French."""
import json
import re
from datetime import date, datetime, timezone

from dashboard import settings
from dashboard.domain import formats
from dashboard.domain.identity import NATIONAL, Scope
from tests.pages import apptest

ROOT = settings.PROJECT_ROOT


def test_formats():
    assert formats.fmt_int(1234567) == "1\u202f234\u202f567" and formats.fmt_int(None) == "—"
    assert formats.nombre(1234.56, 1) == "1\u202f234,6" and formats.nombre(float("nan")) == "—"
    assert formats.fmt_pct(0.4) == "40,0 %" and formats.fmt_pct(None) == "—"
    # An instant is shown on its day in France, without a time zone.
    assert formats.date_fr(datetime(2024, 3, 31, 23, 30, tzinfo=timezone.utc)) == "01/04/2024"
    assert formats.date_heure_fr(datetime(2024, 7, 1, 6, 5, tzinfo=timezone.utc)) == "01/07/2024 à 08h05"
    assert formats.date_fr(date(2024, 5, 17)) == "17/05/2024" and formats.date_fr(None) == "—"
    assert formats.oui_non(True) == "Oui" and formats.oui_non(False) == "Non" and formats.oui_non(None) == "—"
    assert formats.pluriel(1, "objet") == "1 objet" and formats.pluriel(2, "objet") == "2 objets"
    assert formats.pluriel(1205, "objet recensé", "objets recensés") == "1\u202f205 objets recensés"
    assert [formats.accord(n, "n'a", "n'ont") for n in (0, 1, 2)] == ["n'a", "n'a", "n'ont"]
    assert formats.nom_perimetre(None, None) == "france"
    assert formats.nom_perimetre(("62", "59"), None) == "departements-59-62"
    assert formats.nom_perimetre(("2A",), None) == "departement-2a" and formats.nom_perimetre((), "62249") == \
        "commune-62249"
    assert Scope(("62", "59")).nom_fichier == "departements-59-62" and NATIONAL.nom_fichier == "france"
    assert formats.nom_de_fichier("Cas urgents", "france", "Orfèvrerie", jour=date(2026, 1, 2)) == \
        "cas-urgents-france-orfevrerie-2026-01-02"


def test_every_csv_goes_through_the_one_writer():
    """`;`, decimal comma, dates dd/mm/yyyy, BOM, cells safe: dashboard/domain/tableur.py only."""
    writers = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(")
    offenders = [str(p.relative_to(ROOT)) for folder in ("dashboard", "pages") for p in (ROOT / folder).rglob("*.py")
                 if writers.search(p.read_text(encoding="utf-8"))
                 and p.relative_to(ROOT).as_posix() not in ("dashboard/domain/tableur.py",
                                                            # the bench writes POP's own format, as POP does
                                                            "dashboard/bench/palissy_csv.py")]
    assert offenders == []


def test_charts_outside_the_map_are_french(demo_db_url, use_database):
    use_database(demo_db_url)
    at = apptest.open_page(demo_db_url, "drac", "couverture.py")
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        layout = spec["layout"]
        assert layout["separators"] == formats.SEPARATEURS_PLOTLY      # 1 234,5
        formats_dates = json.dumps(layout) + json.dumps(spec["data"])
        assert "%b" not in formats_dates and "%B" not in formats_dates and "%a" not in formats_dates
        assert json.loads(chart.proto.config).get("displayModeBar") is False  # its tooltips are English
