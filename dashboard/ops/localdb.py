"""The project-local PostGIS cluster: where it lives, creating it, starting and stopping it.

This module owns one PostgreSQL cluster per checkout, reachable only through its own Unix
socket directory (no TCP at all), so a working tree and a CI clone on the same machine
never collide, nor collide with a system PostgreSQL. It records where the cluster lives
in `<project_root>/.local/cluster.json`.

The server refuses to run as root. When we are root, everything the server touches (data,
socket, log) lives under /var/lib/postgresql/objets/<hash>/, owned by the `postgres`
system user, and initdb/pg_ctl run through `runuser -u postgres`; the checkout itself may
be under /root (mode 700), which that user cannot read. As a normal user, everything lives
under `<project_root>/.local/pg/` and the tools run directly.
"""
from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

PORT = 5432  # only names the socket file: no TCP listener, the socket dir is ours alone
SUPERUSER = "postgres"
ROOT_BASE = Path("/var/lib/postgresql/objets")
MAX_SOCKET_PATH = 100  # the kernel limit is 107 bytes; keep a margin
SERVER_SETTINGS = {
    # Sized for the target machine: 2 cores, 24 GB of RAM, one user loading then reading.
    "shared_buffers": "512MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    # The test suite holds up to ~70 connections at once (pooled engines of many test
    # databases, app servers, background imports); 100 left too thin a margin.
    "max_connections": "200",
}
LOG_TAIL_LINES = 15


class LocalDBError(Exception):
    """A problem with the local cluster; its message starts with one line, in French."""


@dataclass
class ClusterPaths:
    data_dir: Path
    socket_dir: Path
    log_file: Path
    run_as: str | None  # "postgres" when we are root, None otherwise


def _hash(project_root: Path) -> str:
    return hashlib.sha1(str(Path(project_root).resolve()).encode()).hexdigest()[:12]


def cluster_paths(project_root: Path) -> ClusterPaths:
    """Where the cluster of this checkout lives. Pure: creates nothing."""
    if os.geteuid() == 0:
        base = ROOT_BASE / _hash(project_root)
        return ClusterPaths(base / "data", base / "socket", base / "postgres.log", SUPERUSER)
    base = Path(project_root).resolve() / ".local" / "pg"
    socket_dir = base / "socket"
    if len(os.fsencode(socket_dir / f".s.PGSQL.{PORT}")) > MAX_SOCKET_PATH:
        socket_dir = Path("/tmp") / f"objets-{_hash(project_root)}"
    return ClusterPaths(base / "data", socket_dir, base / "postgres.log", None)


def _state_file(project_root: Path) -> Path:
    return Path(project_root) / ".local" / "cluster.json"


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path.parent.name)) or (0,)


def _is_bindir(path: Path) -> bool:
    return (path / "postgres").is_file() and (path / "initdb").is_file()


def find_pg_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding postgres and initdb, else pg_config's."""
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if _is_bindir(p)]
    if candidates:
        return max(candidates, key=_version_key)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        path = Path(out.stdout.strip())
        if _is_bindir(path):
            return path
    return None


