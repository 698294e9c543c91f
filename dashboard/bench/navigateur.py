"""`objets bench`, the browser part (issue 11): how long a new user waits, and many users at once.

- Time to a usable page: a fresh headless chromium (a new browser process, empty cache, for
  each measure) opens the page; the time runs from navigation (the page's time origin) until
  the page is usable: the script idle, the page's own content shown (the map drawn in its
  frame for /carte, the table for /urgences) and still so a second later (a rerun started
  meanwhile moves the instant to its end). Median of 5, beside an empty Streamlit page
  served the same way. Goal: <= 3 s.
- Many users at once: 50 sessions opened at the same moment over Streamlit's websocket (no
  browser; dashboard/bench/sessions.py) on /, /carte?departement=62 and /urgences, and on a
  bare one-line page before and after them; the time until all 50 had finished, and its
  ratio to the bare page's (their mean). Goal: <= 2x. No session may fail or show an error
  (tests/browser/test_sessions_simultanees.py holds that part).
  The bare page is served twice: with the app's settings (.streamlit/config.toml), and with
  Streamlit's default full garbage collection after each run (runner.postScriptGC), which
  the app turns off. That collection was most of what a bare page cost (3.1 s for 50
  sessions against 0.3 s without it, 2026-12-02): against the app's own settings the ratio
  measures the app's work over almost nothing; against the default, what the goal was set
  against (a plain Streamlit page).

Each server has run its page once before it is measured (a server in service is warm). The
map's tiles are off (OBJETS_TILES_URL empty): the time measured is the app's, not a tile
server's. Visitors are the demo's default identity (the administrator, France).
"""
from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from dashboard import settings
from dashboard.bench import sessions
from dashboard.ops import serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
PAGE_VIDE = 'import streamlit as st; st.write("Page vide")\n'
OBJECTIF_S = 3.0
OBJECTIF_RATIO = 2.0
ESSAIS = 5
SESSIONS = 50

# (name, path, CSS selector of the page's own content, whether a map must be drawn)
PAGES = [
    ("carte_france", "/carte", "iframe", True),
    ("carte_62", "/carte?departement=62", "iframe", True),
    ("urgences", "/urgences", '[data-testid="stDataFrame"]', False),
]
PAGE_VIDE_ATTENDU = '[data-testid="stMarkdown"]'
CHARGES = ["/", "/carte?departement=62", "/urgences"]

def guetteur(parametres: str, corps: str) -> str:
    """The watcher installed before a page's own scripts: every 25 ms, is the page usable
    (`corps`, a JavaScript function body returning a boolean, with `parametres` in scope)?
    `__pret` is the instant (ms since navigation) it last became so, null while it is not."""
    return ("\n(" + parametres + ") => {\n"
            "  if (window !== window.top) return;   // a map's frame: looked into from the page\n"
            "  window.__pret = null;\n"
            "  const usable = () => {\n" + corps + """  };
  setInterval(() => {
    const ok = usable();
    if (ok && window.__pret === null) window.__pret = performance.now();
    if (!ok) window.__pret = null;
  }, 25);
}
""")


_GUETTEUR = guetteur("[attendu, carte]", """    if (!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')) return false;
    if (!document.querySelector(attendu)) return false;
    if (!carte) return true;
    const f = document.querySelector('iframe[src*="streamlit_folium"]');
    try {
      return !!(f && f.contentWindow.map && f.contentDocument.querySelector(
        '.leaflet-overlay-pane canvas, .leaflet-overlay-pane path'));
    } catch (e) { return false; }
""")


