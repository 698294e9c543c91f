"""Database access: engines, the one-line diagnosis of a bad DATABASE_URL, the data version.

The app's connections (`app_engine()`, `connect(app=True)`) are bounded: a statement runs
at most settings.statement_timeout() and waits for a lock at most settings.lock_timeout()
(libpq `options`, so that every pooled connection has them from its start); a statement
that exceeds them fails (`est_delai_depasse`) instead of holding a page and a connection.
Imports, the import worker and command-line loads use `engine_for(url)`: no limit.

Every committed write transaction bumps `data_version` once, at its commit
(queries/definitions/02_data_version.sql); read caches are keyed on it, so they stay
current without timers. Read it before the data it keys: data read afterwards is at least
as new as the version.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from dashboard import settings


class DatabaseError(Exception):
    """A database problem a user can act on; its message is one line, in French."""


class DelaiDepasse(DatabaseError):
    """A statement stopped by the app's time limits (statement_timeout, lock_timeout)."""


def _normalise(url: str) -> str:
    # postgres:// and postgresql:// are what hosting platforms hand out; we use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def parse_url(url: str) -> sa.URL:
    try:
        parsed = make_url(_normalise(url))
    except ArgumentError:
        raise DatabaseError(
            "DATABASE_URL mal formée : attendu postgresql+psycopg://utilisateur:motdepasse@hôte:port/base"
        ) from None
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(
            f"DATABASE_URL doit désigner PostgreSQL/PostGIS (reçu « {parsed.get_backend_name()} »)"
        )
    if not parsed.database:
        raise DatabaseError("DATABASE_URL ne nomme aucune base : ajoutez /nom_de_base à la fin")
    return parsed


@lru_cache(maxsize=8)
def engine_for(url: str, options: str | None = None) -> Engine:
    """An engine (pooled, cached by URL and options); `options`: libpq options given to
    every connection (app_engine: the app's time limits)."""
    parsed = parse_url(url)
    connect_args = {"connect_timeout": 5, "application_name": "collectif-objets"}
    if options:
        connect_args["options"] = options
    try:
        return sa.create_engine(parsed, pool_pre_ping=True, pool_size=5, connect_args=connect_args)
    except NoSuchModuleError:
        raise DatabaseError(f"pilote de base inconnu dans DATABASE_URL : {parsed.drivername}") from None


def engine() -> Engine:
    return engine_for(settings.database_url())


def limites_app() -> str:
    """The libpq options of the app's connections: its statement and lock time limits."""
    return f"-c statement_timeout={settings.statement_timeout()} -c lock_timeout={settings.lock_timeout()}"


def app_engine(url: str | None = None) -> Engine:
    """The engine of the app (pages, their saves and downloads): statements time-limited."""
    return engine_for(url or settings.database_url(), limites_app())


# SQLSTATE of a statement stopped by statement_timeout (query_canceled) or lock_timeout
# (lock_not_available).
_DELAIS = {"57014", "55P03"}


def est_delai_depasse(exc: BaseException) -> bool:
    """Whether a database error is a statement stopped by the app's time limits."""
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None) in _DELAIS


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return parse_url(url).render_as_string(hide_password=True)


def check(url: str, need_postgis: bool = True) -> None:
    """Raise DatabaseError with one clear line unless the server answers (and has PostGIS)."""
    eng = engine_for(url)
    try:
        with eng.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            if need_postgis:
                available = conn.execute(
                    sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
                ).scalar()
                if not available:
                    raise DatabaseError(
                        f"PostGIS n'est pas installé sur le serveur {describe(url)} "
                        "(Debian : apt-get install -y postgresql-15-postgis-3)"
                    )
    except DBAPIError as exc:
        raise DatabaseError(f"base injoignable ({describe(url)}) : {_first_line(exc.orig)}") from None


def _first_line(exc: BaseException | None) -> str:
    message = str(exc or "").strip().splitlines()
    return message[0] if message else type(exc).__name__


@contextmanager
def connect(url: str | None = None, *, app: bool = False):
    """A connection in a transaction, committed on success; a server that cannot be reached
    becomes DatabaseError. app=True: the app's time-limited engine (app_engine)."""
    eng = app_engine(url) if app else (engine_for(url) if url else engine())
    try:
        with eng.begin() as conn:
            yield conn
    except (DBAPIError, psycopg.OperationalError) as exc:
        if est_delai_depasse(exc):
            raise DelaiDepasse(f"requête interrompue, délai dépassé : {_first_line(getattr(exc, 'orig', exc))}") \
                from exc
        if isinstance(exc, DBAPIError) and not exc.connection_invalidated and exc.orig is not None:
            if not isinstance(exc.orig, psycopg.OperationalError):
                raise
        raise DatabaseError(f"base injoignable : {_first_line(getattr(exc, 'orig', exc))}") from None


def data_version(conn) -> int:
    """The version of the committed data: it grows at each commit of a write."""
    return int(conn.execute(sa.text("SELECT version FROM data_version")).scalar())
