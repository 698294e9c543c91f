"""Bad DATABASE_URL values give one clear line and a non-zero exit, never a traceback."""
import os
import subprocess
import sys

import pytest

from dashboard import db


def run_cli(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "dashboard.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=60)


@pytest.mark.parametrize("url, expected", [
    ("garbage", "mal formée"),
    ("mysql://u@localhost/x", "PostgreSQL"),
    ("postgresql+psycopg://u@127.0.0.1:1", "ne nomme aucune base"),
    ("postgresql+psycopg://u@127.0.0.1:1/x", "injoignable"),
])
def test_bad_database_url_is_one_clear_line(url, expected):
    result = run_cli("db", "status", env={"DATABASE_URL": url})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


def test_check_accepts_a_real_postgis(reference_db_url):
    db.check(reference_db_url)


def test_url_printed(reference_db_url):
    result = run_cli("db", "url", env={"DATABASE_URL": reference_db_url})
    assert result.returncode == 0
    assert result.stdout.strip().startswith("postgresql+psycopg://")
