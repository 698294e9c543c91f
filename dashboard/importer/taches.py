"""Imports started from the app: a row of import_tache, run by a background process (so that
leaving the page does not stop it), which writes its progress there for the page to poll.

`lancer` records the task and starts `python -m dashboard.importer.taches ID` in its own
session; the worker runs the same import as `objets import palissy` and ends the task as
'termine' (with its chargement) or 'echec' (with the one-line message).

A source URL may carry credentials (`https://utilisateur:secret@hote/…`): the task row keeps
the URL without them, and the worker receives the whole URL from its environment
(OBJETS_IMPORT_SOURCE, readable only by the service's user), never from the database.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import sqlalchemy as sa

from dashboard import db, settings
from dashboard.domain import adresses
from dashboard.db import sql


SOURCE_ENV = "OBJETS_IMPORT_SOURCE"  # the source as given (credentials included), for the worker only


def lancer(url: str, source: str, options: dict, user_id: int | None) -> int:
    """Record a task and start its worker; returns the task id."""
    with db.engine_for(url).begin() as conn:
        tache_id = sql.fetch_scalar(conn, "tache_creer", source=adresses.sans_identifiants(source),
                                    options=json.dumps(options), user_id=user_id)
    log = open(settings.data_dir() / f"import-tache-{tache_id}.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "dashboard.importer.taches", str(tache_id)],
                               env={**os.environ, "DATABASE_URL": url, SOURCE_ENV: source}, cwd=settings.PROJECT_ROOT,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    with db.engine_for(url).begin() as conn:
        sql.execute(conn, "tache_pid", id=tache_id, pid=process.pid)
    return tache_id


def etat(conn, tache_id: int) -> dict | None:
    return sql.fetch_one(conn, "tache_etat", id=tache_id)


def etat_courant(url: str, tache_id: int) -> dict | None:
    """The task as it is now, read outside the data-version cache (progress does not bump it)."""
    with db.engine_for(url).connect() as conn:
        return etat(conn, tache_id)


def dernieres(conn) -> "pd.DataFrame":  # noqa: F821 - pandas frame
    return sql.fetch_df(conn, "tache_dernieres")


def _progress_writer(url: str, tache_id: int):
    engine = sa.create_engine(db.parse_url(url), poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    conn = engine.connect()
    # Progress updates are not user writes: no audit row for each.
    sql.execute(conn, "chargement_session_en_masse")

    def write(progress: dict) -> None:
        sql.execute(conn, "tache_progression", id=tache_id, progression=json.dumps(progress))

    return conn, write


def run(tache_id: int) -> int:
    """The worker: run the task's import; returns the exit code."""
    from dashboard.importer import ImportFailure, palissy_import

    url = settings.database_url()
    with db.engine_for(url).begin() as conn:
        tache = sql.fetch_one(conn, "tache_demarrer", id=tache_id)
    options = tache["options"] or {}
    source = os.environ.pop(SOURCE_ENV, None) or tache["source"]
    conn, write = _progress_writer(url, tache_id)
    try:
        result = palissy_import.import_palissy(
            url, source, complet=bool(options.get("complet")), force=bool(options.get("force")),
            remplacer_demo=bool(options.get("remplacer_demo")), user_id=tache["user_id"], status=write)
    except (ImportFailure, db.DatabaseError) as exc:
        sql.execute(conn, "tache_finir", id=tache_id, statut="echec",
                    message=adresses.sans_identifiants(str(exc).splitlines()[0]), chargement_id=None)
        return 1
    except BaseException as exc:  # an unexpected error still ends the task
        sql.execute(conn, "tache_finir", id=tache_id, statut="echec",
                    message=adresses.sans_identifiants(f"erreur inattendue : {exc}"), chargement_id=None)
        raise
    sql.execute(conn, "tache_finir", id=tache_id, statut="termine", chargement_id=result["chargement_id"],
                message=f"{result['rows']} lignes lues, {result['imported']['total']} importées")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(run(int(sys.argv[1])))


def enregistrer(upload) -> str:
    """Keep an uploaded file (a Streamlit UploadedFile or any binary stream) for the worker;
    returns its path. The name is ours: the user's file name is never used as a path."""
    import shutil
    import uuid

    directory = settings.data_dir() / "televersements"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}.export"
    with path.open("wb") as out:
        shutil.copyfileobj(upload, out, 1 << 20)
    return str(path)
