"""What a user reads on a page run under AppTest, and the words that betray a missing value
printed as such ("nan", "NaN", "None", "NaT").

`texts(at)` walks the main area and the sidebar: titles, headers, markdown, captions, text,
alerts, metrics (label, value, delta), widget labels, options and pre-filled values,
expander and tab labels, and every header and cell of the tables. A table cell holding no
value is shown by Streamlit's grid as a faded "None" (its default placeholder, in the
frontend's DataFrame bundle) unless the table gives another `placeholder`: it is reported
as that text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

MISSING_WORD = re.compile(r"\b(nan|NaN|None|NaT)\b")
NULL_CELL = "None"  # what st.dataframe draws for a null cell (no placeholder given)

_PLAIN = {"title", "header", "subheader", "markdown", "caption", "text", "code", "latex",
          "error", "warning", "info", "success", "toast"}
_CHOICES = {"selectbox", "radio", "multiselect", "select_slider"}
_TEXT_VALUES = {"text_input", "text_area"}
_TABLES = {"dataframe", "table"}


def _walk(node, inside: str = "") -> Iterator[tuple[object, str]]:
    """Each node with the labels of the expanders and tabs around it."""
    yield node, inside
    label = _field(node, "label") if getattr(node, "type", "") in {"expander", "tab", "popover"} else ""
    for child in getattr(node, "children", {}).values():
        yield from _walk(child, f"{inside}{label} › " if label else inside)


def _field(node, name: str) -> str:
    """A string field of the node's proto (label, help, placeholder…), "" when it has none."""
    proto = getattr(node, "proto", None)
    fields = getattr(getattr(proto, "DESCRIPTOR", None), "fields_by_name", {})
    value = getattr(proto, name) if name in fields else ""
    return value if isinstance(value, str) else ""


def _cells(frame: pd.DataFrame, placeholder: str) -> Iterator[tuple[str, str]]:
    for name in frame.columns:
        yield "en-tête de tableau", str(name)
        for i, value in enumerate(frame[name]):
            where = f"colonne « {name} », ligne {i + 1}"
            if isinstance(value, str):
                yield where, value
            elif not pd.api.types.is_scalar(value):  # a list cell (ListColumn)
                yield where, ", ".join(str(v) for v in value)
            elif pd.isna(value):
                yield where + " (cellule vide)", placeholder
            else:
                yield where, str(value)


def _element_texts(node) -> Iterator[tuple[str, str]]:
    kind = getattr(node, "type", "")
    for name in ("label", "help", "placeholder"):
        if _field(node, name):
            yield f"{kind} ({name})", _field(node, name)
    if kind in _PLAIN:
        yield kind, str(node.value)
    elif kind == "metric":
        yield "metric (valeur)", node.value
        yield "metric (delta)", node.proto.delta
    elif kind in _TEXT_VALUES:
        if node.value is not None:  # None: an empty field
            yield f"{kind} (valeur)", str(node.value)
    elif kind in _CHOICES:
        for option in node.options:
            yield f"{kind} (option)", str(option)
    elif kind in _TABLES:
        shown = node.proto.placeholder if node.proto.HasField("placeholder") else NULL_CELL
        yield from ((f"{kind}, {where}", text) for where, text in _cells(node.value, shown))


def tel_quel(markdown: str) -> str:
    """The characters a Markdown element shows: text from the database reaches it with its
    punctuation backslash-escaped (dashboard.app.texte.sans_markdown)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a user can read on the page the AppTest last ran."""
    for root, name in ((at.main, ""), (at.sidebar, "barre latérale › ")):
        for node, inside in _walk(root, name):
            yield from ((inside + where, text) for where, text in _element_texts(node))


def suspects(at, context: int = 40) -> list[tuple[str, str]]:
    """(where, snippet) for each text that shows a missing value as a word."""
    found = []
    for where, text in texts(at):
        match = MISSING_WORD.search(text or "")
        if match:
            start, end = max(0, match.start() - context), match.end() + context
            snippet = ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
            found.append((where, snippet))
    return found