def temps_utilisable(playwright, adresse: str, attendu: str, carte: bool, timeout: float = 120.0) -> float:
    """Seconds from navigation to a usable page, in a new chromium process."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(f"({_GUETTEUR})({json.dumps([attendu, carte])})")
        page.goto(adresse, wait_until="commit")
        page.wait_for_function("window.__pret !== null && performance.now() - window.__pret > 1000",
                               timeout=timeout * 1000, polling=100)
        return page.evaluate("window.__pret") / 1000
    finally:
        browser.close()


def _ecrire_page_vide(dossier: Path) -> Path:
    script = dossier / "page_vide.py"
    script.write_text(PAGE_VIDE, encoding="utf-8")
    return script


def _serveurs(url: str, dossier: Path):
    """(app, bare page, bare page with Streamlit's default collection): (process, base URL) each."""
    logs = settings.PROJECT_ROOT / ".local"
    started = []
    try:
        started.append(serving.start(url, logs / "bench-navigateur.log", extra_env={"OBJETS_TILES_URL": ""}))
        vide = _ecrire_page_vide(dossier)
        started.append(serving.start(url, logs / "bench-navigateur-vide.log", script=vide))
        started.append(serving.start(url, logs / "bench-navigateur-vide-gc.log", script=vide,
                                     extra_env={"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}))
    except Exception:
        for proc, _ in started:
            serving.stop(proc)
        raise
    return started


def _verdict(ok: bool) -> str:
    return "tenu" if ok else "NON TENU"


def bench_temps(app_base: str, vide_base: str, echo=print) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    echo(f"== temps jusqu'à une page utilisable (chromium neuf à chaque mesure, médiane de {ESSAIS} ; "
         f"de la navigation au script au repos, contenu affiché, carte dessinée)")
    with sync_playwright() as p:
        cas = [("page_vide", vide_base + "/", PAGE_VIDE_ATTENDU, False)] + [
            (name, app_base + path, attendu, carte) for name, path, attendu, carte in PAGES]
        for name, adresse, attendu, carte in cas:
            temps_utilisable(p, adresse, attendu, carte)   # the server's first run of the page, not counted
            mesures = [temps_utilisable(p, adresse, attendu, carte) for _ in range(ESSAIS)]
            median = statistics.median(mesures)
            figures[f"{name}.utilisable_s"] = median
            detail = ", ".join(f"{m:.2f}" for m in mesures)
            but = "" if name == "page_vide" else f"   objectif ≤ {OBJECTIF_S:g} s : {_verdict(median <= OBJECTIF_S)}"
            echo(f"  {name:<14} {median:5.2f} s  (mesures {detail}){but}")
    return figures


def _charge(base: str, path: str) -> sessions.Charge:
    sessions.charge(base, path, 1)   # the server's first run of the page, not counted
    return sessions.charge(base, path, SESSIONS)


def memoire_mo(pid: int | None) -> float:
    """Resident memory of process `pid` in MB (Linux /proc), NaN without a pid."""
    if pid is None:
        return float("nan")
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def bench_sessions(app_base: str, vide_base: str, vide_gc_base: str | None = None, echo=print,
                   app_pid: int | None = None) -> dict:
    figures: dict[str, float] = {}
    echo(f"== {SESSIONS} sessions ouvertes au même instant (websocket de Streamlit, sans navigateur) ; "
         "temps jusqu'à la fin de la dernière")
    avant = _charge(vide_base, "/")
    avant_gc = _charge(vide_gc_base, "/") if vide_gc_base else None
    charges, memoire = [], []
    for path in CHARGES:
        sessions.charge(app_base, path, 1)   # the server's first run of the page, not counted
        avant_mo = memoire_mo(app_pid)
        charges.append(sessions.charge(app_base, path, SESSIONS))
        memoire.append((avant_mo, memoire_mo(app_pid)))
    apres = _charge(vide_base, "/")
    apres_gc = _charge(vide_gc_base, "/") if vide_gc_base else None
    vide = (avant.seconds + apres.seconds) / 2
    figures["page_vide.sessions_s"] = vide
    echo(f"  page d'une ligne       {vide:6.1f} s  (avant {avant.seconds:.1f} s, après {apres.seconds:.1f} s)"
         f"   échecs : {len(avant.failed) + len(apres.failed)}")
    vide_gc = None
    if avant_gc and apres_gc:
        vide_gc = (avant_gc.seconds + apres_gc.seconds) / 2
        figures["page_vide_gc.sessions_s"] = vide_gc
        echo(f"  page d'une ligne, ramasse-miettes complet après chaque exécution (défaut de Streamlit) "
             f"{vide_gc:.1f} s  (avant {avant_gc.seconds:.1f} s, après {apres_gc.seconds:.1f} s)"
             f"   échecs : {len(avant_gc.failed) + len(apres_gc.failed)}")
    for charge, (avant_mo, apres_mo) in zip(charges, memoire):
        key = {"/": "accueil", "/carte?departement=62": "carte_62", "/urgences": "urgences"}[charge.page]
        # What the server still holds once the sessions have ended (Streamlit keeps up to
        # 128 disconnected sessions for 2 minutes): the page's data each session kept.
        figures[f"{key}.sessions_memoire_mo"] = apres_mo
        figures[f"{key}.sessions_mo_par_session"] = (apres_mo - avant_mo) / SESSIONS
        ratio = charge.seconds / vide if vide else float("nan")
        figures[f"{key}.sessions_s"], figures[f"{key}.sessions_ratio"] = charge.seconds, ratio
        figures[f"{key}.sessions_echecs"] = len(charge.failed)
        figures[f"{key}.sessions_octets"] = charge.bytes_per_session
        contre_defaut = ""
        if vide_gc:
            figures[f"{key}.sessions_ratio_defaut"] = charge.seconds / vide_gc
            contre_defaut = (f" ; {charge.seconds / vide_gc:4.2f} x la page d'une ligne de Streamlit par défaut "
                             f"(objectif : {_verdict(charge.seconds / vide_gc <= OBJECTIF_RATIO)})")
        echo(f"  {charge.page:<22} {charge.seconds:6.1f} s  = {ratio:4.2f} x   objectif ≤ {OBJECTIF_RATIO:g} x : "
             f"{_verdict(ratio <= OBJECTIF_RATIO)}{contre_defaut} ; {charge.bytes_per_session / 1e6:.2f} Mo envoyés "
             f"par session ; serveur {apres_mo:.0f} Mo après, +{(apres_mo - avant_mo) / SESSIONS:.1f} Mo par session ; "
             f"échecs : {len(charge.failed)}"
             + (f" ({charge.failed[0].why()})" if charge.failed else ""))
    return figures


def bench(url: str, runs: int = 10, echo=print) -> dict:
    """Both measures on the database at `url` (`runs` is not used: 5 browsers, 50 sessions)."""
    with tempfile.TemporaryDirectory() as tmp:
        serveurs = _serveurs(url, Path(tmp))
        (_, app_base), (_, vide_base), (_, vide_gc_base) = serveurs
        try:
            figures = bench_temps(app_base, vide_base, echo)
            figures.update(bench_sessions(app_base, vide_base, vide_gc_base, echo, app_pid=serveurs[0][0].pid))
        finally:
            for proc, _ in serveurs:
                serving.stop(proc)
    return figures


if __name__ == "__main__":  # python -m dashboard.bench.navigateur: against the `make run` database
    bench(settings.database_url())
