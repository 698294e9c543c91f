"""Starting a Streamlit server in a child process on a free loopback port, and waiting
until it answers: used by the browser tests and by the benchmark."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboard import settings

# The server entry (st.App: the script and the sign-in routes), as `objets serve` runs it.
APP = settings.SERVER_SCRIPT


class ServerError(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(database_url: str, log: Path, script: Path = APP, extra_env: dict | None = None,
          timeout: float = 90, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """(process, base URL) of a server of `script` on `database_url` (on `port`, else a free
    one); its output goes to `log`."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(settings.PROJECT_ROOT),
           **(extra_env or {})}
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.enableStaticServing", "true",
         "--secrets.files", str(Path(env.get("OBJETS_SECRETS_FILE") or settings.secrets_file()))],
        cwd=settings.PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                return proc, base
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.kill()
    raise ServerError(f"le serveur Streamlit n'a pas démarré (journal : {log})")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
