"""Browser smoke test: the home page of a running app shows the figures SQL gives."""
import pytest

from tests import expected
from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser


def test_home_page_figures_equal_sql(demo_app, page, demo_db_url):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_app + "/")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    wait_idle(page)
    metrics = {}
    for metric in page.query_selector_all('[data-testid="stMetric"]'):
        label = metric.query_selector('[data-testid="stMetricLabel"]').inner_text().strip()
        metrics[label] = metric.query_selector('[data-testid="stMetricValue"]').inner_text().strip()
    want = expected.home_figures(demo_db_url)
    assert expected.digits(metrics["Objets protégés dans le périmètre de recensement"]) == want["objets"]
    assert expected.digits(metrics["Objets en péril"]) == want["en_peril"]
    assert expected.digits(metrics["Objets disparus"]) == want["disparus"]
    assert expected.digits(metrics["Dossiers à examiner"]) == want["dossiers_a_examiner"]
    assert "démonstration" in page.inner_text("body")
    # Nothing beyond the app itself: no CDN, no font or icon service.
    outside = [u for u in requests if not u.startswith((demo_app, "data:", "about:", "blob:"))]
    assert outside == []


def test_static_libraries_are_served_by_the_app(demo_app, page):
    response = page.request.get(demo_app + "/app/static/vendor/leaflet/dist/leaflet.js")
    assert response.ok
    assert "Leaflet" in response.text()[:2000]
