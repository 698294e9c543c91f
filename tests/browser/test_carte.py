"""/carte in chromium: Leaflet draws every feature (no network beyond the app), a real click
on a commune opens its side panel with the link to its page."""
import pytest
import sqlalchemy as sa

from dashboard.bench.carte import click_latlng, commune_a_cliquer, map_frame
from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser


def _count(url, query):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text(query)).scalar()


def test_national_map_is_drawn_by_leaflet(demo_app, page, demo_db_url):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(demo_app + "/carte")
    wait_idle(page)
    _, frame = map_frame(page)
    drawn = frame.evaluate("window.carteFeatures")
    assert drawn == _count(demo_db_url, "SELECT count(*) FROM departement WHERE geom_affichage IS NOT NULL")
    # prefer_canvas: one canvas holds the polygons, and it is not blank.
    painted = frame.evaluate("""() => { const c = document.querySelector('.leaflet-overlay-pane canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }""")
    assert painted > 10_000
    assert all(u.startswith(demo_app) or u.startswith(("data:", "about:", "blob:")) for u in requests), \
        [u for u in requests if not u.startswith(demo_app)]
    assert "IGN" in frame.inner_text(".leaflet-control-attribution")


def test_click_on_a_commune_opens_the_side_panel(demo_app, page, demo_db_url):
    cible = commune_a_cliquer(demo_db_url, "62")
    page.goto(demo_app + "/carte?departement=62")
    wait_idle(page)
    _, frame = map_frame(page)
    assert frame.evaluate("window.carteFeatures") == _count(
        demo_db_url, "SELECT count(*) FROM commune WHERE departement_code = '62' AND geom_affichage IS NOT NULL")
    # The component hooks its click handler once Leaflet has settled; on a loaded machine a
    # first click can land before that. A real click must open the panel within three tries.
    selector = f'.st-key-carte_panneau a[href*="/commune?code={cible["code"]}"]'
    link = None
    for _ in range(3):
        frame.wait_for_function("() => window.map && !window.map._animatingZoom", timeout=30_000)
        click_latlng(page, cible["lat"], cible["lng"])
        try:
            link = page.wait_for_selector(selector, timeout=20_000)
            break
        except Exception:
            continue
    assert link is not None
    wait_idle(page)
    assert cible["nom"] in page.inner_text(".st-key-carte_panneau")
    assert f"commune={cible['code']}" in page.url


def _choose(page, key, option):
    """Pick `option` in the selectbox of key `key`, as a user does."""
    page.click(f'.st-key-{key} button[aria-label="Open"]')
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def _shown(page, key) -> str:
    return page.input_value(f'.st-key-{key} input[role="combobox"]')


def _query(page) -> dict:
    from urllib.parse import parse_qs, urlparse

    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_filters_live_in_the_url_the_bound_one_and_the_others(demo_app, page):
    page.goto(demo_app + "/carte?departement=59")
    wait_idle(page)
    _choose(page, "categorie", "sculpture")     # bound: Streamlit writes ?categorie=
    page.wait_for_function("() => location.search.includes('categorie=sculpture')", timeout=20_000)
    _choose(page, "carte_siecle", "18e siècle")  # the page writes ?siecle=
    page.wait_for_function("() => location.search.includes('siecle=18')", timeout=20_000)
    assert _query(page) == {"departement": "59", "categorie": "sculpture", "siecle": "18"}
    # The URL reopens the same view.
    page.reload()
    wait_idle(page)
    assert _shown(page, "categorie") == "sculpture" and _shown(page, "carte_siecle") == "18e siècle"
    assert _query(page) == {"departement": "59", "categorie": "sculpture", "siecle": "18"}
    _choose(page, "categorie", "Toutes")
    page.wait_for_function("() => !location.search.includes('categorie')", timeout=20_000)
    assert _query(page) == {"departement": "59", "siecle": "18"}


def test_unknown_categorie_in_the_url_says_so(demo_app, page):
    page.goto(demo_app + "/carte?departement=59&categorie=tapisserie-volante")
    wait_idle(page)
    assert "Catégorie inconnue" in page.inner_text('[data-testid="stAlert"]')
    assert _query(page) == {"departement": "59"}
