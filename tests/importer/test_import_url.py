"""URL imports against a local HTTP server: only http(s) hosts of the allow-list, no loopback,
private or link-local address (also after each redirection) unless the setting allows them, a
byte cap, an overall deadline, and nothing of the remote answer quoted back.

Name resolution is the only thing simulated (no DNS here): `_resoudre` answers for the
official host names, and `_ouvrir` takes the one public address used here to the local
server; it refuses any other address, so a test fails if the downloader ever connects to an
address it did not check."""
from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

from dashboard.importer import ImportFailure, telechargement

from import_helpers import FIXTURES

PUBLIC = "93.184.216.34"          # a global address, mapped to the local server below
OFFICIAL = "ministere-culture.s3.sbg.io.cloud.ovh.net"
PORTAL = "data.culture.gouv.fr"


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 - http.server's API
        self.seen.append((self.path, self.headers.get("Host"), self.headers.get("Authorization")))
        kind, *args = self.routes.get(self.path, ("body", 404, b"introuvable", True))
        try:
            if kind == "redirect":
                self.send_response(302)
                self.send_header("Location", args[0])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif kind == "body":
                status, body, with_length = args
                self.send_response(status, "Raison-Secrete")
                self.send_header("Content-Type", "text/csv")
                if with_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
            elif kind == "drip":
                count, interval = args
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(count))
                self.end_headers()
                for _ in range(count):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(interval)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """A local server, the default settings (no OBJETS_IMPORT_*), and a simulated DNS:
    `server.dns[name] = [addresses]`."""
    for name in ("OBJETS_IMPORT_HOTES", "OBJETS_IMPORT_RESEAU_LOCAL", "OBJETS_IMPORT_MAX_OCTETS",
                 "OBJETS_IMPORT_DELAI_TOTAL", "OBJETS_PALISSY_URL_POP", "OBJETS_PALISSY_URL_OPENDATA"):
        monkeypatch.delenv(name, raising=False)
    handler = type("Handler", (_Handler,), {"routes": {}, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    httpd.routes, httpd.seen, httpd.port = handler.routes, handler.seen, port
    httpd.dns = {OFFICIAL: [PUBLIC], PORTAL: [PUBLIC]}
    httpd.connected = []
    real_open = telechargement._ouvrir

    def resolve(host, _port):
        if host in httpd.dns:
            return httpd.dns[host]
        if host in ("127.0.0.1", "::1"):
            return [host]
        raise socket.gaierror(f"nom inconnu : {host}")

    def open_socket(address, _port, timeout):
        httpd.connected.append(address)
        if address == PUBLIC:
            return real_open("127.0.0.1", port, timeout)
        if address == "127.0.0.1" and _port == port:
            return real_open("127.0.0.1", port, timeout)
        raise AssertionError(f"connexion à une adresse non vérifiée : {address}")

    monkeypatch.setattr(telechargement, "_resoudre", resolve)
    monkeypatch.setattr(telechargement, "_ouvrir", open_socket)
    httpd.url = lambda host, path: f"http://{host}:{port}{path}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def fetch(url, tmp_path, timeout=5.0):
    return telechargement.fetch(url, timeout=timeout, directory=tmp_path)


def refused(url, tmp_path, needle, timeout=5.0) -> str:
    with pytest.raises(ImportFailure) as failure:
        fetch(url, tmp_path, timeout)
    message = str(failure.value)
    assert needle in message, message
    assert not list(tmp_path.glob("telechargement-*")), "a partial download was left behind"
    return message


def test_an_official_host_downloads(server, tmp_path):
    body = (FIXTURES / "opendata.csv").read_bytes()
    server.routes["/palissy.csv"] = ("body", 200, body, True)
    source = fetch(server.url(OFFICIAL, "/palissy.csv"), tmp_path)
    try:
        assert source.path.read_bytes() == body and source.label == server.url(OFFICIAL, "/palissy.csv")
    finally:
        source.close()
    assert server.connected == [PUBLIC]
    assert server.seen[-1][1] == f"{OFFICIAL}:{server.port}"       # the host name, not the address


def test_loopback_is_refused_by_default_even_on_the_allow_list(server, tmp_path, monkeypatch):
    server.routes["/palissy.csv"] = ("body", 200, b"REF;INSEE\r\n", True)
    refused(server.url("127.0.0.1", "/palissy.csv"), tmp_path, "hôte non autorisé")
    monkeypatch.setenv("OBJETS_IMPORT_HOTES", "127.0.0.1")
    refused(server.url("127.0.0.1", "/palissy.csv"), tmp_path, "adresse locale, privée ou réservée")
    assert server.seen == [] and server.connected == []
    # The setting the other tests of a local server use.
    monkeypatch.setenv("OBJETS_IMPORT_RESEAU_LOCAL", "1")
    fetch(server.url("127.0.0.1", "/palissy.csv"), tmp_path).close()
    assert [path for path, *_ in server.seen] == ["/palissy.csv"]


def test_other_schemes_and_hosts_are_refused_before_any_connection(server, tmp_path):
    for url in ("ftp://data.culture.gouv.fr/x.csv", "file:///etc/passwd", "http://exemple.fr/palissy.csv",
                f"http://{OFFICIAL}.exemple.fr/palissy.csv", "http://[::1]/palissy.csv"):
        with pytest.raises(ImportFailure):
            telechargement.check_url(url)
        with pytest.raises(ImportFailure):
            fetch(url, tmp_path)
    assert server.connected == [] and server.seen == []


def test_a_redirection_to_127_0_0_1_is_refused(server, tmp_path):
    server.routes["/palissy.csv"] = ("redirect", server.url("127.0.0.1", "/interne"))
    server.routes["/interne"] = ("body", 200, b"REF;INSEE\r\n", True)
    message = refused(server.url(OFFICIAL, "/palissy.csv"), tmp_path, "redirection refusée")
    assert "127.0.0.1" not in message and "interne" not in message        # the Location is not quoted
    assert [path for path, *_ in server.seen] == ["/palissy.csv"]


@pytest.mark.parametrize("target", ["127.0.0.1", "10.1.2.3", "[::1]"])
def test_a_redirection_to_a_local_or_private_address_on_the_allow_list_is_refused(server, tmp_path, monkeypatch,
                                                                                 target):
    # Even with the address itself on the allow-list, the default address rule refuses it:
    # the redirection is checked like the first URL, and nothing connects to it.
    monkeypatch.setenv("OBJETS_IMPORT_HOTES", f"{OFFICIAL},127.0.0.1,10.1.2.3,::1")
    server.dns["10.1.2.3"] = ["10.1.2.3"]
    server.routes["/palissy.csv"] = ("redirect", server.url(target, "/interne"))
    server.routes["/interne"] = ("body", 200, b"REF;INSEE\r\n", True)
    message = refused(server.url(OFFICIAL, "/palissy.csv"), tmp_path, "adresse locale, privée ou réservée")
    assert "interne" not in message
    assert [path for path, *_ in server.seen] == ["/palissy.csv"] and server.connected == [PUBLIC]


@pytest.mark.parametrize("addresses", [["127.0.0.1"], ["10.1.2.3"], ["192.168.1.20"], ["172.16.0.9"],
                                       ["169.254.169.254"], ["::1"], ["fe80::1"], ["fd00::5"], ["0.0.0.0"],
                                       ["::ffff:127.0.0.1"], [PUBLIC, "10.0.0.1"]])
def test_a_redirection_to_a_name_that_resolves_to_a_local_or_private_address_is_refused(server, tmp_path,
                                                                                        addresses):
    # The portal's name is on the allow-list; what it resolves to decides (every address).
    server.dns[PORTAL] = addresses
    server.routes["/palissy.csv"] = ("redirect", server.url(PORTAL, "/interne"))
    server.routes["/interne"] = ("body", 200, b"REF;INSEE\r\n", True)
    refused(server.url(OFFICIAL, "/palissy.csv"), tmp_path, "adresse locale, privée ou réservée")
    assert [path for path, *_ in server.seen] == ["/palissy.csv"]
    assert server.connected == [PUBLIC]


def test_a_redirection_to_another_official_host_is_followed_without_the_credentials(server, tmp_path):
    server.routes["/palissy.csv"] = ("redirect", server.url(PORTAL, "/vrai.csv"))
    server.routes["/vrai.csv"] = ("body", 200, b"REF;INSEE\r\nPM01000001;01004\r\n", True)
    url = server.url(OFFICIAL, "/palissy.csv").replace("http://", "http://agent:secret@")
    source = fetch(url, tmp_path)
    source.close()
    (first, _, auth1), (second, _, auth2) = server.seen
    assert (first, second) == ("/palissy.csv", "/vrai.csv")
    assert auth1 is not None and auth2 is None
    assert source.label == server.url(OFFICIAL, "/palissy.csv")


def test_redirections_are_limited(server, tmp_path):
    server.routes["/boucle"] = ("redirect", "/boucle")
    refused(server.url(OFFICIAL, "/boucle"), tmp_path, "trop de redirections")
    assert len(server.seen) == telechargement.MAX_REDIRECTIONS + 1


@pytest.mark.parametrize("with_length", [True, False])
def test_an_oversized_body_is_refused(server, tmp_path, monkeypatch, with_length):
    monkeypatch.setenv("OBJETS_IMPORT_MAX_OCTETS", "1000")
    server.routes["/gros.csv"] = ("body", 200, b"x" * 5000, with_length)
    refused(server.url(OFFICIAL, "/gros.csv"), tmp_path, "trop volumineux (plus de 1 000 octets")
    server.routes["/petit.csv"] = ("body", 200, b"x" * 1000, with_length)
    fetch(server.url(OFFICIAL, "/petit.csv"), tmp_path).close()


def test_a_slow_body_meets_the_overall_deadline(server, tmp_path, monkeypatch):
    # Each byte comes well within the wait of 5 s; the whole would take 6 s.
    monkeypatch.setenv("OBJETS_IMPORT_DELAI_TOTAL", "1")
    server.routes["/lent.csv"] = ("drip", 60, 0.1)
    started = time.monotonic()
    refused(server.url(OFFICIAL, "/lent.csv"), tmp_path, "délai total dépassé (1 s)")
    assert time.monotonic() - started < 3


def test_nothing_of_the_remote_answer_is_quoted(server, tmp_path):
    server.routes["/erreur"] = ("body", 500, b"SECRET-INTERNE: mot de passe de la base", True)
    message = refused(server.url(OFFICIAL, "/erreur"), tmp_path, "HTTP 500")
    assert "SECRET" not in message and "Raison-Secrete" not in message
