"""Streamlit glue shared by the pages: the current user, cached reads, page chrome.

Reads go through `read()`, cached on the function, its arguments and the data version
(bumped by every write), so a page never shows stale figures and a warm run costs one
tiny query.
"""
from __future__ import annotations

import importlib

import streamlit as st

from dashboard import db, settings, users
from dashboard.users import User

_USER_KEY = "user_id"


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    return db.engine_for(url)


def _connect():
    return _engine(settings.database_url()).connect()


def data_version() -> int:
    with _connect() as conn:
        return db.data_version(conn)


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(module: str, qualname: str, args: tuple, version: int, url: str):
    func = getattr(importlib.import_module(module), qualname)
    with _engine(url).connect() as conn:
        return func(conn, *args)


def read(func, *args):
    """func(conn, *args), cached until the data changes. Database trouble stops the page
    with a clear message instead of a traceback."""
    try:
        return _cached(func.__module__, func.__qualname__, args, data_version(), settings.database_url())
    except db.DatabaseError as exc:
        _stop_on(exc)
    except Exception as exc:  # a SQLAlchemy error: the server went away, or a bad state
        if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
            _stop_on(exc)
        raise


def _stop_on(exc: Exception):
    first = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    st.error("La base de données ne répond pas. Réessayez dans un instant ; si cela dure, "
             "prévenez l'équipe technique. " + (f"(détail : {first[0]})" if first else ""))
    st.stop()


def _load_demo_users() -> list[dict]:
    with _connect() as conn:
        return users.demo_users(conn)


def _load_user(user_id: int) -> User | None:
    with _connect() as conn:
        return users.load_user(conn, user_id)


def current_user() -> User:
    """The user of this session. Until sign-in exists: the demo identity picked in the sidebar."""
    try:
        demo = read(users.demo_users)
    except st.runtime.scriptrunner.StopException:  # pragma: no cover - st.stop() inside read
        raise
    if not demo:
        st.error("Aucun utilisateur de démonstration : chargez la démo (objets load demo).")
        st.stop()
    ids = [u["id"] for u in demo]
    if st.session_state.get(_USER_KEY) not in ids:
        st.session_state[_USER_KEY] = ids[0]
    user = read(users.load_user, st.session_state[_USER_KEY])
    if user is None:
        st.session_state.pop(_USER_KEY, None)
        st.error("Utilisateur inconnu.")
        st.stop()
    return user


def identity_picker() -> User:
    """The visible demo identity picker (sidebar). Every page reads the user it sets."""
    demo = read(users.demo_users)
    labels = {u["id"]: f"{u['nom']} — {users.ROLE_LABELS.get(u['role'], u['role'])}" for u in demo}
    user = current_user()
    with st.sidebar:
        st.selectbox(
            "Identité de démonstration",
            options=list(labels),
            format_func=labels.get,
            key=_USER_KEY,
            help="Tant que la connexion n'existe pas, choisissez un rôle pour voir l'application avec son périmètre.",
        )
        st.caption(f"Périmètre : {user.scope.libelle}")
    return user


def css() -> None:
    st.html(f"<style>{(settings.ASSETS_DIR / 'style.css').read_text(encoding='utf-8')}</style>")


def demo_notice() -> None:
    from dashboard import indicateurs

    if read(indicateurs.demo_present):
        st.info("Données de démonstration : objets, communes concernées et recensements sont générés "
                "(références PMZ…), seules les communes et leurs géométries sont réelles.", icon="ℹ️")


def fmt_int(value: int | None) -> str:
    return "—" if value is None else f"{value:,}".replace(",", "\u202f")


def fmt_pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f} %".replace(".", ",")


def markdown_asset(name: str) -> None:
    st.markdown((settings.ASSETS_DIR / name).read_text(encoding="utf-8"))
