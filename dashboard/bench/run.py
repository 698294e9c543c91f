"""`objets bench`: the figures the issues ask for, measured in one run, medians quoted.

- Full-scale load: migrations, reference data, demo, timed step by step, into a throwaway
  database beside the app's (never the `make run` one).
- Home page script run: median of N AppTest runs after one warm-up run.
- Then each section of SECTIONS (dashboard/bench/__init__.py).
"""
from __future__ import annotations

import importlib
import os
import statistics
import time
import uuid

import sqlalchemy as sa

from dashboard.ops import bootstrap
from dashboard import db, settings
from dashboard.bench import SECTIONS


def _admin(url: str):
    return sa.create_engine(db.parse_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                            poolclass=sa.pool.NullPool)


def _fresh_database(url: str) -> str:
    name = f"objets_bench_{uuid.uuid4().hex[:8]}"
    with _admin(url).connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # name made of hex digits here
    return db.parse_url(url).set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    name = db.parse_url(url).database
    db.engine_for.cache_clear()
    with _admin(url).connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def apptest_median(url: str, script: str, runs: int, switch_to: str | None = None) -> tuple[float, float]:
    """(cold, median warm) script-run seconds of the app under AppTest."""
    from streamlit import logger as st_logger
    from streamlit.testing.v1 import AppTest

    from dashboard.bench.comme_un_serveur import installer

    installer()
    # AppTest's "missing ScriptRunContext" noise (a filter: AppTest resets logger levels).
    st_logger.get_logger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    os.environ["DATABASE_URL"] = url
    app = str(settings.APP_SCRIPT)
    times = []
    for i in range(runs + 1):
        at = AppTest.from_file(app, default_timeout=60)
        if switch_to:
            at.switch_page(switch_to)
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"{script} : {at.exception[0].message}")
    return times[0], statistics.median(times[1:])




def run(scale: float = 1.0, runs: int = 10, echo=print, only: tuple[str, ...] = ()) -> dict:
    base = bootstrap.prepare_server(echo=lambda *_: None)
    db.check(base)
    url = _fresh_database(base)
    previous = os.environ.get("DATABASE_URL")
    figures: dict[str, float] = {}
    try:
        echo(f"== chargement complet (échelle {scale}) dans une base jetable")
        total = time.perf_counter()
        for step in bootstrap.setup(url, demo=True, scale=scale, echo=lambda *_: None):
            figures[f"load.{step.name}"] = step.seconds
            detail = ""
            if step.detail and "secondes" in step.detail:
                detail = "  (" + ", ".join(f"{k} {v:.1f} s" for k, v in step.detail["secondes"].items()) + ")"
            echo(f"  {step.name:<10} {step.seconds:6.1f} s{detail}")
        figures["load.total"] = time.perf_counter() - total
        echo(f"  {'total':<10} {figures['load.total']:6.1f} s   objectif < 60 s : "
             f"{'tenu' if figures['load.total'] < 60 else 'NON TENU'}")

        echo(f"== page d'accueil : temps d'exécution du script (AppTest, médiane de {runs} après 1 à froid)")
        cold, warm = apptest_median(url, "accueil", runs)
        figures["accueil.cold"], figures["accueil.warm_median"] = cold, warm
        echo(f"  à froid {cold:.3f} s ; médiane à chaud {warm:.3f} s   objectif < 0,5 s : "
             f"{'tenu' if warm < 0.5 else 'NON TENU'}")

        for section, module_name in SECTIONS.items():
            if only and section not in only:
                continue
            module = importlib.import_module(module_name)
            for key, value in (module.bench(url, runs, echo) or {}).items():
                if isinstance(value, (int, float)):
                    figures[f"{section}.{key}"] = value
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        _drop(url)
    return figures
