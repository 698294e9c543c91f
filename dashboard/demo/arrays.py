"""Numpy helpers the demo generator shares: weighted draws from (value, weight) vocabularies,
group ranges, and dates, timestamps and text[] values in the text form COPY reads."""
from __future__ import annotations

from datetime import date

import numpy as np


def pg_array(values) -> str:
    """A PostgreSQL text[] literal."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _weights(pairs) -> np.ndarray:
    w = np.array([p[-1] for p in pairs], dtype=float)
    return w / w.sum()


def pick(rng, pairs, n: int) -> np.ndarray:
    return rng.choice(len(pairs), size=n, p=_weights(pairs))


def values_of(pairs) -> np.ndarray:
    return np.array([p[0] for p in pairs], dtype=object)


def round_half_up(x) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def group_starts(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def ranges(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups (start, size): (group index of each element, element index)."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    offset = np.arange(int(sizes.sum())) - np.repeat(group_starts(sizes), sizes)
    return group, np.repeat(starts, sizes) + offset



# --- timestamps: days since epoch (int) + seconds ---------------------------------------

def day_number(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def timestamps(days: np.ndarray, seconds: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """'YYYY-MM-DD HH:MM:SS+00' strings (None where mask is False)."""
    stamps = (np.asarray(days, dtype="int64") * 86400 + np.asarray(seconds, dtype="int64")).astype("datetime64[s]")
    out = np.char.add(np.char.replace(np.datetime_as_string(stamps, unit="s"), "T", " "), "+00").astype(object)
    if mask is not None:
        out[~np.asarray(mask, dtype=bool)] = None
    return out


def dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(days, dtype="int64").astype("datetime64[D]")).astype(object)


def office_seconds(rng, n: int) -> np.ndarray:
    return rng.integers(8 * 3600, 19 * 3600, size=n)

