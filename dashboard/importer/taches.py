"""Imports started from the app: a row of import_tache, run by a background process (so that
leaving the page does not stop it), which writes its progress there for the page to poll.

`lancer` records the task and starts `python -m dashboard.importer.taches ID` in its own
session; the worker runs the same import as `objets import palissy` and ends the task as
'termine' (with its chargement) or 'echec' (with the one-line message).

One task at a time, whichever process or machine of the app starts it: launches are
serialised by a transaction-level advisory lock, and one is refused while another task
waits or runs. The worker holds a session-level advisory lock (TACHE_EN_COURS) for its whole
life, so that any process can tell a running task from one whose worker died (killed, out
of memory, machine restarted): the server releases the lock of a connection that is gone.
Such a task is marked failed (relever_mortes, run before each launch and each poll); its
import rolled back with the same connection loss.

Files: an uploaded export is deleted once its task is over (imported or not); the worker's
log (its stdout and stderr) once it ended normally; both kinds of files older than a week
(left by a machine that stopped) at the next launch.

A source URL may carry credentials (`https://utilisateur:secret@hote/…`): the task row keeps
the URL without them, and the worker receives the whole URL from its environment
(OBJETS_IMPORT_SOURCE, readable only by the service's user), never from the database.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from dashboard import db, settings
from dashboard.domain import adresses
from dashboard.db import sql
from dashboard.importer import ImportFailure


SOURCE_ENV = "OBJETS_IMPORT_SOURCE"  # the source as given (credentials included), for the worker only
# Advisory lock keys (bootstrap.LOAD_LOCK is 4_242_001, the migrations take 4_242_002).
TACHE_LANCEMENT = 4_242_012           # one launch at a time (transaction)
TACHE_EN_COURS = 4_242_013            # held by the running worker (session)
# A worker that has not taken its lock this long after its task was created did not start.
DEMARRAGE_MAX = "2 minutes"
GARDE_FICHIERS = 7 * 24 * 3600        # seconds an orphan upload or log is kept
MORT = ("le processus d'import s'est arrêté avant la fin (arrêt du serveur, mémoire…) : rien n'a été "
        "enregistré, relancez l'import")
PAS_DEMARRE = "le processus d'import n'a pas démarré : rien n'a été enregistré, relancez l'import"


class TacheRefusee(ImportFailure):
    """A task cannot start now (another one runs); the message says so, in French."""


def televersements() -> Path:
    path = settings.data_dir() / "televersements"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _log(tache_id: int) -> Path:
    return settings.data_dir() / f"import-tache-{tache_id}.log"


def relever_mortes(conn) -> list[int]:
    """Mark failed the tasks whose worker is gone (module docstring); returns their ids. Run
    in the caller's transaction: the probe's lock lasts until its end."""
    if not sql.fetch_scalar(conn, "tache_travailleur_absent", cle=TACHE_EN_COURS):
        return []   # a worker holds the lock: its task runs
    return [r[0] for r in sql.execute(conn, "tache_marquer_mortes", mort=MORT, pas_demarre=PAS_DEMARRE,
                                      demarrage=DEMARRAGE_MAX)]


def lancer(url: str, source: str, options: dict, user_id: int | None) -> int:
    """Record a task and start its worker; returns the task id. Raises TacheRefusee while
    another task waits or runs (an uploaded source is then deleted)."""
    try:
        with db.engine_for(url).begin() as conn:
            sql.execute(conn, "tache_verrou_lancement", cle=TACHE_LANCEMENT)
            relever_mortes(conn)
            active = sql.fetch_scalar(conn, "tache_active")
            if active is not None:
                raise TacheRefusee(f"un import est déjà en cours (n° {active}) : attendez qu'il se termine "
                                   "avant d'en lancer un autre")
            tache_id = sql.fetch_scalar(conn, "tache_creer", source=adresses.sans_identifiants(source),
                                        options=json.dumps(options), user_id=user_id)
    except BaseException:
        _supprimer_televersement(source)
        raise
    _purger()
    log = open(_log(tache_id), "wb")
    process = subprocess.Popen([sys.executable, "-m", "dashboard.importer.taches", str(tache_id)],
                               env={**os.environ, "DATABASE_URL": url, SOURCE_ENV: source}, cwd=settings.PROJECT_ROOT,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    with db.engine_for(url).begin() as conn:
        sql.execute(conn, "tache_pid", id=tache_id, pid=process.pid)
    return tache_id


def etat(conn, tache_id: int) -> dict | None:
    return sql.fetch_one(conn, "tache_etat", id=tache_id)


def etat_courant(url: str, tache_id: int) -> dict | None:
    """The task as it is now (a dead worker's task marked failed first), read outside the
    data-version cache (progress does not bump it)."""
    with db.engine_for(url).begin() as conn:
        relever_mortes(conn)
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
    from dashboard.importer import palissy_import

    url = settings.database_url()
    source = os.environ.pop(SOURCE_ENV, None)
    conn, write = _progress_writer(url, tache_id)
    ended_normally = False
    try:
        # Held until this process ends, whichever way: the sign that its task runs.
        if not _verrouiller(conn):
            sql.execute(conn, "tache_finir", id=tache_id, statut="echec", chargement_id=None,
                        message="un autre import est en cours : rien n'a été fait, relancez l'import ensuite")
            ended_normally = True
            return 1
        with db.engine_for(url).begin() as begin:
            tache = sql.fetch_one(begin, "tache_demarrer", id=tache_id)
        options = tache["options"] or {}
        source = source or tache["source"]
        try:
            result = palissy_import.import_palissy(
                url, source, complet=bool(options.get("complet")), force=bool(options.get("force")),
                remplacer_demo=bool(options.get("remplacer_demo")), user_id=tache["user_id"], status=write)
        except (ImportFailure, db.DatabaseError) as exc:
            sql.execute(conn, "tache_finir", id=tache_id, statut="echec",
                        message=adresses.sans_identifiants(str(exc).splitlines()[0]), chargement_id=None)
            ended_normally = True
            return 1
        except BaseException as exc:  # an unexpected error still ends the task; its trace stays in the log
            sql.execute(conn, "tache_finir", id=tache_id, statut="echec",
                        message=adresses.sans_identifiants(f"erreur inattendue : {exc}"), chargement_id=None)
            raise
        sql.execute(conn, "tache_finir", id=tache_id, statut="termine", chargement_id=result["chargement_id"],
                    message=f"{result['rows']} lignes lues, {result['imported']['total']} importées")
        ended_normally = True
        return 0
    finally:
        if source:
            _supprimer_televersement(source)
        conn.close()
        if ended_normally:
            _log(tache_id).unlink(missing_ok=True)


def _verrouiller(conn, seconds: float = 10.0) -> bool:
    """Take the worker's lock; a probe (relever_mortes) holds it for a few milliseconds at a
    time, another worker for as long as it runs."""
    deadline = time.monotonic() + seconds
    while not sql.fetch_scalar(conn, "tache_verrou_travailleur", cle=TACHE_EN_COURS):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _supprimer_televersement(source: str) -> None:
    """Delete `source` if it is an uploaded file (never a path an administrator gave)."""
    try:
        path = Path(source).resolve()
    except (OSError, ValueError):
        return
    if path.parent == televersements().resolve() and path.suffix == ".export":
        path.unlink(missing_ok=True)


def _purger() -> None:
    """Uploads and logs older than a week: left by a worker that could not clean up."""
    limit = time.time() - GARDE_FICHIERS
    for path in [*televersements().glob("*.export"), *settings.data_dir().glob("import-tache-*.log")]:
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def enregistrer(upload) -> str:
    """Keep an uploaded file (a Streamlit UploadedFile or any binary stream) for the worker;
    returns its path. The name is ours: the user's file name is never used as a path."""
    import shutil
    import uuid

    path = televersements() / f"{uuid.uuid4().hex}.export"
    with path.open("wb") as out:
        shutil.copyfileobj(upload, out, 1 << 20)
    return str(path)


if __name__ == "__main__":
    sys.exit(run(int(sys.argv[1])))
