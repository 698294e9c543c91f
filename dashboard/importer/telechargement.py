"""Where an export comes from: a local path, or an http(s) URL downloaded to a temporary
file that is removed once read. Errors are one French line (ImportFailure).

A URL is fetched only under these rules (dashboard.settings), because whoever may start an
import from the app would otherwise make the server fetch any address for them, its own
network's services included:
- http or https, from a host of the allow-list (OBJETS_IMPORT_HOTES; by default the two
  official hosts of the Palissy exports);
- every address the host resolves to is a public one: loopback, private, link-local and
  other non-global addresses are refused unless OBJETS_IMPORT_RESEAU_LOCAL=1; the
  connection goes to an address that was checked (a second DNS answer cannot swap it);
- redirections are followed here, each target checked the same way (at most 5; never from
  https down to http);
- at most OBJETS_IMPORT_MAX_OCTETS bytes, within OBJETS_IMPORT_DELAI_TOTAL seconds in all,
  and `timeout` seconds for each wait;
- nothing the remote server sent (its body, reason phrase, Location header) is quoted in a
  message: its status code at most.

Credentials in a URL (`https://utilisateur:secret@hote/export.csv`) are sent as HTTP Basic
authentication to that host only, and never kept: the source's label, which the import
records and shows, and every message name the URL without them (dashboard.domain.adresses).
"""
from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from dashboard import settings
from dashboard.domain import adresses
from dashboard.importer import ImportFailure

MAX_REDIRECTIONS = 5
_REDIRECTIONS = {301, 302, 303, 307, 308}


