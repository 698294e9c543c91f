"""Benchmark of /urgences against a full-scale demo database (wired into `objets bench`).

- The query of a département's urgent cases (median of `runs` executions after one), and
  whether its plan reads the partial index objet_recensement_courant_urgence_idx as an
  index range on departement_code; the same with the page's filters set (one query per
  view), the small query of the filters' options, and France.
- The page's script run under AppTest, warm: median of `runs` reruns of one session after
  a first run (and, for comparison, of `runs` fresh sessions, which add AppTest's own
  set-up and the visit's write; AppTest set up as a server runs a session:
  dashboard.bench.comme_un_serveur): the demo conservateur (two départements, Nord and Pas-de-Calais, the largest of France) and
  the demo administrator (France).
Targets (issue 5): query <= 20 ms for a département; script <= 0.3 s for a département,
<= 1 s for France.
"""
from __future__ import annotations

import os
import statistics
import time

import sqlalchemy as sa

from dashboard import db, settings
from dashboard.db import sql
from dashboard.domain import identity
from dashboard.reads import urgences, users

TARGETS = {"query_departement": 0.020, "script_departement": 0.3, "script_france": 1.0}


INDEX = "objet_recensement_courant_urgence_idx"
# A view with every filter of the page set (the département one inside the scope).
FILTRES = urgences.Filtres(niveaux=("prioritaire",), protections=("classe", "inscrit"), examine=False)


def _median_query(conn, scope: identity.Scope, runs: int,
                  filtres: urgences.Filtres = urgences.Filtres()) -> tuple[float, int]:
    """Seconds to get the data frame the page uses (SQL, transfer, decoding)."""
    times, rows = [], 0
    for _ in range(runs + 1):
        started = time.perf_counter()
        rows = len(urgences.cas_urgents(conn, scope, "conservateur", filtres))
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:]), rows


def _params(name: str, scope: identity.Scope, filtres: urgences.Filtres) -> dict:
    params = {"voit_securisation": True, "depuis": None, "jusqu_a": None, **scope.params(), **filtres.params()}
    return {key: value for key, value in params.items() if key in sql.statement(name).compile().params}


def _median_server(conn, scope: identity.Scope, runs: int, filtres: urgences.Filtres = urgences.Filtres(),
                   name: str = "urgences") -> tuple[float, dict]:
    """Seconds the database spends on the query itself (planning + execution, as
    EXPLAIN ANALYZE reports them, timing of nodes off), and the plan."""
    statement = sql.statement(name)
    params = _params(name, scope, filtres)
    times, plan = [], {}
    for _ in range(runs + 1):
        plan = conn.execute(sa.text("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement.text), params).scalar()
        times.append((plan[0]["Planning Time"] + plan[0]["Execution Time"]) / 1000)
    return statistics.median(times[1:]), plan[0]["Plan"]


def plage_d_index(plan: dict) -> str | None:
    """The Index Cond of the plan's scan of the partial index on urgent cases, when it is an
    index range on departement_code (None otherwise)."""
    if plan.get("Index Name") == INDEX and "departement_code" in plan.get("Index Cond", ""):
        return plan["Index Cond"]
    for child in plan.get("Plans", ()):
        found = plage_d_index(child)
        if found:
            return found
    return None


def _demo_user(conn, role: str) -> int:
    return conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role) ORDER BY id LIMIT 1"),
                        {"r": role}).scalar_one()


def _script_median(user_id: int, runs: int) -> dict:
    """Script-run seconds under AppTest: `runs` reruns of one session after a warm-up run
    (the script's own time), and `runs` fresh sessions (each also pays AppTest's set-up and
    the page's first-visit write)."""
    from streamlit.testing.v1 import AppTest

    from dashboard.bench.comme_un_serveur import installer

    installer()
    app = str(settings.APP_SCRIPT)

    def session():
        at = AppTest.from_file(app, default_timeout=120)
        at.session_state["user_id"] = user_id
        at.switch_page(str(settings.PAGES_DIR / "urgences.py"))
        return at

    def timed(at) -> float:
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"/urgences : {at.exception[0].message}")
        return seconds

    at = session()
    first = timed(at)
    rows = len(at.dataframe[0].value) if at.dataframe else 0
    reruns = [timed(at) for _ in range(runs)]
    fresh = [timed(session()) for _ in range(runs)]
    return {"first": first, "warm": statistics.median(reruns), "fresh": statistics.median(fresh), "rows": rows}


