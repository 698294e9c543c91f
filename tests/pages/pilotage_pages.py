"""Reading the pilotage pages under AppTest: their tables (French text) back into numbers,
compared cell by cell with the figures of tests/pilotage_attendu.py; their downloads."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard.app.pilotage.tableaux import CODE


def nombre(text: str) -> float | str:
    """A cell as shown ("1 234", "40,0 %", "12,3", "—") as a number (a share as a fraction);
    other text as is."""
    if text == "—":
        return math.nan
    plain = text.replace("\u202f", "").replace(",", ".")
    try:
        return float(plain.removesuffix(" %")) / 100 if plain.endswith(" %") else float(plain)
    except ValueError:
        return text


def table(at, column: str) -> pd.DataFrame:
    """The first table shown that has this column."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"aucun tableau avec la colonne « {column} »")


def egal_affiche(shown: pd.DataFrame, want: pd.DataFrame, index: str = CODE, columns=None):
    """Every cell of `want` (numbers; shares as fractions) against the text shown: a share to
    its tenth of a percent, a decimal to its tenth, an integer exactly, text as is."""
    shown = shown.set_index(index)
    assert list(shown.index) == list(want.index)
    for column in columns or want.columns:
        for key, expected in want[column].items():
            text = shown.loc[key, column]
            got = nombre(text)
            if isinstance(expected, str):
                assert text == expected, (column, key, text, expected)
            elif expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert text == "—", (column, key, text)
            elif text.endswith("%"):
                assert got == pytest.approx(float(expected), abs=0.0005 + 1e-9), (column, key, text, expected)
            elif "," in text:
                assert got == pytest.approx(float(expected), abs=0.05 + 1e-9), (column, key, text, expected)
            else:
                assert got == float(expected) and float(expected).is_integer(), (column, key, text, expected)


@pytest.fixture
def deferred(monkeypatch):
    """The download callables the page registers, by file name (AppTest drops its media
    manager after a run)."""
    captured = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        captured[kwargs.get("file_name")] = data_callable
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured
