"""The functions pages hand to their widgets (dashboard.app.choix), and the rule that no page
hands a widget a function of its own: Streamlit keeps format_func and callbacks with the
session, and a function written in a page script holds all of that page's run."""
from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from dashboard.app import choix
from dashboard.domain.vocabulary import PROTECTION

ROOT = Path(__file__).resolve().parents[2]
# Every keyword of a Streamlit widget that takes a function kept with the session.
KEPT = {"format_func", "on_change", "on_click", "on_select", "on_submit"}


def _functions_of_the_page(path: Path) -> list[str]:
    """The widget keywords of `path` given a lambda or a function defined in that script."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            value = kw.value
            if kw.arg in KEPT and (isinstance(value, ast.Lambda)
                                   or (isinstance(value, ast.Name) and value.id in defined)):
                found.append(f"{path.name}:{value.lineno} {kw.arg}={ast.unparse(value)[:60]}")
    return found


SCRIPTS = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "dashboard" / "app" / "main.py"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_page_hands_a_widget_a_function_of_its_own(script):
    assert _functions_of_the_page(script) == []


def test_the_check_finds_a_lambda_and_a_function_of_the_page(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\n"
                    "def _vider():\n    pass\n"
                    "st.selectbox('a', [1], format_func=lambda x: str(x))\n"
                    "st.button('b', on_click=_vider)\n"
                    "st.selectbox('c', [1], format_func=str)\n", encoding="utf-8")
    assert [f.split(" ")[1].split("=")[0] for f in _functions_of_the_page(page)] == ["format_func", "on_click"]


def test_labels():
    noms = {"59": "Nord", "62": "Pas-de-Calais"}
    assert [choix.libelle(noms)(v) for v in (None, "62")] == ["Tous", "Pas-de-Calais"]
    assert choix.libelle(None, "Toutes")(None) == "Toutes"
    assert choix.libelle(None, "Toutes")("peinture") == "peinture"
    assert choix.libelle(PROTECTION.pluriel, "Toutes")("classe") == PROTECTION.pluriel("classe")
    assert [choix.code_et_nom(noms)(v) for v in (None, "59")] == ["Tous", "59 — Nord"]


def test_a_label_holds_only_its_own_arguments():
    """What the session keeps: the mapping and the word, nothing of the page (and it pickles)."""
    f = choix.code_et_nom({"62": "Pas-de-Calais"}, "Aucun")
    assert f.args == ({"62": "Pas-de-Calais"}, "Aucun")
    assert pickle.loads(pickle.dumps(f))("62") == "62 — Pas-de-Calais"
