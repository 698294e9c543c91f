"""Imports started from the app run in a background process and report their progress."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.importer import taches
from import_helpers import FIXTURES, engine


def wait_for(url: str, tache_id: int, seconds: float = 90) -> dict:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with engine(url).connect() as conn:
            state = taches.etat(conn, tache_id)
        if state["statut"] in ("termine", "echec"):
            return state
        time.sleep(0.3)
    raise AssertionError(f"tâche {tache_id} non terminée : {state}")


def test_background_import_ends_with_its_chargement(import_db_url):
    tache_id = taches.lancer(import_db_url, str(FIXTURES / "opendata.csv"), {}, None)
    state = wait_for(import_db_url, tache_id)
    assert state["statut"] == "termine", state
    assert state["message"] == "28 lignes lues, 23 importées"
    assert state["progression"]["lignes"] == 28
    with engine(import_db_url).connect() as conn:
        assert conn.execute(sa.text("SELECT rapport ->> 'rows' FROM chargement WHERE id = :i"),
                            {"i": state["chargement_id"]}).scalar() == "28"


def test_background_import_failure_is_reported(import_db_url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    state = wait_for(import_db_url, taches.lancer(import_db_url, str(bad), {}, None))
    assert state["statut"] == "echec" and "en-têtes non reconnus" in state["message"]


def test_an_uploaded_file_and_the_log_are_deleted_once_imported(import_db_url, tmp_path):
    from dashboard import settings

    with open(FIXTURES / "opendata.csv", "rb") as upload:
        good = taches.enregistrer(upload)
    state = wait_for(import_db_url, taches.lancer(import_db_url, good, {}, None))
    assert state["statut"] == "termine"
    bad_file = tmp_path / "bad.csv"
    bad_file.write_bytes(b"nom;prenom\r\nDupont;Jean\r\n")
    with open(bad_file, "rb") as upload:
        bad = taches.enregistrer(upload)
    state = wait_for(import_db_url, taches.lancer(import_db_url, bad, {}, None))
    assert state["statut"] == "echec"
    assert not list(taches.televersements().iterdir())                      # both uploads deleted
    assert not list(settings.data_dir().glob("import-tache-*.log"))
    # A path an administrator gave is never deleted.
    assert bad_file.exists()


def _hold_worker_lock(url):
    """A connection that holds the worker's lock, as a running worker does."""
    conn = engine(url).connect()
    assert conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": taches.TACHE_EN_COURS}).scalar()
    return conn


def test_one_task_at_a_time_and_a_dead_one_is_marked_failed(import_db_url):
    with engine(import_db_url).begin() as conn:
        running = conn.execute(sa.text("INSERT INTO import_tache (source, statut) VALUES ('x', 'en_cours') "
                                       "RETURNING id")).scalar()
    worker = _hold_worker_lock(import_db_url)
    try:
        with open(FIXTURES / "opendata.csv", "rb") as upload:
            uploaded = taches.enregistrer(upload)
        with pytest.raises(taches.TacheRefusee, match=f"un import est déjà en cours \\(n° {running}\\)"):
            taches.lancer(import_db_url, uploaded, {}, None)
        assert not Path(uploaded).exists()                   # the refused upload is not kept
        assert taches.etat_courant(import_db_url, running)["statut"] == "en_cours"
    finally:
        worker.close()           # the worker dies: the server releases its lock
    dead = taches.etat_courant(import_db_url, running)
    assert dead["statut"] == "echec" and "arrêté avant la fin" in dead["message"]
    # The next launch is accepted.
    assert wait_for(import_db_url, taches.lancer(import_db_url, str(FIXTURES / "opendata.csv"), {}, None))[
        "statut"] == "termine"


def test_a_waiting_task_whose_worker_never_started_is_marked_failed(import_db_url):
    with engine(import_db_url).begin() as conn:
        stale = conn.execute(sa.text("INSERT INTO import_tache (source, cree_le) VALUES ('x', now() - interval "
                                     "'10 minutes') RETURNING id")).scalar()
        fresh = conn.execute(sa.text("INSERT INTO import_tache (source) VALUES ('y') RETURNING id")).scalar()
    assert taches.etat_courant(import_db_url, stale)["statut"] == "echec"
    assert "n'a pas démarré" in taches.etat_courant(import_db_url, stale)["message"]
    assert taches.etat_courant(import_db_url, fresh)["statut"] == "en_attente"   # it may be starting


def test_launches_at_the_same_time_start_one_task(import_db_url):
    barrier = threading.Barrier(3)
    started, refused = [], []

    def launch():
        barrier.wait()
        try:
            started.append(taches.lancer(import_db_url, str(FIXTURES / "opendata.csv"), {}, None))
        except taches.TacheRefusee:
            refused.append(1)

    threads = [threading.Thread(target=launch) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(started) == 1 and len(refused) == 2
    assert wait_for(import_db_url, started[0])["statut"] == "termine"


def test_a_killed_worker_leaves_its_task_failed_not_running(import_db_url, tmp_path):
    rows = "".join(f"PM01{i:06d};statue de saint {i};01004;dossier individuel\r\n" for i in range(600_000))
    big = tmp_path / "gros.csv"
    big.write_text("Reference;Titre_editorial;Cog_insee;Typologie_du_dossier\r\n" + rows, encoding="utf-8")
    tache_id = taches.lancer(import_db_url, str(big), {}, None)
    deadline = time.time() + 60
    while time.time() < deadline:
        state = taches.etat_courant(import_db_url, tache_id)
        if state["statut"] == "en_cours" and (state["progression"] or {}).get("lignes"):
            break
        time.sleep(0.05)
    assert state["statut"] == "en_cours", state
    with engine(import_db_url).connect() as conn:
        pid = conn.execute(sa.text("SELECT pid FROM import_tache WHERE id = :i"), {"i": tache_id}).scalar()
    os.kill(pid, signal.SIGKILL)        # the worker this test started
    deadline = time.time() + 30
    while time.time() < deadline and state["statut"] == "en_cours":
        time.sleep(0.2)
        state = taches.etat_courant(import_db_url, tache_id)
    assert state["statut"] == "echec" and "arrêté avant la fin" in state["message"], state
    with engine(import_db_url).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM objet")).scalar() == 0
