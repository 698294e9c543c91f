"""Script-run timings measured in a fresh Python process: a bench section writes the AppTest
loop (which page, which user, which query), this module runs it apart (so that "cold" means a
process with nothing cached) and reads back its two figures."""
from __future__ import annotations

import os
import subprocess
import sys

from dashboard import settings


def temps_froid_chaud(code: str, url: str) -> tuple[float, float]:
    """Runs `code`, whose last printed line is "<cold> <warm>" in seconds, against `url`."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.PROJECT_ROOT,
                         env={**os.environ, "DATABASE_URL": url})
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "AppTest a échoué")
    cold, warm = (float(x) for x in out.stdout.strip().splitlines()[-1].split())
    return cold, warm
