"""A real PostgreSQL server without PostGIS: `objets` says so in one line.

The server is a relocated copy of this machine's PostgreSQL with the PostGIS files left
out (PostgreSQL finds its share directory relative to its binaries).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from dashboard.ops import localdb


@pytest.fixture(scope="module")
def server_without_postgis():
    bindir = localdb.find_pg_bindir()
    assert bindir is not None, "PostgreSQL manquant : apt-get install -y postgresql postgresql-15-postgis-3"
    version = bindir.parent.name
    root_user = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="nopostgis-", dir="/var/lib/postgresql" if root_user else None))
    try:
        shutil.copytree(bindir.parent, base / "usr/lib/postgresql" / version, symlinks=True)
        shutil.copytree(Path("/usr/share/postgresql") / version, base / "usr/share/postgresql" / version,
                        symlinks=True, ignore=shutil.ignore_patterns("postgis*"))
        run_as = ["runuser", "-u", "postgres", "--"] if root_user else []
        if root_user:
            subprocess.run(["chown", "-R", "postgres", str(base)], check=True)
        bin_copy = base / "usr/lib/postgresql" / version / "bin"
        subprocess.run([*run_as, str(bin_copy / "initdb"), "-D", str(base / "data"), "-A", "trust", "-U",
                        "postgres", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True, cwd="/")
        subprocess.run([*run_as, str(bin_copy / "pg_ctl"), "-D", str(base / "data"), "-l", str(base / "log"),
                        "-o", f"-c listen_addresses='' -k {base} -p 5432", "-w", "start"],
                       check=True, capture_output=True, cwd="/")
        yield f"postgresql+psycopg://postgres@/postgres?host={base}"
        subprocess.run([*run_as, str(bin_copy / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "stop"],
                       capture_output=True, cwd="/")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_server_without_postgis_is_one_clear_line(server_without_postgis):
    env = {**os.environ, "DATABASE_URL": server_without_postgis}
    result = subprocess.run([sys.executable, "-m", "dashboard.cli", "db", "migrate"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "PostGIS" in lines[0] and "apt-get install" in lines[0]
