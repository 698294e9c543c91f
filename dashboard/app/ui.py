"""Streamlit glue shared by the pages: the current user, cached reads, page chrome.

Reads go through `read()`, cached on the function, its arguments and the data version
(bumped by every write), so a page never shows stale figures. The version is read once per
script run, at its start (`start_run()`, called by the entry script), and every read of the
run is keyed on it: a warm run costs that one tiny query. A write followed by st.rerun() is
seen by the next run, which reads the version again.

Database trouble (the server unreachable, a statement stopped by the app's time limits, any
driver error) is shown as one French sentence and stops the page; the driver's words (a
socket path, a host, SQL) go to the server log only.

Text that comes from the database or the URL goes through `sans_markdown()` before any
element that renders Markdown (st.markdown, st.title, st.caption, st.error, labels…).
"""
from __future__ import annotations

import functools
import html
import importlib
import logging
import pickle
import re

import streamlit as st

from dashboard import db, settings
from dashboard.app import choix
from dashboard.app.texte import sans_markdown  # also ui.sans_markdown, for the pages
from dashboard.domain import tableur
from dashboard.domain.formats import fmt_int, fmt_pct  # noqa: F401  (French numbers: also ui.fmt_int, ui.fmt_pct)
from dashboard.app.connexion import identite, jetons
from dashboard.domain.identity import User
from dashboard.domain.vocabulary import ROLE
from dashboard.reads import users

# How a row of a table is chosen, said under every table whose row opens something: with a
# pointer, or from the keyboard (the grid's own keys: arrows to a row, Shift+Space selects it).
SELECTIONNER_UNE_LIGNE = "Sélectionnez une ligne (au clavier : les flèches, puis Maj+Espace)"

_USER_KEY = "user_id"
_PICKER_KEY = "identite_demo"
_VERSION_KEY = "_data_version"  # the data version of the current script run (start_run)
_log = logging.getLogger(__name__)

INDISPONIBLE = ("La base de données ne répond pas : réessayez dans un instant, et si cela dure, "
                "prévenez l'équipe technique.")
TROP_LONG = ("La base de données a mis trop de temps à répondre et la lecture a été interrompue : "
             "réessayez dans un instant, ou restreignez votre sélection.")


@st.cache_resource(show_spinner=False)
def _engine(url: str, options: str):
    return db.engine_for(url, options)


def _app_engine(url: str | None = None):
    """The app's engine: statements limited in time (dashboard.db.app_engine)."""
    return _engine(url or settings.database_url(), db.limites_app())


def _connect():
    return _app_engine().connect()


def data_version() -> int:
    """The data version now (one query)."""
    with _connect() as conn:
        return db.data_version(conn)


def start_run() -> None:
    """Read the data version for this script run; the entry script calls it first."""
    st.session_state[_VERSION_KEY] = _guarded(data_version)


def run_version() -> int:
    """The data version of this run; read now if the run did not start with start_run()
    (a page script run on its own)."""
    version = st.session_state.get(_VERSION_KEY)
    return data_version() if version is None else version


def _lire(module: str, qualname: str, url: str, args: tuple):
    func = getattr(importlib.import_module(module), qualname)
    with _app_engine(url).connect() as conn:
        return func(conn, *args)


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(module: str, qualname: str, cle: bytes, version: int, url: str, _args: tuple):
    # `_args` is not hashed by Streamlit (leading underscore): `cle`, its pickle, stands for it.
    return _lire(module, qualname, url, _args)


def read(func, *args):
    """func(conn, *args), cached until the data changes (keyed on this run's data version).
    Database trouble stops the page with a clear message instead of a traceback.

    The arguments are keyed by their pickle, and passed by name: Streamlit's hashing of a
    Scope or a filters dataclass, and its lookup of each positional parameter's name
    (inspect.signature, every call), were half of a cache hit (py-spy, the home page). Equal
    pickles mean equal arguments, so the key never mixes two reads; unequal pickles of equal
    values would only cost a miss."""
    return _guarded(lambda: _cached(**_lecture(func, args)))


def _lecture(func, args: tuple, cle: tuple | None = None) -> dict:
    """The cache key of func(..., *args) in this run (`cle` stands for `args` when given,
    else `args` themselves), and the arguments it stands for."""
    return dict(module=func.__module__, qualname=func.__qualname__,
                cle=pickle.dumps(args if cle is None else cle, protocol=5),
                version=run_version(), url=settings.database_url(), _args=args)


