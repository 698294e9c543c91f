"""Text rules shared by every Palissy field: the normalised form rules compare, whitespace
cleaning, multi-valued fields (JSON lists or " ; "-joined strings)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def normalise(value) -> str:
    """Lower case, no accents, no "(?)", single spaces: the form every rule compares."""
    if not value:
        return ""
    return _normalise(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=16384)    # vocabularies are small: most values repeat
def _normalise(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("(?)", " ").replace("\u2019", "'")
    return " ".join(text.split())


def joined(value) -> str | None:
    """JSON exports give multi-valued fields as lists; the CSV ones as joined strings."""
    if isinstance(value, (list, tuple)):
        return " ; ".join(str(v) for v in value if v is not None)
    return value


def clean_text(value) -> str | None:
    """Whitespace rule: strip, runs of spaces, tabs, newlines and no-break spaces become one
    space; an empty result is None. Lists (JSON) are joined with " ; "."""
    if value.__class__ is not str:
        value = joined(value)
        if value is None:
            return None
        value = str(value)
    # str.split() splits on every Unicode space (tabs, newlines, no-break spaces).
    return " ".join(value.split()) or None


def split_multi(value) -> list[str]:
    """A multi-valued field (DENO, CATE, SCLE, STAT...) -> its values, cleaned, in order, once each.

    The open-data CSV joins values with commas, the back-office export with ";", the JSON
    export gives a list."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[;,]", str(value))
    out: list[str] = []
    for part in parts:
        cleaned = clean_text(part)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out
