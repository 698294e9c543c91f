"""Credentials in a source URL (`https://utilisateur:secret@hote/export.csv`): sent to the
server as HTTP Basic authentication, never recorded (import, report, audit, background
task, its message) nor shown (/qualite-donnees, also for imports recorded before)."""
import base64
import http.server
import json
import threading
import time

import pytest
import sqlalchemy as sa

from dashboard.domain import adresses
from dashboard.importer import ImportFailure, palissy_import, taches
from dashboard.reads import qualite
from tests.importer.import_helpers import FIXTURES, engine

SECRET = "s3cr%C3%A9t"  # percent-encoded in the URL: "s3crét"


class _Protected(http.server.BaseHTTPRequestHandler):
    seen: list = []
    body: bytes = b""

    def do_GET(self):  # noqa: N802 - http.server's API
        auth = self.headers.get("Authorization")
        self.seen.append((self.path, auth))
        if auth != "Basic " + base64.b64encode("agent:s3crét".encode()).decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="pop"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def protected_server(monkeypatch):
    monkeypatch.setenv("OBJETS_IMPORT_HOTES", "127.0.0.1")     # refused by default
    monkeypatch.setenv("OBJETS_IMPORT_RESEAU_LOCAL", "1")
    handler = type("Handler", (_Protected,), {"seen": [], "body": (FIXTURES / "opendata.csv").read_bytes()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    server.bare = f"http://127.0.0.1:{port}/export.csv"
    server.with_credentials = f"http://agent:{SECRET}@127.0.0.1:{port}/export.csv"
    server.seen = handler.seen
    yield server
    server.shutdown()
    server.server_close()


def _recorded_anywhere(url: str, needle: str) -> list[str]:
    """The tables where the import may have written its source, holding `needle`."""
    found = []
    with engine(url).connect() as conn:
        for table in ("chargement", "import_tache", "audit", "import_rejet"):
            n = conn.execute(sa.text(f"SELECT count(*) FROM {table} t WHERE strpos(t::text, :s) > 0"),
                             {"s": needle}).scalar()
            if n:
                found.append(table)
    return found


def test_strip_credentials():
    assert adresses.sans_identifiants("https://user:secret@host/x?a=b@c") == "https://host/x?a=b@c"
    assert adresses.sans_identifiants("https://u:p@ss@host:8080/x") == "https://host:8080/x"
    assert adresses.sans_identifiants("échec pour https://u:s@h/x, voir contact@exemple.fr") == \
        "échec pour https://h/x, voir contact@exemple.fr"
    assert adresses.sans_identifiants("/srv/exports/palissy.csv") == "/srv/exports/palissy.csv"
    assert adresses.identifiants("https://a%40b:p%3Aw@Hote:8443/x") == ("https://hote:8443/x", ("a@b", "p:w"))
    assert adresses.identifiants("https://hote/x") == ("https://hote/x", None)


def test_credentials_are_sent_not_recorded(import_db_url, tmp_path, protected_server):
    report = palissy_import.import_palissy(import_db_url, protected_server.with_credentials,
                                           report_path=tmp_path / "r.json")
    assert protected_server.seen[-1][1] is not None              # sent as Basic authentication
    assert report["source"] == protected_server.bare
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["source"] == protected_server.bare
    with engine(import_db_url).connect() as conn:
        assert conn.execute(sa.text("SELECT source FROM chargement WHERE id = :i"),
                            {"i": report["chargement_id"]}).scalar() == protected_server.bare
    assert _recorded_anywhere(import_db_url, "s3cr") == []
    assert _recorded_anywhere(import_db_url, "agent:") == []


def test_a_refusal_names_the_url_without_credentials(import_db_url, tmp_path, protected_server):
    wrong = protected_server.with_credentials.replace(SECRET, "mauvais")
    with pytest.raises(ImportFailure) as refused:
        palissy_import.import_palissy(import_db_url, wrong, report_path=tmp_path / "r.json")
    assert "HTTP 401" in str(refused.value) and protected_server.bare in str(refused.value)
    assert "mauvais" not in str(refused.value) and "agent" not in str(refused.value)


def test_background_task_keeps_the_url_without_credentials(import_db_url, protected_server):
    tache_id = taches.lancer(import_db_url, protected_server.with_credentials, {}, None)
    deadline = time.monotonic() + 120
    with engine(import_db_url).connect() as conn:
        assert conn.execute(sa.text("SELECT source FROM import_tache WHERE id = :i"),
                            {"i": tache_id}).scalar() == protected_server.bare
    while time.monotonic() < deadline:
        state = taches.etat_courant(import_db_url, tache_id)
        if state["statut"] not in ("en_attente", "en_cours"):
            break
        time.sleep(0.5)
    assert state["statut"] == "termine", state["message"]         # the worker had the credentials
    assert _recorded_anywhere(import_db_url, "s3cr") == []


def test_older_sources_are_shown_without_credentials_and_only_to_importers(import_db_url):
    with engine(import_db_url).begin() as conn:
        conn.execute(sa.text("INSERT INTO chargement (nature, source, fin, rapport) VALUES "
                             "('palissy', 'https://agent:vieux-secret@pop.exemple.fr/export.csv', now(), '{}')"))
    with engine(import_db_url).connect() as conn:
        runs = qualite.chargements(conn, "admin")
        assert list(runs["source"]) == ["https://pop.exemple.fr/export.csv"]
        for role in ("conservateur", "drac", "deploiement", "commune"):
            with pytest.raises(qualite.AccesRefuse):
                qualite.chargements(conn, role)
            with pytest.raises(qualite.AccesRefuse):
                qualite.rejets(conn, role, 1)
            with pytest.raises(qualite.AccesRefuse):
                qualite.raisons(conn, role, 1)
