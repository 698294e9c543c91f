"""The project-local PostGIS cluster, exercised for real on a throwaway project root.

One cluster is created for the whole module (initdb takes a couple of seconds) and removed
at the end: server stopped, its directory deleted.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.ops import localdb

BINDIR = localdb.find_pg_bindir()
needs_server = pytest.mark.skipif(
    BINDIR is None or not localdb.postgis_available(BINDIR),
    reason="PostgreSQL/PostGIS non installés (apt-get install -y postgresql postgis)",
)


@pytest.fixture(scope="module")
def project_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("checkout")
    yield root
    paths = localdb.cluster_paths(root)
    try:
        localdb.stop(root, echo=lambda _: None)
    except localdb.LocalDBError:
        # Last resort so no server outlives the test run.
        try:
            pid = int((paths.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
    if paths.run_as:
        shutil.rmtree(paths.data_dir.parent, ignore_errors=True)
    if not paths.socket_dir.is_relative_to(root):
        shutil.rmtree(paths.socket_dir, ignore_errors=True)


def quiet(_message: str) -> None:
    pass


def test_cluster_paths_as_root_live_outside_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    paths = localdb.cluster_paths(tmp_path)
    base = paths.data_dir.parent
    assert base.parent == Path("/var/lib/postgresql/objets")
    assert len(base.name) == 12 and int(base.name, 16) >= 0
    assert paths.socket_dir.parent == base and paths.log_file.parent == base
    assert paths.run_as == "postgres"
    assert not base.exists()  # computing paths creates nothing
    # The same checkout always maps to the same cluster; another one never does.
    assert localdb.cluster_paths(tmp_path / ".") == paths
    assert localdb.cluster_paths(tmp_path / "other").data_dir != paths.data_dir


@pytest.fixture
def court():
    """A checkout with a short path: pytest's own temporary paths are longer under xdist
    (.../popen-gw0/...), enough to put a socket path over the limit."""
    chemin = Path(tempfile.mkdtemp(prefix="co", dir="/tmp"))
    yield chemin
    shutil.rmtree(chemin, ignore_errors=True)


def test_cluster_paths_as_user_stay_in_the_checkout(monkeypatch, court):
    tmp_path = court
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    paths = localdb.cluster_paths(tmp_path)
    assert paths.data_dir == tmp_path.resolve() / ".local" / "pg" / "data"
    assert paths.socket_dir == tmp_path.resolve() / ".local" / "pg" / "socket"
    assert paths.run_as is None
    # A socket path over the limit moves to /tmp.
    deep = tmp_path / ("x" * 120)
    long_paths = localdb.cluster_paths(deep)
    assert long_paths.data_dir == deep.resolve() / ".local" / "pg" / "data"
    assert str(long_paths.socket_dir).startswith("/tmp/objets-")
    assert len(os.fsencode(long_paths.socket_dir / ".s.PGSQL.5432")) <= 100


def test_url_points_at_the_socket(tmp_path):
    socket_dir = localdb.cluster_paths(tmp_path).socket_dir
    assert localdb.url(tmp_path, "essai") == f"postgresql+psycopg://postgres@/essai?host={socket_dir}"
    assert localdb.url(tmp_path).startswith("postgresql+psycopg://postgres@/objets?host=")


def test_missing_postgresql_or_postgis_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(localdb, "find_pg_bindir", lambda: None)
    monkeypatch.setattr(localdb, "_is_bindir", lambda path: False)
    with pytest.raises(localdb.LocalDBError, match=r"^PostgreSQL introuvable : apt-get install -y postgresql"):
        localdb.ensure_started(tmp_path, echo=quiet)
    monkeypatch.undo()
    if BINDIR is None:
        pytest.skip("PostgreSQL non installé")
    monkeypatch.setattr(localdb, "postgis_available", lambda bindir: False)
    major = BINDIR.parent.name
    with pytest.raises(localdb.LocalDBError, match=rf"^PostGIS introuvable .*postgresql-{major}-postgis-3$"):
        localdb.ensure_started(tmp_path, echo=quiet)
    assert not localdb.cluster_paths(tmp_path).data_dir.parent.exists()  # failed before creating anything


@needs_server
def test_start_is_idempotent(project_root):
    messages: list[str] = []
    paths = localdb.ensure_started(project_root, echo=messages.append)
    first = localdb.status(project_root)
    assert first["running"] and first["pid"]
    assert first["data_dir"] == paths.data_dir and first["socket_dir"] == paths.socket_dir
    assert first["log_file"].is_file()
    assert messages  # each step was announced

    messages.clear()
    assert localdb.ensure_started(project_root, echo=messages.append) == paths
    assert localdb.status(project_root)["pid"] == first["pid"]
    assert len(messages) == 1 and "déjà démarré" in messages[0]

    state = json.loads((project_root / ".local" / "cluster.json").read_text())
    assert state["data_dir"] == str(paths.data_dir)
    assert state["socket_dir"] == str(paths.socket_dir)


@needs_server
def test_database_with_postgis_over_the_socket(project_root):
    localdb.ensure_started(project_root, echo=quiet)
    localdb.ensure_database(project_root, "objets_essai")
    localdb.ensure_database(project_root, "objets_essai")  # already there: no error
    engine = sa.create_engine(localdb.url(project_root, "objets_essai"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
            version = conn.exec_driver_sql("SELECT postgis_full_version()").scalar()
            listen = conn.exec_driver_sql("SHOW listen_addresses").scalar()
            encoding = conn.exec_driver_sql("SHOW server_encoding").scalar()
    finally:
        engine.dispose()
    assert version.startswith('POSTGIS="3')
    assert listen == ""  # no TCP at all
    assert encoding == "UTF8"


@needs_server
def test_restart_after_kill_9(project_root):
    localdb.ensure_started(project_root, echo=quiet)
    old_pid = localdb.status(project_root)["pid"]
    os.kill(old_pid, signal.SIGKILL)
    # At once: the old postmaster may still be dying, then an unreaped zombie, and its
    # postmaster.pid and socket lock are left behind.
    localdb.ensure_started(project_root, echo=quiet)
    new = localdb.status(project_root)
    assert new["running"] and new["pid"] != old_pid
    engine = sa.create_engine(localdb.url(project_root, "postgres"))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()


@needs_server
def test_stop_then_start_again(project_root):
    localdb.ensure_started(project_root, echo=quiet)
    localdb.stop(project_root, echo=quiet)
    assert not localdb.status(project_root)["running"]
    messages: list[str] = []
    localdb.stop(project_root, echo=messages.append)  # already stopped: no error
    assert messages == ["Serveur PostgreSQL déjà arrêté"]
    localdb.ensure_started(project_root, echo=quiet)
    assert localdb.status(project_root)["running"]


@needs_server
def test_failed_start_quotes_the_server_log(project_root, monkeypatch):
    localdb.ensure_started(project_root, echo=quiet)
    localdb.stop(project_root, echo=quiet)
    monkeypatch.setitem(localdb.SERVER_SETTINGS, "shared_buffers", "beaucoup")
    with pytest.raises(localdb.LocalDBError) as error:
        localdb.ensure_started(project_root, echo=quiet)
    message = str(error.value)
    assert message.startswith("Le serveur PostgreSQL n'a pas démarré")
    assert "shared_buffers" in message  # the log line naming the bad setting
    monkeypatch.undo()
    localdb.ensure_started(project_root, echo=quiet)
    assert localdb.status(project_root)["running"]