def _pg_config(bindir: Path, option: str) -> str | None:
    tool = Path(bindir) / "pg_config"
    if not tool.is_file():
        return None
    try:
        out = subprocess.run([str(tool), option], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _major_version(bindir: Path) -> str | None:
    # "PostgreSQL 15.18 (Debian 15.18-0+deb12u1)" -> "15"
    version = _pg_config(bindir, "--version") or ""
    match = re.search(r"PostgreSQL (\d+)", version)
    if match:
        return match.group(1)
    name = Path(bindir).parent.name  # Debian layout: /usr/lib/postgresql/15/bin
    return name if name.isdigit() else None


def postgis_available(bindir: Path) -> bool:
    """Whether the PostGIS extension is installed for the server in `bindir`."""
    sharedir = _pg_config(bindir, "--sharedir")
    if sharedir is None:
        # No pg_config next to the server: fall back on Debian's layout.
        version = Path(bindir).parent.name
        sharedir = f"/usr/share/postgresql/{version}"
    return (Path(sharedir) / "extension" / "postgis.control").is_file()


def _require_bindir(paths: ClusterPaths) -> Path:
    """The binaries matching an existing cluster's version, else the newest installed."""
    try:
        version = (paths.data_dir / "PG_VERSION").read_text().strip()
    except OSError:
        version = None
    if version and _is_bindir(Path(f"/usr/lib/postgresql/{version}/bin")):
        return Path(f"/usr/lib/postgresql/{version}/bin")
    bindir = find_pg_bindir()
    if bindir is None:
        raise LocalDBError(f"PostgreSQL introuvable : apt-get install -y {_install_hint()}")
    return bindir


def _install_hint() -> str:
    """The Debian packages to install, for the version apt's `postgresql` would bring."""
    try:
        out = subprocess.run(["apt-cache", "depends", "postgresql"], capture_output=True, text=True)
        match = re.search(r"Depends: postgresql-(\d+)\b", out.stdout)
    except OSError:
        match = None
    if match:
        return f"postgresql postgresql-{match.group(1)}-postgis-3"
    return "postgresql postgis"  # outside Debian's naming: let the distribution resolve it


def _run(paths: ClusterPaths, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool, as the postgres user when we are root."""
    cmd = ["runuser", "-u", paths.run_as, "--", *args] if paths.run_as else args
    # C.UTF-8: stable English messages to parse, and CI may have no LANG at all.
    # cwd "/": the postgres user may not be allowed into our current directory.
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    env.pop("PGDATA", None)
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd="/")
    except OSError as exc:
        raise LocalDBError(f"Impossible de lancer {Path(args[0]).name} : {exc}") from None
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise LocalDBError(
            f"{Path(args[0]).name} a échoué (code {result.returncode}) : "
            + (detail[-1] if detail else "aucun message")
        )
    return result


def _make_dir(path: Path, run_as: str | None) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if run_as:
        user = pwd.getpwnam(run_as)
        os.chown(path, user.pw_uid, user.pw_gid)
    elif path.stat().st_uid != os.geteuid():
        # A shared place like /tmp: refuse a directory someone else prepared for us.
        raise LocalDBError(f"Le dossier {path} appartient à un autre utilisateur")
    path.chmod(0o700)


def _prepare_dirs(paths: ClusterPaths) -> None:
    if paths.run_as:
        try:
            pwd.getpwnam(paths.run_as)
        except KeyError:
            raise LocalDBError(
                f"Utilisateur système « {paths.run_as} » introuvable : "
                "apt-get install -y postgresql (le serveur refuse de tourner en root)"
            ) from None
        if shutil.which("runuser") is None:
            raise LocalDBError("Commande runuser introuvable : apt-get install -y util-linux")
        # The parent must be traversable by postgres but stays root's.
        ROOT_BASE.mkdir(parents=True, exist_ok=True)
        ROOT_BASE.chmod(0o755)
    try:
        _make_dir(paths.data_dir.parent, paths.run_as)
        _make_dir(paths.socket_dir, paths.run_as)
    except OSError as exc:
        raise LocalDBError(f"Impossible de préparer les dossiers du cluster : {exc}") from None


def _pid(paths: ClusterPaths, bindir: Path) -> int | None:
    """The postmaster's pid per `pg_ctl status`, None when no server runs."""
    result = _run(paths, [str(bindir / "pg_ctl"), "status", "-D", str(paths.data_dir)], check=False)
    if result.returncode != 0:  # 3: not running, 4: no data directory
        return None
    match = re.search(r"PID: (\d+)", result.stdout)
    pid = int(match.group(1)) if match else None
    # A killed postmaster stays a zombie until PID 1 reaps it, and pg_ctl counts it alive.
    return None if pid is None or _is_zombie(pid) else pid


def _accepting(paths: ClusterPaths, bindir: Path) -> bool:
    args = [str(bindir / "pg_isready"), "-q", "-h", str(paths.socket_dir), "-p", str(PORT),
            "-U", SUPERUSER, "-t", "2"]
    return _run(paths, args, check=False).returncode == 0


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _clear_zombie_locks(paths: ClusterPaths) -> None:
    """Remove lock files left by a killed postmaster that is still an unreaped zombie.

    PostgreSQL clears stale lock files itself when their pid is gone, but a zombie looks
    alive to kill(pid, 0), and some containers' PID 1 never reaps orphans.
    """
    for lock in (paths.data_dir / "postmaster.pid", paths.socket_dir / f".s.PGSQL.{PORT}.lock"):
        try:
            pid = int(lock.read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            continue
        if _is_zombie(pid):
            lock.unlink(missing_ok=True)


def _log_tail(paths: ClusterPaths) -> str:
    try:
        lines = paths.log_file.read_text(errors="replace").splitlines()
    except OSError:
        return "(journal illisible)"
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _server_options(paths: ClusterPaths) -> str:
    # pg_ctl hands -o to /bin/sh, hence the quoting.
    opts = ["-c", "listen_addresses=''", "-k", shlex.quote(str(paths.socket_dir)), "-p", str(PORT)]
    for name, value in SERVER_SETTINGS.items():
        opts += ["-c", f"{name}={value}"]
    return " ".join(opts)


def _log_size(paths: ClusterPaths) -> int:
    try:
        return paths.log_file.stat().st_size
    except OSError:
        return 0


def _start(paths: ClusterPaths, bindir: Path) -> None:
    args = [str(bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(paths.data_dir),
            "-l", str(paths.log_file), "-o", _server_options(paths)]
    _clear_zombie_locks(paths)
    # After a kill -9 of the postmaster its children take a moment to notice and detach
    # from shared memory; until then a new server refuses to start. Wait for them.
    deadline = time.monotonic() + 20
    while True:
        offset = _log_size(paths)
        if _run(paths, args, check=False).returncode == 0:
            return
        try:
            with open(paths.log_file, "rb") as log:  # only what this attempt wrote
                log.seek(offset)
                new = log.read().decode(errors="replace")
        except OSError:
            return
        if "pre-existing shared memory block" not in new or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def _write_state(project_root: Path, paths: ClusterPaths, bindir: Path) -> None:
    state = {
        "project_root": str(Path(project_root).resolve()),
        "data_dir": str(paths.data_dir),
        "socket_dir": str(paths.socket_dir),
        "log_file": str(paths.log_file),
        "run_as": paths.run_as,
        "port": PORT,
        "bindir": str(bindir),
    }
    path = _state_file(project_root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(state, indent=2) + "\n")
    except OSError as exc:
        raise LocalDBError(f"Impossible d'écrire {path} : {exc}") from None


def ensure_started(project_root: Path, echo=print) -> ClusterPaths:
    """Create the cluster if needed and start it if it is not running. Idempotent."""
    paths = cluster_paths(project_root)
    bindir = _require_bindir(paths)
    if not postgis_available(bindir):
        version = _major_version(bindir) or "<version>"
        raise LocalDBError(
            f"PostGIS introuvable pour PostgreSQL {version} : "
            f"apt-get install -y postgresql-{version}-postgis-3"
        )
    _prepare_dirs(paths)

    if not (paths.data_dir / "PG_VERSION").is_file():
        echo(f"Création du cluster PostgreSQL {_major_version(bindir) or ''} dans {paths.data_dir}")
        _run(paths, [str(bindir / "initdb"), "-D", str(paths.data_dir), "-E", "UTF8",
                     "--locale=C.UTF-8", "-A", "trust", "-U", SUPERUSER])

    pid = _pid(paths, bindir)
    # A server still starting (a concurrent call) or dying (just killed, its pid not yet
    # released): wait until it either accepts connections or is gone.
    deadline = time.monotonic() + 60
    while pid is not None and not _accepting(paths, bindir):
        if time.monotonic() > deadline:
            raise LocalDBError(
                f"Le serveur PostgreSQL (PID {pid}) ne répond pas sur {paths.socket_dir}, "
                f"voir {paths.log_file} :\n{_log_tail(paths)}"
            )
        time.sleep(0.2)
        pid = _pid(paths, bindir)
    if pid is not None:
        echo(f"Serveur PostgreSQL déjà démarré (PID {pid}, socket {paths.socket_dir})")
    else:
        echo(f"Démarrage du serveur PostgreSQL (socket {paths.socket_dir}, journal {paths.log_file})")
        _start(paths, bindir)
        # Judge by the outcome, not pg_ctl's code: a concurrent start may have won the race.
        pid = _pid(paths, bindir)
        if pid is None:
            raise LocalDBError(
                f"Le serveur PostgreSQL n'a pas démarré, voir {paths.log_file} :\n{_log_tail(paths)}"
            )
        echo(f"Serveur PostgreSQL démarré (PID {pid})")
    _write_state(project_root, paths, bindir)
    return paths


def stop(project_root: Path, echo=print) -> None:
    """Stop the server (fast shutdown: open sessions are cut). No-op when it is not running."""
    paths = cluster_paths(project_root)
    if not (paths.data_dir / "PG_VERSION").is_file():
        echo(f"Aucun cluster dans {paths.data_dir}")
        return
    bindir = _require_bindir(paths)
    if _pid(paths, bindir) is None:
        echo("Serveur PostgreSQL déjà arrêté")
        return
    echo("Arrêt du serveur PostgreSQL")
    _run(paths, [str(bindir / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(paths.data_dir)])
    echo("Serveur PostgreSQL arrêté")


def status(project_root: Path) -> dict:
    """Where the cluster lives and whether its server runs."""
    paths = cluster_paths(project_root)
    pid = None
    if (paths.data_dir / "PG_VERSION").is_file():
        pid = _pid(paths, _require_bindir(paths))
    return {
        "running": pid is not None,
        "data_dir": paths.data_dir,
        "socket_dir": paths.socket_dir,
        "log_file": paths.log_file,
        "pid": pid,
        "run_as": paths.run_as,
    }


def url(project_root: Path, dbname: str = "objets") -> str:
    """SQLAlchemy URL of `dbname` on the local cluster, through its Unix socket."""
    socket_dir = cluster_paths(project_root).socket_dir
    return f"postgresql+psycopg://{SUPERUSER}@/{quote(dbname, safe='')}?host={quote(str(socket_dir), safe='/')}"


def ensure_database(project_root: Path, dbname: str) -> None:
    """CREATE DATABASE `dbname` on the local cluster if it does not exist yet."""
    import psycopg
    from psycopg import sql

    socket_dir = cluster_paths(project_root).socket_dir
    try:
        with psycopg.connect(host=str(socket_dir), port=PORT, user=SUPERUSER, dbname="postgres",
                             autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    except psycopg.errors.DuplicateDatabase:
        pass  # created meanwhile by a concurrent caller: what we wanted
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = " (le cluster local est-il démarré ?)" if isinstance(exc, psycopg.OperationalError) else ""
        raise LocalDBError(
            f"Impossible de créer la base « {dbname} » sur le cluster local{hint} : {first}"
        ) from None
