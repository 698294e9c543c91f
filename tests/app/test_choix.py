"""The functions pages hand to their widgets (dashboard.app.choix), and the rule that no page
hands a widget a function of its own: Streamlit keeps format_func and callbacks with the
session, and a function written in a page script holds all of that page's run. And the rule
that every choice has a French placeholder, not Streamlit's "Choose an option"."""
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


def _sans_placeholder(path: Path) -> list[str]:
    """The selectboxes and multiselects of `path` that do not say their placeholder (a
    `placeholder=`, or a `**` of choix.avec_aucun). Streamlit's own is English: shown while
    nothing is chosen, and kept in the field's placeholder attribute, read out by a screen
    reader, even when a value is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("selectbox", "multiselect")
                and not any(kw.arg in ("placeholder", None) for kw in node.keywords)):   # None: a ** expansion
            found.append(f"{path.name}:{node.lineno} {node.func.attr}")
    return found


WIDGETS = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "dashboard" / "app").rglob("*.py"))


def test_every_choice_says_its_placeholder_in_french():
    assert [f for script in WIDGETS for f in _sans_placeholder(script)] == []


def test_the_placeholder_check_finds_what_would_show_english(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\n"
                    "st.selectbox('a', [None, 1])\n"
                    "st.multiselect('b', [1])\n"
                    "st.selectbox('c', [1, 2], placeholder=choix.CHOISIR)\n"
                    "st.selectbox('d', [None, 1], **choix.avec_aucun(str))\n", encoding="utf-8")
    assert [f.split(":")[1] for f in _sans_placeholder(page)] == ["2 selectbox", "3 multiselect"]


def test_the_placeholder_of_no_filter_is_the_label_of_none():
    reglages = choix.avec_aucun(choix.code_et_nom({"62": "Pas-de-Calais"}, "Tout votre périmètre"))
    assert reglages["placeholder"] == "Tout votre périmètre"
    assert reglages["format_func"]("62") == "62 — Pas-de-Calais"


def test_every_icon_is_a_material_symbol():
    """Streamlit serves its Material Symbols font with the app; an emoji needs a font of the
    user's system, and a desktop without one showed an empty box beside "Voir la notice dans POP"."""
    emojis = []
    for script in WIDGETS:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if (kw.arg == "icon" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
                            and not kw.value.value.startswith(":material/")):
                        emojis.append(f"{script.name}:{node.lineno} {kw.value.value}")
    assert emojis == []
