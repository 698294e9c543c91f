"""`objets bench`, the map of every commune of France (issue 16): /carte?maille=communes
beside the naive way (a folium GeoJson of the 34,871 communes' display geometry, 4 decimals,
with a tooltip), measured in the same run.

- Map data of the first view: the websocket frames the server sends from navigation until
  the script is idle and every commune drawn, plus the geometry files fetched from the app
  (bytes on the wire: gzip-compressed). Streamlit's own scripts, the component's page and
  Leaflet are static files, counted apart. Goal: <= 1.5 MB.
- Usable: from navigation until the script is idle and every commune of the view drawn (the
  component's canvas has drawn all of them; the naive page: Leaflet has drawn its layer),
  and still so 1 s later; a fresh chromium each time, median of 3 (the server has run the
  page once before). Goal: <= 3 s.
- For context, in the same run: an empty Streamlit page and /carte by département (today's
  folium map) measured the same way (what this machine's load makes of any page).
- A change of indicator (statut -> état): the frames it costs, and the files fetched (none
  expected). Goal: <= 200 KB.
Tiles are off (OBJETS_TILES_URL empty): the bytes and time are the app's.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import textwrap
from pathlib import Path

from dashboard import settings
from dashboard.bench.carte import CHROMIUM, CHROMIUM_ARGS, FrameCounter, start_server, wait_idle
from dashboard.bench.navigateur import PAGE_VIDE, guetteur
from dashboard.ops import serving

OBJECTIF_OCTETS = 1_500_000
OBJECTIF_S = 3.0
OBJECTIF_CHANGEMENT = 200_000
OBJECTIF_RATIO = 20
ESSAIS = 3
ADRESSE = "/carte?maille=communes"

NAIVE_PAGE = textwrap.dedent('''
    import json, os, folium, sqlalchemy as sa
    from streamlit_folium import st_folium
    from geo.maps import base_map   # no tiles: the bytes measured are the layer's
    engine = sa.create_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT code_insee, nom, ST_AsGeoJSON(geom_affichage, 4) FROM commune "
                                    "WHERE geom_affichage IS NOT NULL")).all()
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c, "nom": n}, "geometry": json.loads(g)} for c, n, g in rows]}
    m = base_map()
    folium.GeoJson(fc, tooltip=folium.GeoJsonTooltip(["nom", "code"])).add_to(m)
    st_folium(m, height=560, returned_objects=[])
''')

# Is the national map usable? (navigateur.guetteur polls it)
_GUETTEUR = guetteur("naif", """    if (!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')) return false;
    try {
      if (naif === "vide") return !!document.querySelector('[data-testid="stMarkdown"]');
      if (naif) {
        const f = document.querySelector('iframe[src*="streamlit_folium"]');
        return !!(f && f.contentWindow.map && f.contentDocument.querySelector('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas'));
      }
      const f = document.querySelector('iframe[src*="carte_communes"]');
      const d = f && f.contentWindow.carteDessin;
      return !!(d && d.total > 0 && d.traces === d.total);
    } catch (e) { return false; }
""")


class Fichiers:
    """Bytes on the wire of the responses whose URL holds `motif`, and static files apart."""

    def __init__(self, page, motif: str = "/carte/fichiers/"):
        self.motif, self.octets, self.urls, self.statiques = motif, 0, [], 0
        page.on("requestfinished", self._fini)

    def _fini(self, request):
        try:
            taille = request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 - a request the page dropped meanwhile
            return
        if self.motif in request.url:
            self.octets += taille
            self.urls.append(request.url)
        elif "/_stcore/" not in request.url:
            self.statiques += taille


def premiere_vue(browser, adresse: str, naif: bool = False) -> dict:
    """Bytes of a first view (fresh context: empty cache) and, for ours, of a change of indicator."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    frames, fichiers = FrameCounter(page), Fichiers(page)
    page.add_init_script(f"({_GUETTEUR})({json.dumps(naif)})")
    page.goto(adresse)
    page.wait_for_function("window.__pret !== null && performance.now() - window.__pret > 1000", timeout=180_000,
                           polling=100)
    wait_idle(page, timeout=180_000)
    out = {"ws": frames.bytes, "fichiers": fichiers.octets, "statiques": fichiers.statiques,
           "urls": list(fichiers.urls)}
    if not naif:
        cadre = page.wait_for_selector('iframe[src*="carte_communes"]').content_frame()
        out["dessin"] = cadre.evaluate("window.carteDessin")
        avant_ws, avant_f, rendus = frames.bytes, fichiers.octets, cadre.evaluate("window.carteRendus")
        page.click('.st-key-carte_indicateur button[aria-label="Open"]')
        page.get_by_role("option", name="Pire état sanitaire actuel des objets").click()
        wait_idle(page, timeout=180_000)
        cadre.wait_for_function(f"window.carteRendus > {rendus} && window.carteDessin.traces === window.carteDessin.total",
                                timeout=60_000)
        out["changement_ws"], out["changement_fichiers"] = frames.bytes - avant_ws, fichiers.octets - avant_f
    context.close()
    return out


def temps_utilisable(playwright, adresse: str, naif: bool | str = False) -> float:
    """Seconds from navigation to a usable page, in a new chromium process."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(f"({_GUETTEUR})({json.dumps(naif)})")
        page.goto(adresse, wait_until="commit")
        page.wait_for_function("window.__pret !== null && performance.now() - window.__pret > 1000",
                               timeout=180_000, polling=100)
        return page.evaluate("window.__pret") / 1000
    finally:
        browser.close()


def _ko(octets: float) -> str:
    return f"{octets / 1000:8.1f} Ko"


def _verdict(ok: bool) -> str:
    return "tenu" if ok else "NON TENU"


def bench(url: str, runs: int = 10, echo=print) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    logs = settings.PROJECT_ROOT / ".local"
    logs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        naive_script = Path(tmp) / "naive_communes.py"
        naive_script.write_text(NAIVE_PAGE, encoding="utf-8")
        vide_script = Path(tmp) / "page_vide.py"
        vide_script.write_text(PAGE_VIDE, encoding="utf-8")
        (Path(tmp) / "static").symlink_to(settings.STATIC_DIR)
        app, base = start_server(settings.SERVER_SCRIPT, url, logs / "bench-carte-nationale.log")
        naive, naive_base = start_server(naive_script, url, logs / "bench-carte-nationale-naive.log")
        vide, vide_base = start_server(vide_script, url, logs / "bench-carte-nationale-vide.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                premiere_vue(browser, base + ADRESSE)          # the server's first run, not counted
                nous = premiere_vue(browser, base + ADRESSE)
                naif = premiere_vue(browser, naive_base + "/", naif=True)
                browser.close()
                temps_utilisable(p, base + "/carte", naif=True)    # the server's first run of that page
                temps_utilisable(p, vide_base + "/", naif="vide")
                temps, temps_dep, temps_vide = [], [], []
                for _ in range(ESSAIS):   # interleaved: the machine's load weighs on each alike
                    temps.append(temps_utilisable(p, base + ADRESSE))
                    temps_dep.append(temps_utilisable(p, base + "/carte", naif=True))
                    temps_vide.append(temps_utilisable(p, vide_base + "/", naif="vide"))
                temps_naif = temps_utilisable(p, naive_base + "/", naif=True)
        finally:
            for proc in (app, naive, vide):
                serving.stop(proc)
    carte = nous["ws"] + nous["fichiers"]
    naif_octets = naif["ws"] + naif["fichiers"]
    ratio = naif_octets / carte if carte else float("nan")
    utilisable = statistics.median(temps)
    figures.update({
        "carte_nationale.premiere_vue.octets": carte, "carte_nationale.premiere_vue.ws_octets": nous["ws"],
        "carte_nationale.premiere_vue.fichiers_octets": nous["fichiers"],
        "carte_nationale.premiere_vue.statiques_octets": nous["statiques"],
        "carte_nationale.naif.octets": naif_octets, "carte_nationale.ratio_octets": ratio,
        "carte_nationale.utilisable_s": utilisable, "carte_nationale.naif.utilisable_s": temps_naif,
        "carte_nationale.page_vide.utilisable_s": statistics.median(temps_vide),
        "carte_nationale.france_departements.utilisable_s": statistics.median(temps_dep),
        "carte_nationale.changement.octets": nous["changement_ws"] + nous["changement_fichiers"],
        "carte_nationale.communes_dessinees": nous["dessin"]["traces"],
    })
    echo(f"== /carte France par commune ({nous['dessin']['traces']} communes dessinées) à côté de la carte naïve "
         "(GeoJson folium de toutes les communes), même exécution")
    echo(f"  première vue, données de carte {_ko(carte)}  (websocket {_ko(nous['ws'])} + géométrie "
         f"{_ko(nous['fichiers'])}, {len(nous['urls'])} fichier(s))   naïf {_ko(naif_octets)}   "
         f"{ratio:5.1f} x moins   objectif ≤ {OBJECTIF_OCTETS / 1e6:g} Mo : {_verdict(carte <= OBJECTIF_OCTETS)} ; "
         f"≥ {OBJECTIF_RATIO} x : {_verdict(ratio >= OBJECTIF_RATIO)}")
    echo(f"    hors compte : fichiers statiques (Streamlit, page du composant, Leaflet) {_ko(nous['statiques'])}")
    echo(f"  utilisable (toutes les communes dessinées) {utilisable:5.2f} s (mesures "
         f"{', '.join(f'{t:.2f}' for t in temps)})   naïf {temps_naif:5.2f} s   objectif ≤ {OBJECTIF_S:g} s : "
         f"{_verdict(utilisable <= OBJECTIF_S)}")
    echo(f"    même exécution, même mesure : page Streamlit vide {statistics.median(temps_vide):5.2f} s ; "
         f"/carte par département (folium) {statistics.median(temps_dep):5.2f} s")
    changement = nous["changement_ws"] + nous["changement_fichiers"]
    echo(f"  changement d'indicateur {_ko(changement)}  (géométrie refetchée : {_ko(nous['changement_fichiers'])})   "
         f"objectif ≤ {OBJECTIF_CHANGEMENT // 1000} Ko : {_verdict(changement <= OBJECTIF_CHANGEMENT)}")
    echo(f"  dessin du canevas {nous['dessin']['ms']:.0f} ms, décodage de la géométrie {nous['dessin']['decodeMs']:.0f} ms")
    return figures


if __name__ == "__main__":  # python -m dashboard.bench.carte_nationale
    bench(settings.database_url())