def bench(url: str, runs: int = 10, echo=print) -> dict:
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    figures: dict[str, float] = {}
    try:
        with db.engine_for(url).connect() as conn:
            conservateur = _demo_user(conn, "conservateur")
            admin = _demo_user(conn, "admin")
            scope = users.resolve_scope(conn, conservateur)
            echo(f"== /urgences : requête (médiane de {runs})")
            for dep in ("62", "59"):
                scope_dep = identity.Scope(departements=(dep,))
                server, plan = _median_server(conn, scope_dep, runs)
                seconds, rows = _median_query(conn, scope_dep, runs)
                figures[f"urgences.query_{dep}"] = server
                figures[f"urgences.dataframe_{dep}"] = seconds
                plage = plage_d_index(plan)
                figures[f"urgences.index_range_{dep}"] = float(plage is not None)
                echo(f"  département {dep} : requête {server * 1000:.1f} ms dans la base (objectif <= 20 ms : "
                     f"{'tenu' if server <= TARGETS['query_departement'] else 'NON TENU'}) ; "
                     f"{seconds * 1000:.1f} ms jusqu'au tableau pandas ({rows} cas) ; "
                     + (f"plage de l'index {INDEX} : {plage}" if plage else f"SANS plage de l'index {INDEX}"))
                server, plan = _median_server(conn, scope_dep, runs, FILTRES)
                seconds, rows = _median_query(conn, scope_dep, runs, FILTRES)
                figures[f"urgences.query_{dep}_filtres"] = server
                figures[f"urgences.dataframe_{dep}_filtres"] = seconds
                figures[f"urgences.index_range_{dep}_filtres"] = float(plage_d_index(plan) is not None)
                echo(f"    avec filtres (niveau, protection, non examinés) : {server * 1000:.1f} ms dans la base ; "
                     f"{seconds * 1000:.1f} ms jusqu'au tableau pandas ({rows} cas) ; "
                     f"{'plage' if plage_d_index(plan) else 'SANS plage'} de l'index")
                server, _ = _median_server(conn, scope_dep, runs, name="urgences_options")
                figures[f"urgences.options_{dep}"] = server
                echo(f"    choix des filtres : {server * 1000:.1f} ms dans la base")
            server, _ = _median_server(conn, identity.NATIONAL, runs)
            seconds, rows = _median_query(conn, identity.NATIONAL, runs)
            options, _ = _median_server(conn, identity.NATIONAL, runs, name="urgences_options")
            figures["urgences.query_france_server"] = server
            figures["urgences.query_france"] = seconds
            figures["urgences.options_france"] = options
            echo(f"  France : {seconds * 1000:.1f} ms ({rows} cas ; {server * 1000:.1f} ms dans la base) ; "
                 f"choix des filtres {options * 1000:.1f} ms dans la base")

        echo(f"== /urgences : exécution du script (AppTest ; médiane de {runs} réexécutions d'une session "
             f"après une première, et de {runs} sessions neuves)")
        for key, user_id, label, target in (
                ("departement", conservateur, f"conservateur démo ({', '.join(scope.departements or ())})",
                 TARGETS["script_departement"]),
                ("france", admin, "administrateur, France", TARGETS["script_france"])):
            m = _script_median(user_id, runs)
            figures[f"urgences.script_{key}"] = m["warm"]
            figures[f"urgences.script_{key}_first"] = m["first"]
            figures[f"urgences.script_{key}_fresh_session"] = m["fresh"]
            echo(f"  {label}, {m['rows']} cas : première {m['first']:.3f} s ; médiane à chaud {m['warm']:.3f} s "
                 f"(objectif <= {target:g} s : {'tenu' if m['warm'] <= target else 'NON TENU'}) ; "
                 f"session neuve {m['fresh']:.3f} s")
        figures["urgences.ratio_france_departement"] = figures["urgences.script_france"] / max(
            figures["urgences.script_departement"], 1e-9)
        echo(f"  rapport France / département (à chaud) : {figures['urgences.ratio_france_departement']:.1f}")
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
    return figures
