"""`objets bench`, the /carte part: bytes pushed over the websocket on a first load, beside
a naive folium GeoJson of the same display geometries (measured in the same run), the size
of the map alone (the HTML handed to st_folium, no browser needed), and the page's
script-run times (AppTest).

Bytes: the websocket frames the server sends, from navigation until the script is idle and
the map drawn (Playwright in Debian's chromium, engineering.md "Measuring").
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import sqlalchemy as sa

from dashboard.bench import apptest
from dashboard.ops import serving
from dashboard import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# (name, URL query of /carte, SQL condition of the naive layer, target in bytes)
CASES = [
    ("france_departements", "", "departement", None, 150_000),
    ("pas_de_calais_communes", "?departement=62", "commune", "62", 300_000),
    ("hauts_de_france_communes", "?region=32&maille=communes", "commune", "r32", 1_000_000),
]
CLIC_CIBLE = 30_000

# The naive baseline: a plain folium GeoJson of the same geometries, with code and name.
NAIVE_PAGE = textwrap.dedent('''
    import folium, sqlalchemy as sa, streamlit as st
    from streamlit_folium import st_folium
    from geo.maps import base_map   # no tiles: the bytes measured are the layer's
    table = st.query_params.get("table", "departement")
    where = st.query_params.get("where", "")
    engine = sa.create_engine(__import__("os").environ["DATABASE_URL"])
    if table == "departement":
        q = "SELECT code, nom, ST_AsGeoJSON(geom_affichage, 4) FROM departement WHERE geom_affichage IS NOT NULL"
        params = {}
    elif where.startswith("r"):
        q = ("SELECT c.code_insee, c.nom, ST_AsGeoJSON(c.geom_affichage, 4) FROM commune c JOIN departement d "
             "ON d.code = c.departement_code WHERE c.geom_affichage IS NOT NULL AND d.region_code = :w")
        params = {"w": where[1:]}
    else:
        q = ("SELECT code_insee, nom, ST_AsGeoJSON(geom_affichage, 4) FROM commune "
             "WHERE geom_affichage IS NOT NULL AND departement_code = :w")
        params = {"w": where}
    import json
    with engine.connect() as conn:
        rows = conn.execute(sa.text(q), params).all()
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c, "nom": n}, "geometry": json.loads(g)} for c, n, g in rows]}
    m = base_map()
    folium.GeoJson(fc, tooltip=folium.GeoJsonTooltip(["nom", "code"])).add_to(m)
    st_folium(m, height=560, returned_objects=[])
''')


def start_server(script: Path, database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    # Tiles off: the payload measured is ours, not a tile server's.
    return serving.start(database_url, log, script=script, extra_env={"OBJETS_TILES_URL": ""})


def wait_idle(page, timeout=120_000) -> None:
    selector = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(selector, timeout=timeout)
    page.wait_for_timeout(400)
    page.wait_for_selector(selector, timeout=timeout)


def map_frame(page, timeout=120_000):
    """The st_folium iframe, once Leaflet has drawn the layers into it."""
    # Its title is the map's own once drawn (geo.maps.Controles): found by its source.
    element = page.wait_for_selector('iframe[src*="streamlit_folium"]', timeout=timeout)
    frame = element.content_frame()
    frame.wait_for_function("window.map && document.querySelector('.leaflet-overlay-pane canvas, "
                            ".leaflet-overlay-pane path')", timeout=timeout)
    return element, frame


class FrameCounter:
    """Bytes of the websocket frames the server sends to this page."""

    def __init__(self, page):
        self.bytes = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload):
        self.bytes += len(payload if isinstance(payload, (bytes, bytearray)) else payload.encode("utf-8"))


def click_latlng(page, lat: float, lng: float) -> None:
    """A real mouse click at a geographic point of the map."""
    element, frame = map_frame(page)
    point = frame.evaluate("([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
                           " const r = document.getElementById('map_div').getBoundingClientRect();"
                           " return [p.x + r.left, p.y + r.top]; }", [lat, lng])
    box = element.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def commune_a_cliquer(url: str, departement: str) -> dict:
    """A commune of the département holding objets, large enough to click: its point on surface."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT c.code_insee AS code, c.nom, ST_Y(c.point) AS lat, ST_X(c.point) AS lng FROM commune c "
            "WHERE c.departement_code = :d AND EXISTS (SELECT 1 FROM objet o WHERE o.commune_code = c.code_insee) "
            "ORDER BY ST_Area(c.geom_affichage) DESC LIMIT 1"), {"d": departement}).mappings().one()
    return dict(row)


def _measure(browser, address: str, draw=True) -> int:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    counter = FrameCounter(page)
    page.goto(address)
    wait_idle(page)
    if draw:
        map_frame(page)
    wait_idle(page)
    total = counter.bytes
    context.close()
    return total


def _measure_click(browser, base: str, url: str) -> tuple[int, bool]:
    cible = commune_a_cliquer(url, "62")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    counter = FrameCounter(page)
    page.goto(base + "/carte?departement=62")
    wait_idle(page)
    map_frame(page)
    wait_idle(page)
    before = counter.bytes
    click_latlng(page, cible["lat"], cible["lng"])
    try:
        page.wait_for_selector(f'.st-key-carte_panneau a[href*="code={cible["code"]}"]', timeout=60_000)
        seen = True
    except Exception:  # noqa: BLE001 - reported, not raised: a bench prints what it saw
        seen = False
    wait_idle(page)
    total = counter.bytes - before
    context.close()
    return total, seen


