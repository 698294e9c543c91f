"""`objets bench`, the déploiement part (issue 14), on the full-scale demo:

- the ranking for France (every commune holding objets), for the demo administrator:
  /communes-a-contacter's script run under AppTest, cold (the first run of a fresh process)
  and warm (median of `runs` reruns: the ranking cached per view and data version), goal
  warm <= 0.5 s; and where a cold run spends its time: the statement in the database, the
  score and the display of every commune (medians of `runs`);
- the map of a département's selection (the Pas-de-Calais): the bytes the server pushes
  over the websocket on a first load of /communes-a-contacter?departement=62 (Playwright
  in Debian's chromium, engineering.md "Measuring"), the map alone (the HTML handed to
  st_folium, measured without a browser), goal <= 300 KB for the map.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import date

import sqlalchemy as sa

from dashboard import db, settings
from dashboard.app.carte import dessin
from dashboard.bench import apptest
from dashboard.app.deploiement import carte, tableau, vue as vues
from dashboard.bench.carte import CHROMIUM, CHROMIUM_ARGS, FrameCounter, map_frame, start_server, wait_idle
from dashboard.domain import identity, priorite
from dashboard.reads import deploiement, geometrie
from dashboard.reads.pilotage import Territoire
from geo import maps

TARGETS = {"chaud_s": 0.5, "froid_s": 3.0, "carte_octets": 300_000}
DEPARTEMENT = "62"
PAGE = "communes_a_contacter.py"


def _tenu(ok: bool) -> str:
    return "tenu" if ok else "NON TENU"


def script_times(url: str, runs: int, query: dict | None = None) -> tuple[float, float]:
    """(cold, warm median) seconds of the ranking page's script run for the demo administrator."""
    return apptest.temps_page_admin(url, PAGE, runs, query, accueil_d_abord=True,
                                    verification='[d for d in at.dataframe if "Score (sur 100)" in d.value.columns]')


def _median(func, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs + 1):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:]), result


def map_bytes(url: str, departement: str = DEPARTEMENT) -> int:
    """Bytes of the map of a département's selection as the page builds it (the HTML
    st_folium sends), without base tiles."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        communes = deploiement.communes(conn, identity.NATIONAL, "admin", Territoire(None, departement))
        geo = geometrie.geometrie(conn, identity.NATIONAL, "communes", None, departement)
    classement = priorite.classer(vues.selection(communes, vues.Filtres()), priorite.PAR_DEFAUT, date.today().year)
    fmap = dessin.construire_carte(geo, carte.couche(geo, classement), fond=maps.base_map())
    return len(fmap.get_root().render().encode("utf-8"))


def page_bytes(url: str, query: str) -> int:
    """Bytes the server pushes on a first load of /communes-a-contacter`query`, the map drawn."""
    from playwright.sync_api import sync_playwright

    logs = settings.PROJECT_ROOT / ".local"
    proc, base = start_server(settings.APP_SCRIPT, url, logs / "bench-deploiement.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            counter = FrameCounter(page)
            page.goto(base + "/communes-a-contacter" + query)
            wait_idle(page)
            map_frame(page)
            wait_idle(page)
            total = counter.bytes
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return total


def bench(url: str, runs: int = 10, echo=print) -> dict:
    figures: dict[str, float] = {}
    echo(f"== déploiement : le classement de la France (toutes les communes détenant des objets), médianes de {runs}")
    with db.engine_for(url).connect() as conn:
        lecture, communes = _median(lambda: deploiement.communes(conn, identity.NATIONAL, "admin", Territoire()), runs)
    score, classement = _median(lambda: priorite.classer(communes, priorite.PAR_DEFAUT, date.today().year), runs)
    affichage, _ = _median(lambda: tableau.affichage(classement), runs)
    figures |= {"france.communes": len(communes), "france.lecture_s": lecture, "france.score_s": score,
                "france.affichage_s": affichage}
    echo(f"  {len(communes)} communes : lecture (requête) {lecture * 1000:.0f} ms ; score {score * 1000:.0f} ms ; "
         f"tableau affiché {affichage * 1000:.0f} ms")
    csv_s, _ = _median(lambda: tableau.csv_bytes(classement), 3)
    xlsx_s, _ = _median(lambda: tableau.xlsx_bytes(classement), 1)
    figures |= {"france.export_csv_s": csv_s, "france.export_xlsx_s": xlsx_s}
    echo(f"  exports pour le publipostage (toutes les communes) : CSV {csv_s:.1f} s, XLSX {xlsx_s:.1f} s")
    cold, warm = script_times(url, runs)
    figures["france.froid_s"], figures["france.chaud_median_s"] = cold, warm
    echo(f"  /communes-a-contacter (administrateur, France, AppTest) : à froid {cold:.2f} s "
         f"(objectif ≤ {TARGETS['froid_s']:g} s : {_tenu(cold <= TARGETS['froid_s'])}) ; médiane à chaud "
         f"{warm:.3f} s (objectif ≤ {TARGETS['chaud_s']:g} s : {_tenu(warm <= TARGETS['chaud_s'])})")

    echo(f"== déploiement : carte de la sélection d'un département ({DEPARTEMENT})")
    carte_seule = map_bytes(url)
    figures["carte_departement.carte_octets"] = carte_seule
    echo(f"  carte seule (HTML remis à st_folium, sans fond) {carte_seule / 1000:.1f} Ko   objectif ≤ "
         f"{TARGETS['carte_octets'] // 1000} Ko : {_tenu(carte_seule <= TARGETS['carte_octets'])}")
    try:
        total = page_bytes(url, f"?departement={DEPARTEMENT}")
    except Exception as exc:  # noqa: BLE001 - a bench prints what it could not measure
        echo(f"  page entière : non mesurée ({type(exc).__name__} : {str(exc)[:120]})")
    else:
        figures["carte_departement.page_octets"] = total
        echo(f"  page entière au premier chargement (trames websocket : carte, tableau, formulaires) "
             f"{total / 1000:.1f} Ko")
    cold, warm = script_times(url, runs, {"departement": DEPARTEMENT})
    figures["departement.froid_s"], figures["departement.chaud_median_s"] = cold, warm
    echo(f"  /communes-a-contacter?departement={DEPARTEMENT} : à froid {cold:.2f} s ; médiane à chaud {warm:.3f} s")
    return figures


if __name__ == "__main__":  # python -m dashboard.bench.deploiement [runs]: against the app's database
    bench(settings.database_url(), int(sys.argv[1]) if len(sys.argv) > 1 else 10)
