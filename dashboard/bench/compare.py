"""`objets bench --compare REV`: the benchmark of another revision and of this checkout, run
alternately in one session on the same database server, and every figure of both printed
side by side with its ratio (issue 9: no figure more than 10 % slower after a refactor).

The other revision is checked out with `git worktree` under .local/bench-compare/<rev>,
with its own virtual environment (it may pin other versions); each run is a fresh process
(`<venv>/bin/python -c ...`) calling that revision's own bench function, which returns its
figures as a dict. Rounds alternate (before, after, before, after...) so that the machine's
drift over the session weighs on both alike; medians over rounds are compared.
"""
from __future__ import annotations

import inspect
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from dashboard import settings
from dashboard.bench import comme_un_serveur, migrations_neuves

# Run inside either revision: the bench module moved with the layout (dashboard.bench was one
# module before it became a package), its run() has kept its signature. Both sides get this
# checkout's AppTest set-up (comme_un_serveur) and its repeated migration of fresh databases
# (migrations_neuves), whose sources import nothing of the app.
MIGRATIONS_PAR_TOUR = 7
_RUNNER = inspect.getsource(comme_un_serveur) + inspect.getsource(migrations_neuves) + """
installer()
import json, os, sys
try:
    from dashboard.bench.run import run
except ImportError:
    from dashboard.bench import run
figures = run(scale=float(sys.argv[1]), runs=int(sys.argv[2]), only=tuple(a for a in sys.argv[3:] if a),
              echo=lambda *a, **k: print(*a, file=sys.stderr, flush=True))
figures["migrate.mediane_bases_neuves"] = mediane(os.environ["DATABASE_URL"], int(os.environ["OBJETS_MIGRATIONS_PAR_TOUR"]))
print("FIGURES " + json.dumps(figures))
"""

# Figures where more is better: a throughput, and the import's speed-up over the pandas
# baseline. Every other figure is a time, a size or a share of a naive size: less is better.
_HIGHER_IS_BETTER = ("per_s", "import.ratio")
TOLERANCE = 1.10


def checkout(rev: str, echo=print) -> Path:
    """A worktree of `rev` with its own .venv, made once and reused."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=settings.PROJECT_ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()
    path = settings.PROJECT_ROOT / ".local" / "bench-compare" / sha[:12]
    if not path.exists():
        echo(f"== copie de travail de {rev} ({sha[:12]}) dans {path}")
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=settings.PROJECT_ROOT,
                       check=True, capture_output=True)
    venv = path / ".venv"
    if not (venv / ".installed").exists():
        echo("  environnement Python et bibliothèques front-end de cette révision…")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e", ".[test]"],
                       cwd=path, check=True)
        vendor = next(p for p in (path / "dashboard" / "ops" / "vendor.sh", path / "dashboard" / "vendor.sh")
                      if p.exists())
        subprocess.run(["bash", str(vendor)], check=True)
        (venv / ".installed").touch()
    return path


def _run_once(path: Path, python: Path, url: str, scale: float, runs: int, only: tuple[str, ...], echo) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "OBJETS_MIGRATIONS_PAR_TOUR": str(MIGRATIONS_PAR_TOUR)}
    proc = subprocess.run([str(python), "-c", _RUNNER, str(scale), str(runs), *only], cwd=path, env=env,
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"le banc de {path} a échoué :\n{proc.stderr[-2000:]}")
    line = next(x for x in reversed(proc.stdout.splitlines()) if x.startswith("FIGURES "))
    return json.loads(line[len("FIGURES "):])


def compare(before_rev: str, rounds: int = 2, scale: float = 1.0, runs: int = 10, only: tuple[str, ...] = (),
            echo=print) -> list[dict]:
    """Run both revisions alternately; print and return one row per figure."""
    from dashboard.ops import bootstrap

    before = checkout(before_rev, echo)
    server = bootstrap.prepare_server(echo=lambda *_: None)  # one server for both: same settings
    sides = {"avant": (before, before / ".venv" / "bin" / "python"),
             "après": (settings.PROJECT_ROOT, Path(sys.executable))}
    results: dict[str, list[dict]] = {"avant": [], "après": []}
    for i in range(rounds):
        for side, (path, python) in sides.items():
            echo(f"== tour {i + 1}/{rounds} : {side} ({path})")
            results[side].append(_run_once(path, python, server, scale, runs, only, echo))
    rows = []
    keys = sorted(set().union(*results["avant"]) & set().union(*results["après"]))
    echo(f"\n{'mesure':<52} {'avant':>10} {'après':>10} {'après/avant':>12}   tours (avant | après)")
    for key in keys:
        before_runs = [r[key] for r in results["avant"] if key in r]
        after_runs = [r[key] for r in results["après"] if key in r]
        a, b = statistics.median(before_runs), statistics.median(after_runs)
        ratio = b / a if a else float("nan")
        worse = (ratio < 1 / TOLERANCE) if any(w in key for w in _HIGHER_IS_BETTER) else (ratio > TOLERANCE)
        rows.append({"figure": key, "before": a, "after": b, "ratio": ratio, "worse": worse,
                     "before_runs": before_runs, "after_runs": after_runs})
        spread = " ".join(f"{v:.3g}" for v in before_runs) + " | " + " ".join(f"{v:.3g}" for v in after_runs)
        echo(f"{key:<52} {a:10.3f} {b:10.3f} {ratio:11.2f}x{'  PLUS LENT DE PLUS DE 10 %' if worse else '':<28}"
             f"   {spread}")
    slower = [r["figure"] for r in rows if r["worse"]]
    echo(f"\n{len(rows)} mesures comparées (médianes de {rounds} tours alternés) ; "
         + (f"plus lentes de plus de 10 % : {', '.join(slower)}" if slower else "aucune plus lente de plus de 10 %"))
    return rows
