"""Benchmark of the Palissy import (issues 3 and 12): a generated full-scale open-data CSV
(300,000 rows, 64 columns, about 300 MB; PM notices mixed with IM and EM ones) and the same
rows in the layout of the full POP export (`|`, BOM, labels in their own case), each imported
into a throwaway copy of `url`, alternately, against the pinned naive baseline
`pandas.read_csv(dtype=str)` + `to_sql(chunksize=10_000)` of every column of the portal's
file into an unindexed table, same run. The full export must import within 10 % of the
portal's file (issue 12).

Each measurement runs in a child process: its wall time, and its peak memory as
resource.getrusage(RUSAGE_SELF).ru_maxrss of that child (the Python process only; the
PostgreSQL server's memory is not counted). Medians over the runs; targets: import < 20 s,
peak < 1 GB, at least 3x faster than the baseline, the full POP export within 10 % of the
portal's file.
"""
from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from dashboard.ops import bootstrap
from dashboard import db, settings

ROWS = 300_000
SEED = 1


def _admin(url: str):
    return sa.create_engine(db.parse_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT",
                            poolclass=sa.pool.NullPool)


def _url_for(url: str, name: str) -> str:
    return db.parse_url(url).set(database=name).render_as_string(hide_password=False)


def _throwaway(url: str, echo) -> str:
    """A copy of `url` (template copy; a fresh reference database when the source is busy),
    without its demo."""
    name = f"objets_bench_import_{uuid.uuid4().hex[:8]}"
    source = db.parse_url(url).database
    db.engine_for(url).dispose()   # a template copy needs the source without connections
    with _admin(url).connect() as conn:
        try:
            # Database names are built here from hex digits, or read from the given URL.
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
            echo(f"  copie de {source} dans {name}")
        except sa.exc.DBAPIError:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            echo(f"  {source} est occupée : base neuve {name} avec les données de référence")
    copy = _url_for(url, name)
    done = bootstrap.loaded(copy)
    if "reference" not in done:
        bootstrap.setup(copy, demo=False, echo=lambda *_: None)
    else:
        bootstrap.migrate.upgrade(copy)
    from dashboard.importer import palissy_import

    with db.engine_for(copy).begin() as conn:
        conn.execute(sa.text("SET LOCAL objets.bulk = 'on'"))
        palissy_import.remove_demo(conn)
    return copy


def _drop(url: str) -> None:
    name = db.parse_url(url).database
    db.engine_for.cache_clear()
    with _admin(url).connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def bench_files(url: str, echo=print) -> tuple[Path, Path]:
    """The generated files (the portal's layout, the full POP export's), made once per version of
    the generator (under .local/, git-ignored)."""
    from dashboard.bench import palissy_csv as generate

    version = hashlib.sha1(Path(generate.__file__).read_bytes()).hexdigest()[:8]
    folder = settings.PROJECT_ROOT / ".local" / "bench"
    path = folder / f"palissy-{ROWS}-{SEED}-{version}.csv"
    pop = folder / f"palissy-pop-{ROWS}-{SEED}-{version}.csv"
    if not (path.exists() and pop.exists()):
        echo(f"  génération de {path.name} et {pop.name} ({ROWS} lignes)…")
        started = time.perf_counter()
        part, pop_part = path.with_suffix(".part"), pop.with_suffix(".part")
        with db.engine_for(url).connect() as conn:
            generate.generate(conn, part, rows=ROWS, seed=SEED, pop_path=pop_part)
        part.rename(path)
        pop_part.rename(pop)
        db.engine_for(url).dispose()   # the copy below needs the source database free
        echo(f"  générés en {time.perf_counter() - started:.0f} s")
    return path, pop


