"""Where an export comes from: a local path, or an http(s) URL downloaded to a temporary
file that is removed once read. Errors are one French line (ImportFailure).

Credentials in a URL (`https://utilisateur:secret@hote/export.csv`) are sent as HTTP Basic
authentication and never kept: the source's label, which the import records and shows,
and every message name the URL without them (dashboard.domain.adresses)."""
from __future__ import annotations

import base64
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from dashboard.domain import adresses
from dashboard.importer import ImportFailure

# The official export (palissy.md); --download uses it.
OPEN_DATA_CSV_URL = ("https://data.culture.gouv.fr/api/explore/v2.1/catalog/datasets/"
                     "liste-des-objets-mobiliers-propriete-publique-classes-au-titre-des-monuments/exports/csv"
                     "?use_labels=true&delimiter=%3B&with_bom=false")


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
    """A path as is, or an http(s) URL downloaded to a temporary file (timeout in seconds
    for the connection and each read). Errors are one French line."""
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
    source = url  # from here on, messages and the label name the URL without its credentials
    handle, name = tempfile.mkstemp(prefix="telechargement-", suffix=".part", dir=directory)
    path = Path(name)
    try:
        with open(handle, "wb") as out:
            request = urllib.request.Request(url, headers={"User-Agent": "collectif-objets-dashboard"})
            if login is not None:  # not carried over a redirection to another server
                request.add_unredirected_header(
                    "Authorization", "Basic " + base64.b64encode(":".join(login).encode("utf-8")).decode("ascii"))
            with urllib.request.urlopen(request, timeout=timeout) as response:
                kind = response.headers.get_content_type()
                if kind == "text/html":
                    raise ImportFailure(f"l'URL renvoie une page HTML (page d'erreur ?) et non un export : {source}")
                shutil.copyfileobj(response, out, 1 << 20)
    except ImportFailure:
        path.unlink(missing_ok=True)
        raise
    except urllib.error.HTTPError as exc:
        path.unlink(missing_ok=True)
        raise ImportFailure(f"le serveur a répondu HTTP {exc.code} pour {source}") from None
    except (TimeoutError, socket.timeout):
        path.unlink(missing_ok=True)
        raise ImportFailure(f"délai dépassé ({timeout:g} s) en téléchargeant {source}") from None
    except (urllib.error.URLError, OSError) as exc:
        path.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise ImportFailure(f"délai dépassé ({timeout:g} s) en téléchargeant {source}") from None
        raise ImportFailure(f"téléchargement impossible de {source} : {reason}") from None
    return Source(path, source, temporary=True)
