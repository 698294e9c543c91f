"""Forms that save to the database (the examen's): the version a form was opened with, and
the messages shown across the rerun that follows a save (success, refusal, conflict)."""
from __future__ import annotations

from dashboard.app.texte import sans_markdown
from dashboard.writes.examen import Conflit, ExamenError


def version_formulaire(state, key: str, current: int) -> int:
    """The version a form was opened with (kept in session state across reruns), so that a
    save compares against what the user saw, not against what a rerun re-read."""
    if key not in state:
        state[key] = current
    return state[key]


# --- messages across the rerun that follows a save (Streamlit glue) ------------------------

_ANNONCE = "_examen_annonce"


def annoncer(state, message: str, avertissement: bool = False) -> None:
    """A message for the next run: a success, or a warning (saved, but something to do)."""
    state[_ANNONCE] = (message, avertissement)


def afficher_annonce(st) -> None:
    annonce = st.session_state.pop(_ANNONCE, None)
    if annonce:
        message, avertissement = annonce if isinstance(annonce, tuple) else (annonce, False)
        (st.warning if avertissement else st.success)(message)


def signaler(state, form: str, exc: ExamenError) -> None:
    state[f"_refus_{form}"] = (str(exc), isinstance(exc, Conflit))


def afficher_refus(st, form: str, version_key: str) -> None:
    """Show a refused save; after a conflict, offer to reload the version now stored (the
    form keeps being refused until then: nothing is silently overwritten)."""
    refus = st.session_state.get(f"_refus_{form}")
    if not refus:
        return
    message, conflit = refus
    st.error(sans_markdown(message))  # it may quote a name typed by someone
    if not conflit:
        st.session_state.pop(f"_refus_{form}", None)
    elif st.button("Recharger la version actuelle", key=f"recharger_{form}"):
        for k in [k for k in st.session_state if k.startswith(form + "_") or k in (version_key, f"_refus_{form}")]:
            st.session_state.pop(k, None)
        st.rerun()