def _child(kind: str, path: Path, url: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "dashboard.bench.importer", kind, str(path), url],
                         capture_output=True, text=True, cwd=settings.PROJECT_ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} : {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _reset(url: str) -> None:
    with db.engine_for(url).begin() as conn:
        conn.execute(sa.text("SET LOCAL objets.bulk = 'on'"))
        conn.execute(sa.text("DELETE FROM import_rejet"))
        conn.execute(sa.text("DELETE FROM objet"))
        conn.execute(sa.text("DELETE FROM chargement WHERE nature = 'palissy'"))
        conn.execute(sa.text("DROP TABLE IF EXISTS bench_baseline"))
    with db.engine_for(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE objet"))


def bench(url: str, runs: int = 3, echo=print) -> dict:
    """Print and return the import figures (medians) of both layouts and their ratios to the
    naive baseline and to each other."""
    echo("== import Palissy (300 000 lignes générées : CSV du portail, et les mêmes dans l'export complet de POP)")
    path, pop = bench_files(url, echo)
    size_mb, pop_mb = path.stat().st_size / 1e6, pop.stat().st_size / 1e6
    echo(f"  fichiers : {path.name} ({size_mb:.0f} Mo, ;), {pop.name} ({pop_mb:.0f} Mo, |)")
    copy = _throwaway(url, echo)
    n_import, n_base = max(1, min(runs, 3)), max(1, min(runs, 2))
    imports, pops, baselines = [], [], []

    def one(kind, file, into, label):
        _reset(copy)
        into.append(_child(kind, file, copy))
        last = into[-1]
        echo(f"  {label} : {last['seconds']:.1f} s, pic {last['peak_mb']:.0f} Mo"
             + (f" ({last['rows']} lignes, {last['imported']} importées, format {last['format']})"
                if kind == "import" else ""))

    try:
        for i in range(max(n_import, n_base)):
            if i < n_base:
                one("baseline", path, baselines, "référence naïve (pandas)")
            if i < n_import:
                # Alternately, so that the machine's drift weighs on both.
                first, second = ((path, imports, "import CSV du portail"), (pop, pops, "import export complet POP"))
                for file, into, label in ((first, second) if i % 2 == 0 else (second, first)):
                    one("import", file, into, label)
    finally:
        _drop(copy)
    seconds = statistics.median(r["seconds"] for r in imports)
    pop_seconds = statistics.median(r["seconds"] for r in pops)
    peak = max(r["peak_mb"] for r in imports + pops)
    base = statistics.median(r["seconds"] for r in baselines)
    figures = {
        "import.seconds": seconds, "import.rows_per_s": ROWS / seconds, "import.peak_mb": peak,
        "pop.seconds": pop_seconds, "pop.rows_per_s": ROWS / pop_seconds, "pop.ratio_portail": pop_seconds / seconds,
        "baseline.seconds": base, "baseline.peak_mb": max(r["peak_mb"] for r in baselines),
        "ratio": base / seconds, "pop.ratio": base / pop_seconds, "file_mb": size_mb, "pop.file_mb": pop_mb,
    }
    echo(f"  CSV du portail : médiane {seconds:.1f} s sur {len(imports)}, "
         f"{ROWS / seconds:,.0f} lignes/s".replace(",", " "))
    echo(f"  export complet POP : médiane {pop_seconds:.1f} s sur {len(pops)}, "
         f"{ROWS / pop_seconds:,.0f} lignes/s".replace(",", " "))
    echo(f"  pic mémoire {peak:.0f} Mo (RSS du processus d'import)")
    echo(f"  référence naïve : médiane {base:.1f} s sur {len(baselines)}, pic {figures['baseline.peak_mb']:.0f} Mo")
    echo(f"  rapport référence / import : CSV du portail {figures['ratio']:.1f}x, export complet POP "
         f"{figures['pop.ratio']:.1f}x ; export complet / CSV du portail {figures['pop.ratio_portail']:.2f}")
    echo(f"  objectifs : < 20 s {'tenu' if max(seconds, pop_seconds) < 20 else 'NON TENU'}, "
         f"< 1 Go {'tenu' if peak < 1024 else 'NON TENU'}, >= 3x {'tenu' if figures['ratio'] >= 3 else 'NON TENU'}, "
         f"export complet à 10 % près {'tenu' if figures['pop.ratio_portail'] <= 1.10 else 'NON TENU'}")
    return figures


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_import(path: str, url: str) -> dict:
    from dashboard.importer import palissy_import

    started = time.perf_counter()
    report = palissy_import.import_palissy(url, path, report_path=Path(path).with_suffix(".rapport.json"))
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "rows": report["rows"],
            "imported": report["imported"]["total"], "format": report["format"]}


def _child_baseline(path: str, url: str) -> dict:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str)
    engine = sa.create_engine(db.parse_url(url), poolclass=sa.pool.NullPool)
    frame.to_sql("bench_baseline", engine, if_exists="replace", index=False, chunksize=10_000)
    seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE bench_baseline"))
    return {"seconds": seconds, "peak_mb": _peak_mb(), "rows": len(frame)}


if __name__ == "__main__":  # the children of bench(): python -m dashboard.bench.importer import|baseline FILE URL
    kind, file, target = sys.argv[1:4]
    print(json.dumps((_child_import if kind == "import" else _child_baseline)(file, target)))