def read_partage(func, *args):
    """As read(), but the result is shared by every session: the same object, not a copy
    (callers must not change it). For a large frame a page only reads: unpickling a copy of
    /urgences' table of France was a fifth of each session's server time."""
    return _guarded(lambda: _partage(**_lecture(func, args)))


@st.cache_resource(max_entries=64, show_spinner=False)
def _partage(module: str, qualname: str, cle: bytes, version: int, url: str, _args: tuple):
    return _lire(module, qualname, url, _args)


def calcul(func, cle: tuple, *args):
    """func(*args), a pure function of what this run has read, kept until the data changes
    and shared by every session: the same object, not a copy (callers must not change it).
    `cle` must hold everything `args` are determined by (the user's scope, the view): the
    arguments themselves are not hashed, since hashing a geometry or a frame would cost about
    what recomputing does. The map's layer (a département's 900 communes, France's 35,000) was
    45 % of /carte's server time with 50 sessions at once, recomputed identically by each; a
    copy per session would also stay with each session (its CSV download holds the table)."""
    return _calcule(**_lecture(func, args, cle))


@st.cache_resource(max_entries=64, show_spinner=False)
def _calcule(module: str, qualname: str, cle: bytes, version: int, url: str, _args: tuple):
    return getattr(importlib.import_module(module), qualname)(*_args)


def telecharger_csv(libelle: str, table, nom: str) -> None:
    """A button that downloads `table` as `nom`.csv, French and safe (tableur.csv_bytes: ";",
    BOM, no cell read as a formula), built on click. The tables' own download is off
    (.streamlit/config.toml): a list a user may want elsewhere gets this one."""
    st.download_button(libelle, functools.partial(tableur.csv_bytes, table), f"{nom}.csv", mime="text/csv",
                       icon=":material/download:")


def carte_folium(fmap, **kwargs):
    """st_folium for every folium map of the app, without its first render of the whole page
    (render=False). st_folium renders the page around the map, throws that HTML away, then
    renders the map again to read its header and script: the first render doubled the
    server's work for the same output (tests/app/test_dessin.py compares both). Give it a
    map built in this run: st_folium changes the map it draws."""
    import streamlit_folium  # only the pages with a map pay its import

    return streamlit_folium.st_folium(fmap, render=False, **kwargs)


def au_clic(func, *args):
    """data= of a download button: func(conn, *args) read on the app's database when the
    user clicks. The session keeps its buttons' data until its next run: this holds the
    view's parameters, not its rows (the /urgences export of France kept 7 MB per session)."""
    return functools.partial(_lire, func.__module__, func.__qualname__, settings.database_url(), args)


def read_now(func, *args):
    """func(conn, *args) read now, outside the cache (what a write does not version, such as
    an import's progress); database trouble as in read()."""
    def call():
        with _connect() as conn:
            return func(conn, *args)
    return _guarded(call)


def guarded(call):
    """call() (a write, a task started from a page), with database trouble shown as one
    French sentence and the page stopped, as in read()."""
    return _guarded(call)


def _guarded(call):
    try:
        return call()
    except db.DatabaseError as exc:
        _stop_on(exc)
    except Exception as exc:  # a SQLAlchemy or driver error: the server went away, a time limit, a bad state
        if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
            _stop_on(exc)
        raise


def message_base(exc: BaseException) -> str:
    """The one French sentence for a database error: too long, or not answering."""
    return TROP_LONG if isinstance(exc, db.DelaiDepasse) or db.est_delai_depasse(exc) else INDISPONIBLE


def _stop_on(exc: Exception):
    # The driver's words (socket path, host, SQL) are for the server log, never for the page.
    _log.error("Erreur de base de données sur une page : %s", exc, exc_info=exc)
    st.error(message_base(exc))
    st.stop()


def _load_demo_users() -> list[dict]:
    with _connect() as conn:
        return users.demo_users(conn)


def _load_user(user_id: int) -> User | None:
    with _connect() as conn:
        return users.load_user(conn, user_id)


def _identity_labels() -> dict[str, int]:
    """Demo identities by their label in the picker (label -> user id)."""
    return {f"{u['nom']} — {ROLE.libelle(u['role'], u['role'])}": u["id"]
            for u in read(users.demo_users)}


