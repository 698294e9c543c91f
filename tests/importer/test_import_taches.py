"""Imports started from the app run in a background process and report their progress."""
from __future__ import annotations

import time

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