def map_bytes(url: str, query: str) -> int:
    """Bytes of the map of /carte`query` for a national user, built as the page builds it
    (the HTML st_folium sends): the bulk of the first load, measured without a browser."""
    from urllib.parse import parse_qsl

    from dashboard.app.carte import couche, dessin, vue as vues
    from dashboard.domain.identity import NATIONAL
    from dashboard.reads import carte, geometrie
    from geo import maps

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        ref = carte.referentiel(conn, NATIONAL)
        vue, _ = vues.vue_depuis_url(dict(parse_qsl(query.lstrip("?"))), ref,
                                     lambda code: carte.departement_de_commune(conn, NATIONAL, code))
        geo = geometrie.geometrie(conn, NATIONAL, vue.maille, vue.region, vue.departement)
        layer = couche.couche(vue, geo, carte.figures_communes(conn, NATIONAL, vue.filtres), ref)
    fmap = dessin.construire_carte(geo, layer, fond=maps.base_map())   # no tiles: the layer's bytes
    return len(fmap.get_root().render().encode("utf-8"))


def apptest_times(url: str, query: dict, runs: int) -> tuple[float, float]:
    """(cold: a fresh process, warm: median of `runs` runs after one warm-up) of /carte."""
    code = textwrap.dedent(f'''
        import os, sys, time, statistics
        os.environ["DATABASE_URL"] = {url!r}
        from streamlit.testing.v1 import AppTest
        app = {str(settings.APP_SCRIPT)!r}
        times = []
        for i in range({runs} + 2):
            at = AppTest.from_file(app, default_timeout=120)
            at.run()
            at.switch_page("../../pages/carte.py")
            for k, v in {query!r}.items():
                at.query_params[k] = v
            t = time.perf_counter(); at.run(); times.append(time.perf_counter() - t)
            assert not at.exception, at.exception[0].message
        print(times[0], statistics.median(times[2:]))
    ''')
    return apptest.temps_froid_chaud(code, url)


def bench(url: str, runs: int = 10, echo=print) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    logs = settings.PROJECT_ROOT / ".local"
    logs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        naive_script = Path(tmp) / "naive_carte.py"
        naive_script.write_text(NAIVE_PAGE, encoding="utf-8")
        # The baseline page needs the app's static Leaflet: serve it from the same folder.
        (Path(tmp) / "static").symlink_to(settings.STATIC_DIR)
        app, app_base = start_server(settings.APP_SCRIPT, url, logs / "bench-carte.log")
        naive, naive_base = start_server(naive_script, url, logs / "bench-carte-naive.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                echo("== /carte : octets poussés par le serveur au premier chargement (trames websocket)")
                for name, query, table, where, target in CASES:
                    ours = _measure(browser, app_base + "/carte" + query)
                    naive_q = f"?table={table}" + (f"&where={where}" if where else "")
                    base = _measure(browser, naive_base + "/" + naive_q)
                    figures[f"carte.{name}.octets"] = ours
                    figures[f"carte.{name}.naif_octets"] = base
                    figures[f"carte.{name}.ratio"] = ours / base if base else float("nan")
                    echo(f"  {name:<26} {ours / 1000:8.1f} Ko   naïf {base / 1000:8.1f} Ko   ratio {ours / base:5.2f}"
                         f"   objectif ≤ {target // 1000} Ko : {'tenu' if ours <= target else 'NON TENU'}")
                clic, seen = _measure_click(browser, app_base, url)
                figures["carte.clic_commune.octets"] = clic
                echo(f"  {'clic sur une commune':<26} {clic / 1000:8.1f} Ko   panneau affiché : {'oui' if seen else 'NON'}"
                     f"   objectif ≤ {CLIC_CIBLE // 1000} Ko : {'tenu' if clic <= CLIC_CIBLE and seen else 'NON TENU'}")
                browser.close()
        finally:
            for proc in (app, naive):
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    echo("== /carte : taille de la carte seule (HTML remis à st_folium, sans fond de carte)")
    for name, query, *_ in CASES:
        size = map_bytes(url, query)
        figures[f"carte.{name}.carte_octets"] = size
        echo(f"  {name:<26} {size / 1000:8.1f} Ko")
    echo(f"== /carte : temps d'exécution du script (AppTest ; à froid = nouveau processus ; médiane de {runs})")
    for name, query in (("france", {}), ("pas_de_calais", {"departement": "62"})):
        cold, warm = apptest_times(url, query, runs)
        figures[f"carte.{name}.froid_s"], figures[f"carte.{name}.chaud_median_s"] = cold, warm
        echo(f"  {name:<14} à froid {cold:.2f} s (objectif ≤ 3 s : {'tenu' if cold <= 3 else 'NON TENU'}) ; "
             f"médiane à chaud {warm:.3f} s (objectif ≤ 0,5 s : {'tenu' if warm <= 0.5 else 'NON TENU'})")
    return figures


if __name__ == "__main__":  # python -m dashboard.bench.carte [runs]
    bench(settings.database_url(), int(sys.argv[1]) if len(sys.argv) > 1 else 10)
