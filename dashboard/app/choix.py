"""What a page hands to its widgets as functions: the labels of their options (format_func)
and the callbacks that reset or set the session's keys.

Streamlit keeps a widget's format_func and callbacks with the session (in the widget's
state). A function written in a page script, a lambda included, holds that script's
globals: everything the page's run computed (its frames, its map layer) stayed in memory for
as long as the session, about 20 MB per session of the map of every commune (tracemalloc,
2026-12-02). These are partials of this module's functions: they hold only their own
arguments. tests/app/test_choix.py checks that no page gives a widget a function of its own.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import streamlit as st


# The placeholder of a choice that always holds a value: Streamlit's own ("Choose an option")
# stays in the field's placeholder attribute, read out by screen readers.
CHOISIR = "Choisir…"


def _libelle(noms, aucun: str, valeur) -> str:
    if valeur is None:
        return aucun
    if noms is None:
        return str(valeur)
    return noms[valeur] if isinstance(noms, Mapping) else noms(valeur)


def libelle(noms: Mapping | Callable | None = None, aucun: str = "Tous") -> Callable:
    """format_func: `aucun` for None (the "no filter" option), else the option's name in
    `noms` (a mapping, or a module-level function such as a vocabulary's libelle), or the
    option itself when `noms` is None."""
    return partial(_libelle, noms, aucun)


def _code_et_nom(noms: Mapping, aucun: str, code) -> str:
    return aucun if code is None else f"{code} — {noms[code]}"


def code_et_nom(noms: Mapping, aucun: str = "Tous") -> Callable:
    """format_func of a territory: "62 — Pas-de-Calais", `aucun` for None."""
    return partial(_code_et_nom, noms, aucun)


def avec_aucun(format_func: Callable) -> dict:
    """format_func and placeholder of a selectbox whose None option means "no filter".
    Streamlit shows its placeholder, not format_func(None), while the value is None, and its
    own placeholder is English ("Choose an option"): both say format_func(None)."""
    return {"format_func": format_func, "placeholder": format_func(None)}


def effacer(*cles: str) -> None:
    """Callback: the session's `cles` back to None (a wider choice clears the narrower)."""
    for cle in cles:
        st.session_state[cle] = None


def choisir_ligne(table: str, codes: tuple, cible: str) -> None:
    """Callback of a table with single-row selection (key `table`): the code of the row
    picked, from `codes` (the rows shown, in order), into the session's `cible`."""
    rows = st.session_state[table].selection.rows
    if rows:
        st.session_state[cible] = codes[rows[0]]
