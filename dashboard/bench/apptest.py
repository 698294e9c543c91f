"""Script-run timings measured in a fresh Python process: a bench section writes the AppTest
loop (which page, which user, which query), this module runs it apart (so that "cold" means a
process with nothing cached) and reads back its two figures."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from dashboard import settings


def temps_froid_chaud(code: str, url: str) -> tuple[float, float]:
    """Runs `code`, whose last printed line is "<cold> <warm>" in seconds, against `url`, with
    AppTest set up as a server runs a session (dashboard.bench.comme_un_serveur)."""
    code = "from dashboard.bench.comme_un_serveur import installer\ninstaller()\n" + code
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.PROJECT_ROOT,
                         env={**os.environ, "DATABASE_URL": url})
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "AppTest a échoué")
    cold, warm = (float(x) for x in out.stdout.strip().splitlines()[-1].split())
    return cold, warm


def temps_page_admin(url: str, page: str, runs: int, query: dict | None = None, accueil_d_abord: bool = False,
                     verification: str = "") -> tuple[float, float]:
    """(cold, warm median of `runs` after the cold one) seconds of the script run of `page`
    (a file of pages/) for the demo administrator, in a fresh process. `accueil_d_abord` runs
    the home page first (its imports then leave the cold figure); `verification` is a Python
    expression on `at` asserted after every run, so that a timing never measures an empty page."""
    code = textwrap.dedent(f'''
        import os, statistics, time
        os.environ["DATABASE_URL"] = {url!r}
        import sqlalchemy as sa
        from streamlit.testing.v1 import AppTest
        engine = sa.create_engine({url!r}, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            admin = conn.execute(sa.text("SELECT id FROM app_user WHERE demo AND role = CAST(:r AS role) ORDER BY id"),
                                 {{"r": "admin"}}).scalar()
        at = AppTest.from_file({str(settings.APP_SCRIPT)!r}, default_timeout=300)
        at.session_state["user_id"] = admin
        if {accueil_d_abord!r}:
            at.run()
        at.switch_page({str(settings.PAGES_DIR / page)!r})
        for k, v in {query or {}!r}.items():
            at.query_params[k] = v
        times = []
        for i in range({runs} + 1):
            started = time.perf_counter(); at.run(); times.append(time.perf_counter() - started)
            assert not at.exception, at.exception[0].message
            assert {verification or "True"}, {verification!r}
        print(times[0], statistics.median(times[1:]))
    ''')
    return temps_froid_chaud(code, url)