def current_user() -> User:
    """The user of this run: the signed-in one (sign-in cookie or OIDC session, checked once
    per run by the entry script: identite.connexion_du_run). Without a sign-in, in demo mode
    only, the demo identity of session_state["user_id"] (set by the picker; tests set it
    directly), by default the first one. Outside demo mode there is no default identity: the
    page stops (the entry script shows only the sign-in page then)."""
    signed_in = identite.connexion_courante().user_id
    if signed_in is not None:
        user_id = signed_in
    elif settings.demo_mode():
        labels = _identity_labels()
        if not labels:
            st.error("Aucun utilisateur de démonstration : chargez la démo (objets load demo).")
            st.stop()
        if st.session_state.get(_USER_KEY) not in labels.values():
            st.session_state[_USER_KEY] = next(iter(labels.values()))
        user_id = st.session_state[_USER_KEY]
    else:
        st.error("Connectez-vous pour accéder au tableau de bord.")
        st.stop()
    user = read(users.load_user, user_id)
    if user is None:
        st.error("Utilisateur inconnu.")
        st.stop()
    return user


def signed_in() -> int | None:
    """The signed-in user's id this run (None: not signed in, whatever the demo picker says)."""
    return identite.connexion_courante().user_id


def _pick_identity() -> None:
    st.session_state[_USER_KEY] = _identity_labels()[st.session_state[_PICKER_KEY]]


def identity_picker() -> User | None:
    """Who uses the app this run, shown in the sidebar: the signed-in user (and the sign-out
    button); else, in demo mode, the visible demo identity picker; else None (not signed in:
    the entry script shows only the sign-in page). Checks the sign-in once for the run."""
    courante = _guarded(identite.connexion_du_run)
    if courante.user_id is not None:
        user = current_user()
        with st.sidebar:
            st.caption(f"Connecté·e : {user.nom} — {user.role_label} · périmètre : {user.scope.libelle}")
            st.html(_sign_out_form(courante.session_id))
        return user
    if not settings.demo_mode():
        return None
    labels = _identity_labels()
    user = current_user()
    ids = list(labels.values())
    with st.sidebar:
        st.selectbox(
            "Identité de démonstration",
            options=list(labels),
            placeholder=choix.CHOISIR,
            index=ids.index(user.id),
            key=_PICKER_KEY,
            on_change=_pick_identity,
            help="Mode démonstration : choisissez un rôle pour voir l'application avec son périmètre.",
        )
        st.caption(f"{user.role_label} · périmètre : {sans_markdown(user.scope.libelle)}")
    return user


def _sign_out_form(session_id: bytes) -> str:
    """A real form posting to /deconnexion (dashboard.app.connexion.routes), which ends the
    session and clears the cookie: a script cannot clear a cookie itself."""
    return ('<form method="post" action="/deconnexion" class="deconnexion">'
            f'<input type="hidden" name="jeton" value="{html.escape(jetons.jeton_deconnexion(session_id))}">'
            '<button type="submit">Se déconnecter</button></form>')


def css() -> None:
    """The app's style sheet, sent with every page: without its comments and runs of blanks
    (a third of its bytes, which every page pushed to every browser)."""
    st.html(f"<style>{feuille_de_style()}</style>")


@functools.cache  # read once per process: every script run sends it, the file does not change
def feuille_de_style() -> str:
    texte = (settings.ASSETS_DIR / "style.css").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", "", texte, flags=re.S)).strip()


def demo_notice() -> None:
    from dashboard.reads import indicateurs

    if read(indicateurs.demo_present):
        st.info("Données de démonstration : objets, communes concernées et recensements sont générés "
                "(références PMZ…), seules les communes et leurs géométries sont réelles.", icon=":material/info:")


def markdown_asset(name: str) -> None:
    st.markdown((settings.ASSETS_DIR / name).read_text(encoding="utf-8"))


def synchroniser_url(changements_d_url, voulue: dict[str, str]) -> None:
    """Brings the address bar to the view shown: `changements_d_url(current, wanted)` (a vue
    module's, see parametres_url) says what to set and what to remove."""
    poser, retirer = changements_d_url(st.query_params.to_dict(), voulue)
    for key in retirer:
        del st.query_params[key]
    if poser:
        st.query_params.update(poser)
