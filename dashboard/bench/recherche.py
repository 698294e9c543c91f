"""Benchmark of the search by name and of the inbox (issue 11), wired into `objets bench`.

- Suggestion lists: the database time of each search (planning + execution, as EXPLAIN
  ANALYZE reports them with node timing off; median of `runs` after one) over the whole
  national demo (34,875 communes, 275,926 objets), for texts people type: a full name
  without accents nor hyphens, its start, two letters, a common word, a REF, a part of one,
  words of a title and of an édifice. For the whole of France (an administrator; the
  sign-in page's commune search has no scope) and for the demo conservateur (Nord and
  Pas-de-Calais). The worst of them is the figure set beside the goal.
- The inbox (/a-examiner) under AppTest in a fresh process (dashboard.bench.apptest): cold,
  its first run (after the home page's, which registers the pages: imports are not counted); warm, the median of `runs` reruns of the same session (its reads cached);
  for the demo conservateur and the administrator.
Targets (issue 11): a suggestion list <= 50 ms of database time; the inbox warm <= 0.3 s.
"""
from __future__ import annotations

import statistics
import textwrap

import sqlalchemy as sa

from dashboard import db, settings
from dashboard.bench import apptest
from dashboard.db import sql
from dashboard.domain import identity
from dashboard.reads import recherche, users

TARGETS = {"suggestions": 0.050, "inbox_warm": 0.3}

COMMUNES = ("courcelles les lens", "Courcelles-lès", "saint etienne", "sa", "lens", "ville", "ain", "62249",
            "zzz introuvable")
OBJETS = ("calice", "vierge enfant", "statue saint", "ostensoir", "chasuble", "PMZ0166002", "PMZ01660",
          "eglise saint martin", "croix de", "zzz introuvable")


def _server(conn, name: str, params: dict, runs: int) -> float:
    """Seconds the database spends on one statement (planning + execution)."""
    text = sql.statement(name).text
    times = []
    for _ in range(runs + 1):
        plan = conn.execute(sa.text("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + text), params).scalar()
        times.append((plan[0]["Planning Time"] + plan[0]["Execution Time"]) / 1000)
    return statistics.median(times[1:])


def _demo_user(conn, role: str) -> int:
    return conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role) ORDER BY id LIMIT 1"),
                        {"r": role}).scalar_one()


def _inbox(url: str, user_id: int, runs: int) -> tuple[float, float]:
    """(cold, warm) seconds of the inbox's script: the first run of a fresh process, then the
    median of `runs` reruns of the same session (its reads cached)."""
    code = textwrap.dedent(f'''
        import statistics, time
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(settings.APP_SCRIPT)!r}, default_timeout=120)
        at.session_state["user_id"] = {user_id}
        at.run()  # the inbox's URL is not its file's name: a first run registers the pages
        at.switch_page({str(settings.PAGES_DIR / "a_examiner.py")!r})
        times = []
        for _ in range({runs} + 1):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit("/a-examiner : " + at.exception[0].message)
        print(times[0], statistics.median(times[1:]))
    ''')
    return apptest.temps_froid_chaud(code, url)


def bench(url: str, runs: int = 10, echo=print) -> dict:
    figures: dict[str, float] = {}
    with db.engine_for(url).connect() as conn:
        n_communes = conn.execute(sa.text("SELECT count(*) FROM commune")).scalar()
        n_objets = conn.execute(sa.text("SELECT count(*) FROM objet")).scalar()
        conservateur, admin = _demo_user(conn, "conservateur"), _demo_user(conn, "admin")
        scope = users.resolve_scope(conn, conservateur)
        lignes = {"conservateur": sql.fetch_one(conn, "dossiers_a_examiner", **scope.params())["count"],
                  "france": sql.fetch_one(conn, "dossiers_a_examiner", **identity.NATIONAL.params())["count"]}
        echo(f"== recherche : liste de suggestions, temps dans la base (médiane de {runs}) sur "
             f"{n_communes} communes et {n_objets} objets")
        pires = []
        for quoi, nom, textes in (("communes", "recherche_communes", COMMUNES),
                                  ("objets", "recherche_objets", OBJETS)):
            for perimetre, libelle in ((identity.NATIONAL, "France"), (scope, "conservateur démo")):
                mesures = {}
                for texte in textes:
                    params = {"texte": texte, "limite": recherche.COMMUNES_PROPOSEES, **perimetre.params()}
                    if quoi == "objets":
                        params.update(limite=recherche.OBJETS_PROPOSES, candidats=recherche.OBJETS_CANDIDATS)
                    mesures[texte] = _server(conn, nom, params, runs)
                pire = max(mesures, key=mesures.get)
                cle = f"{quoi}_{'france' if perimetre is identity.NATIONAL else 'conservateur'}"
                figures[f"{cle}_max"] = mesures[pire]
                figures[f"{cle}_median"] = statistics.median(mesures.values())
                pires.append(mesures[pire])
                echo(f"  {quoi}, {libelle} : médiane {figures[f'{cle}_median'] * 1000:.1f} ms, pire "
                     f"{mesures[pire] * 1000:.1f} ms (« {pire} ») — objectif <= 50 ms : "
                     f"{'tenu' if mesures[pire] <= TARGETS['suggestions'] else 'NON TENU'}")
                echo("    " + " ; ".join(f"« {t} » {s * 1000:.1f}" for t, s in mesures.items()))
        figures["suggestions_max"] = max(pires)
        echo(f"  pire liste de suggestions : {figures['suggestions_max'] * 1000:.1f} ms (objectif <= 50 ms : "
             f"{'tenu' if figures['suggestions_max'] <= TARGETS['suggestions'] else 'NON TENU'})")

    echo(f"== dossiers à examiner (/a-examiner) : exécution du script (AppTest ; à froid = première exécution de la "
         f"page dans un nouveau processus, après l'accueil qui enregistre les pages ; à chaud = médiane de {runs} "
         "réexécutions)")
    for cle, user_id, libelle in (("conservateur", conservateur, "conservateur démo"),
                                  ("france", admin, "administrateur, France")):
        cold, warm = _inbox(url, user_id, runs)
        figures[f"inbox_{cle}_warm"] = warm
        figures[f"inbox_{cle}_cold"] = cold
        echo(f"  {libelle}, {lignes[cle]} dossiers : à froid {cold:.3f} s ; médiane à chaud "
             f"{warm:.3f} s (objectif <= 0,3 s : {'tenu' if warm <= TARGETS['inbox_warm'] else 'NON TENU'})")
    return figures
