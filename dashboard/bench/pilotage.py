"""`objets bench`, the pilotage part (issue 13): /couverture and /restauration for France
(the demo administrator) on the full-scale demo.

- Script run under AppTest: cold = the first run of a fresh process (imports, empty caches,
  every statement of the page), warm = median of `runs` reruns of the same session after
  it; each printed beside its goal (warm <= 0.5 s, cold <= 3 s).
- The XLSX report of /couverture for France, from a connection with nothing cached (the
  statements, the tables, the workbook): median of 3, goal <= 5 s.
- Each statement of the pages for France, in the database (median of `runs`): where the
  time goes when a goal is missed.
"""
from __future__ import annotations

import statistics
import sys
import time
from datetime import date

import sqlalchemy as sa

from dashboard import db, settings
from dashboard.bench import apptest
from dashboard.app.pilotage import classement, couverture, definitions, exports, vue as vues
from dashboard.db import sql
from dashboard.domain import etat, identity
from dashboard.reads import carte, pilotage

TARGETS = {"warm": 0.5, "cold": 3.0, "xlsx": 5.0}
PAGES = ("couverture", "restauration")
STATEMENTS = ("pilotage_departements_avec_objets", "pilotage_objets_par_departement", "pilotage_dossiers",
              "pilotage_recensements", "restauration_par_territoire_et_categorie", "restauration_objets")


def _tenu(value: float, target: float) -> str:
    return f"objectif ≤ {target:g} s : {'tenu' if value <= target else 'NON TENU'}".replace(".", ",")


def rapport_xlsx(conn, scope: identity.Scope, role: str, aujourd_hui: date) -> bytes:
    """The /couverture report of the default view, from nothing cached: what the page's
    download gives (every table, the ranking, the definitions)."""
    ref = vues.avec_objets(carte.referentiel(conn, scope), pilotage.departements_avec_objets(conn, scope, role))
    vue = vues.Vue()
    echeance = vues.echeance_de(vue, aujourd_hui)
    p = couverture.page(ref, vues.departements_de(ref, vue),
                        pilotage.objets_par_departement(conn, scope, role, vue.territoire, echeance),
                        pilotage.activite(conn, scope, role, vue.territoire), echeance, aujourd_hui)
    rang = classement.classement(p, next(iter(classement.INDICATEURS)))
    lieu = vues.lieu(vue, ref, scope.libelle)
    return exports.xlsx_bytes(f"Couverture et objectif quinquennal — {lieu}", exports.sous_titre(lieu, aujourd_hui),
                              definitions.COUVERTURE_PAGE, [*p.tableaux, rang])


def _server_seconds(conn, name: str, runs: int) -> float:
    statement = sql.statement(name)
    params = {"departements": None, "commune": None, "region": None, "departement": None, "voit_securisation": True,
              "echeance": vues.echeance_par_defaut(date.today()), "etats": list(etat.MAUVAIS_OU_PERIL)}
    bound = {k: params[k] for k in statement.compile().params}
    times = []
    for _ in range(runs + 1):
        plan = conn.execute(sa.text("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement.text), bound).scalar()
        times.append((plan[0]["Planning Time"] + plan[0]["Execution Time"]) / 1000)
    return statistics.median(times[1:])


def bench(url: str, runs: int = 10, echo=print) -> dict:
    figures: dict[str, float] = {}
    echo(f"== pilotage : requêtes pour la France, dans la base (médiane de {runs})")
    with db.engine_for(url).connect() as conn:
        for name in STATEMENTS:
            seconds = _server_seconds(conn, name, runs)
            figures[f"requete.{name}_s"] = seconds
            echo(f"  {name:<36} {seconds * 1000:8.1f} ms")

    echo("== pilotage : exécution du script pour la France (administrateur ; AppTest ; à froid = première "
         f"exécution d'un nouveau processus ; à chaud = médiane de {runs} réexécutions)")
    for page in PAGES:
        cold, warm = apptest.temps_page_admin(url, f"{page}.py", runs)
        figures[f"{page}.froid_s"], figures[f"{page}.chaud_median_s"] = cold, warm
        echo(f"  /{page:<13} à froid {cold:.2f} s ({_tenu(cold, TARGETS['cold'])}) ; "
             f"médiane à chaud {warm:.3f} s ({_tenu(warm, TARGETS['warm'])})")

    echo("== pilotage : rapport XLSX de /couverture pour la France, sans cache (médiane de 3)")
    times, size = [], 0
    for _ in range(3):
        with db.engine_for(url).connect() as conn:
            started = time.perf_counter()
            size = len(rapport_xlsx(conn, identity.NATIONAL, "admin", date.today()))
            times.append(time.perf_counter() - started)
    figures["rapport_xlsx_s"] = statistics.median(times)
    seconds = figures["rapport_xlsx_s"]
    echo(f"  {seconds:.2f} s, {size / 1000:.0f} Ko ({_tenu(seconds, TARGETS['xlsx'])})")
    return figures


if __name__ == "__main__":  # python -m dashboard.bench.pilotage [runs]: against the app's database
    bench(settings.database_url(), int(sys.argv[1]) if len(sys.argv) > 1 else 10)
