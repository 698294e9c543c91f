"""The map of every commune of France (issue 16) in chromium: every commune drawn from the
app alone (no request to another host), light (the first view's map data, a change of
indicator that sends only classes), a click opens the side panel and the view stays
national, zooming in fetches a département at full detail without a rerun, and a phone
gets a usable map, a readable legend and the panel. Speed is measured by the bench
(dashboard/bench/carte_nationale.py), not here."""
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from dashboard.bench.carte import FrameCounter, commune_a_cliquer
from dashboard.bench.carte_nationale import Fichiers
from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser

PREMIERE_VUE_MAX = 1_500_000
CHANGEMENT_MAX = 200_000
ADRESSE = "/carte?maille=communes"


def _communes(url) -> int:
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM commune WHERE geom_affichage IS NOT NULL")).scalar()


def _cadre(page, toutes=True):
    """The component's frame once it has drawn (every commune of the view when `toutes`)."""
    element = page.wait_for_selector('iframe[src*="carte_communes"]', timeout=60_000)
    frame = element.content_frame()
    frame.wait_for_function("window.carteDessin && window.carteDessin.total > 0 && window.carteDessin.traces > 0 "
                            f"&& {'window.carteDessin.traces === window.carteDessin.total' if toutes else 'true'}",
                            timeout=60_000)
    return element, frame


def _ailleurs(page, base):
    """Requests to another host than the app's, recorded and refused."""
    hote = urlparse(base).netloc
    ailleurs = []

    def filtre(route):
        adresse = urlparse(route.request.url)
        if adresse.scheme in ("http", "https", "ws", "wss") and adresse.netloc != hote:
            ailleurs.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", filtre)
    return ailleurs


def _cliquer(page, element, frame, lat, lng):
    x, y = frame.evaluate("([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
                          " const r = document.getElementById('carte').getBoundingClientRect();"
                          " return [p.x + r.left, p.y + r.top]; }", [lat, lng])
    box = element.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _peint(frame) -> int:
    return frame.evaluate("""() => { const c = document.querySelector('.leaflet-overlay-pane canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }""")


def test_every_commune_drawn_light_and_nothing_from_elsewhere(demo_app, page, demo_db_url):
    ailleurs = _ailleurs(page, demo_app)
    frames, fichiers = FrameCounter(page), Fichiers(page)
    page.goto(demo_app + ADRESSE)
    wait_idle(page)
    _, frame = _cadre(page)
    wait_idle(page)
    dessin = frame.evaluate("window.carteDessin")
    assert dessin["total"] == dessin["traces"] == _communes(demo_db_url)
    assert _peint(frame) > 50_000
    # One geometry file, fetched once; the map data of the first view within the bound.
    assert len(fichiers.urls) == 1 and "/carte/fichiers/communes-france." in fichiers.urls[0]
    assert frames.bytes + fichiers.octets <= PREMIERE_VUE_MAX, (frames.bytes, fichiers.octets)
    assert ailleurs == []

    # A change of indicator: only classes travel, the geometry stays in the browser.
    avant_ws, avant_f = frames.bytes, len(fichiers.urls)
    classes, rendus = frame.evaluate("window.carteClasses"), frame.evaluate("window.carteRendus")
    page.click('.st-key-carte_indicateur button[aria-label="Open"]')
    page.get_by_role("option", name="Pire état sanitaire actuel des objets").click()
    wait_idle(page)
    frame.wait_for_function(f"window.carteRendus > {rendus}", timeout=30_000)
    assert frame.evaluate("window.carteClasses") != classes
    assert len(fichiers.urls) == avant_f
    assert frames.bytes - avant_ws <= CHANGEMENT_MAX
    assert "indicateur=etat" in page.url and "maille=communes" in page.url
    assert ailleurs == []


def test_zoom_fetches_the_departement_at_full_detail_then_a_click_opens_the_panel(demo_app, page, demo_db_url):
    cible = commune_a_cliquer(demo_db_url, "62")
    demandes = []
    page.on("request", lambda r: demandes.append(r.url))
    page.goto(demo_app + ADRESSE)
    wait_idle(page)
    element, frame = _cadre(page)
    frames = FrameCounter(page)   # from now on: zooming must not rerun the page
    frame.evaluate("([lat, lng]) => window.map.setView([lat, lng], 10, {animate: false})", [cible["lat"], cible["lng"]])
    frame.wait_for_function("(window.carteDetail || []).includes('62')", timeout=30_000)
    assert any("/carte/fichiers/communes-62." in u for u in demandes)
    assert frames.bytes == 0
    frame.wait_for_function("window.carteDessin.zoom >= 8 && window.carteDessin.traces > 0")

    selector = f'.st-key-carte_panneau a[href*="/commune?code={cible["code"]}"]'
    _cliquer(page, element, frame, cible["lat"], cible["lng"])
    page.wait_for_selector(selector, timeout=30_000)
    wait_idle(page)
    assert cible["nom"] in page.inner_text(".st-key-carte_panneau")
    # The view stays France by commune, with the commune in the URL (a shared link reopens it).
    assert f"commune={cible['code']}" in page.url and "maille=communes" in page.url
    assert "departement=" not in page.url
    assert frame.evaluate("window.carteDessin.zoom") >= 8   # the map did not jump back
    # The clicked commune stays outlined once the page has run with it.
    frame.wait_for_function("window.carteDessin.selection >= 0")
    indice = frame.evaluate("window.carteDessin.selection")
    with sa.create_engine(demo_db_url, poolclass=sa.pool.NullPool).connect() as conn:
        codes = [r[0] for r in conn.execute(sa.text("SELECT code_insee FROM commune WHERE geom_affichage IS NOT NULL "
                                                    "ORDER BY departement_code, code_insee")).all()]
    assert codes[indice] == cible["code"]


def test_a_phone_gets_the_map_the_legend_and_the_panel(demo_app, browser, demo_db_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        cible = commune_a_cliquer(demo_db_url, "62")
        page.goto(demo_app + ADRESSE + f"&commune={cible['code']}")
        wait_idle(page)
        element, frame = _cadre(page, toutes=False)
        box = element.bounding_box()
        assert box["width"] <= 390 and 360 <= box["height"] <= 600
        assert frame.evaluate("window.carteDessin.total") == _communes(demo_db_url)
        legende = page.get_by_text("Statut du recensement de la commune").first
        assert legende.is_visible()
        panneau = page.locator(".st-key-carte_panneau")
        panneau.scroll_into_view_if_needed()
        assert panneau.is_visible() and cible["nom"] in panneau.inner_text()
        # The selected commune is zoomed to (chosen by the link, not on the map).
        frame.wait_for_function("window.map.getZoom() >= 8", timeout=30_000)
    finally:
        context.close()
