"""Fixtures of the import tests: a private database with reference data, a local HTTP server."""
from __future__ import annotations

import http.server
import threading
import time

import pytest


@pytest.fixture
def import_db_url(fresh_database, reference_template, tmp_path, monkeypatch) -> str:
    """A private database with the reference data and no demo; reports go to tmp_path."""
    monkeypatch.setenv("OBJETS_DATA_DIR", str(tmp_path / "data"))
    return fresh_database(reference_template)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server's API
        status, kind, body, delay = self.routes.get(self.path, (404, "text/plain", b"introuvable", 0))
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def local_imports(monkeypatch):
    """URL imports may reach 127.0.0.1 (refused by default: dashboard.importer.telechargement)."""
    monkeypatch.setenv("OBJETS_IMPORT_HOTES", "127.0.0.1")
    monkeypatch.setenv("OBJETS_IMPORT_RESEAU_LOCAL", "1")


@pytest.fixture
def http_server(local_imports):
    """A local HTTP server on 127.0.0.1, which URL imports may reach;
    `routes[path] = (status, content type, body, delay s)`."""
    routes: dict = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.routes = routes
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