@dataclass
class Source:
    """A local file to read: the given path, or a download kept until close()."""
    path: Path
    label: str
    temporary: bool = False

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def close(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch(source: str, timeout: float = 60.0, directory: Path | None = None, echo=None) -> Source:
    """A path as is, or an http(s) URL downloaded to a temporary file under the rules of the
    module (timeout in seconds for the connection and each read)."""
    if not is_url(source):
        path = Path(source)
        if not path.exists():
            raise ImportFailure(f"fichier introuvable : {source}")
        if path.is_dir():
            raise ImportFailure(f"{source} est un dossier, pas un fichier")
        return Source(path, str(path))
    try:
        url, login = adresses.identifiants(source)
    except ValueError:
        raise ImportFailure(f"adresse illisible : {adresses.sans_identifiants(source)}") from None
    check_url(url)
    handle, name = tempfile.mkstemp(prefix="telechargement-", suffix=".part", dir=directory)
    path = Path(name)
    try:
        with open(handle, "wb") as out:
            _download(url, login, out, timeout)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Source(path, url, temporary=True)


def check_url(url: str) -> None:
    """Refuse (ImportFailure) a URL the rules forbid before any network use: not http(s), or a
    host off the allow-list (the page checks this before starting a task)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ImportFailure(f"adresse illisible : {adresses.sans_identifiants(url)}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ImportFailure("adresse refusée : seules les URL http:// ou https:// sont acceptées")
    allowed = settings.import_hotes()
    if "*" not in allowed and parts.hostname.lower() not in allowed:
        raise ImportFailure(f"hôte non autorisé pour un import : {parts.hostname} (autorisés : "
                            f"{', '.join(allowed)} ; réglage OBJETS_IMPORT_HOTES)")


# --- the network, in two functions the tests replace to simulate DNS -----------------------------

def _resoudre(host: str, port: int) -> list[str]:
    """Every address `host` resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _ouvrir(address: str, port: int, timeout: float) -> socket.socket:
    return socket.create_connection((address, port), timeout)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _addresses(host: str, port: int, url: str) -> list[str]:
    """The checked addresses of `host` (all of them must be allowed)."""
    try:
        found = _resoudre(host, port)
    except (socket.gaierror, UnicodeError, OSError):
        raise ImportFailure(f"adresse introuvable : {host} ({url})") from None
    if not found:
        raise ImportFailure(f"adresse introuvable : {host} ({url})")
    if not settings.import_reseau_local():
        for address in found:
            if not _public(address):
                raise ImportFailure(f"adresse refusée pour {host} : adresse locale, privée ou réservée "
                                    "(réglage OBJETS_IMPORT_RESEAU_LOCAL)")
    return found


def _connection(parts, addresses: list[str], timeout: float) -> http.client.HTTPConnection:
    port = parts.port or (443 if parts.scheme == "https" else 80)

    def pinned(_address, connect_timeout, _source=None):
        # To an address that was checked; TLS still verifies the certificate against the host name.
        last = None
        for address in addresses:
            try:
                return _ouvrir(address, port, connect_timeout)
            except OSError as exc:
                last = exc
        raise last

    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    conn._create_connection = pinned
    return conn


def _download(url: str, login, out, timeout: float) -> None:
    deadline = time.monotonic() + settings.import_delai_total()
    cap = settings.import_max_octets()
    origin = urlsplit(url)
    current = url

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ImportFailure(f"délai total dépassé ({settings.import_delai_total():g} s) en téléchargeant "
                                f"{url}")
        return min(timeout, left)

    try:
        for _hop in range(MAX_REDIRECTIONS + 1):
            parts = urlsplit(current)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = _addresses(parts.hostname, port, url)
            conn = _connection(parts, addresses, remaining())
            try:
                headers = {"User-Agent": "collectif-objets-dashboard", "Accept-Encoding": "identity"}
                same_origin = (parts.scheme, parts.hostname, parts.port) == \
                    (origin.scheme, origin.hostname, origin.port)
                if login is not None and same_origin:   # never to another server
                    headers["Authorization"] = "Basic " + base64.b64encode(":".join(login).encode()).decode("ascii")
                conn.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=headers)
                response = conn.getresponse()
                if response.status in _REDIRECTIONS:
                    location = response.getheader("Location")
                    if not location:
                        raise ImportFailure(f"redirection sans adresse en téléchargeant {url}")
                    following = urljoin(current, location.strip())
                    if urlsplit(following).scheme.lower() == "http" and parts.scheme == "https":
                        raise ImportFailure(f"redirection de https vers http refusée en téléchargeant {url}")
                    try:
                        check_url(following)
                    except ImportFailure:
                        # The Location header is the server's text: not quoted.
                        raise ImportFailure(f"redirection refusée en téléchargeant {url} : hôte non autorisé "
                                            "ou adresse non http(s)") from None
                    current = following
                    continue
                if response.status != 200:
                    raise ImportFailure(f"le serveur a répondu HTTP {response.status} pour {url}")
                if response.headers.get_content_type() == "text/html":
                    raise ImportFailure(f"l'URL renvoie une page HTML (page d'erreur ?) et non un export : {url}")
                declared = response.getheader("Content-Length")
                if declared and declared.strip().isdigit() and int(declared) > cap:
                    raise ImportFailure(_too_big(cap, url))
                _copy(response, conn, out, cap, remaining, url)
                return
            finally:
                conn.close()
        raise ImportFailure(f"trop de redirections (plus de {MAX_REDIRECTIONS}) en téléchargeant {url}")
    except ImportFailure:
        raise
    except (TimeoutError, socket.timeout):
        raise ImportFailure(f"délai dépassé ({timeout:g} s) en téléchargeant {url}") from None
    except ssl.SSLError as exc:
        raise ImportFailure(f"connexion sécurisée impossible à {origin.hostname} ({exc.reason or 'TLS'}) : {url}") \
            from None
    except (http.client.HTTPException, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ImportFailure(f"téléchargement impossible de {url} : {reason}") from None


def _copy(response, conn, out, cap: int, remaining, url: str) -> None:
    total = 0
    while True:
        if conn.sock is not None:
            conn.sock.settimeout(remaining())
        # read1: what has arrived, at most 1 MiB; a body that trickles in still meets the deadline.
        chunk = response.read1(1 << 20)
        if not chunk:
            break
        total += len(chunk)
        if total > cap:
            raise ImportFailure(_too_big(cap, url))
        out.write(chunk)
        remaining()


def _too_big(cap: int, url: str) -> str:
    most = f"{cap:,}".replace(",", " ")
    return f"export trop volumineux (plus de {most} octets, réglage OBJETS_IMPORT_MAX_OCTETS) : {url}"
