""""Nouveau": an urgent case whose dossier was transmitted after the previous visit (of the
page, or the previous weekly digest) and, when an end is given, not after it. Never on a
first visit. One rule for /urgences, its export and the digest.

It is applied after the cached read of the cases, not in it: the list of a scope is then
read once for every session, and each session only marks what is new for it.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd


def _instant(moment: datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def nouveau(transmis_le, depuis: datetime | None, jusqu_a: datetime | None = None) -> pd.Series:
    """Element by element, whether a case transmitted at `transmis_le` is new."""
    transmis = pd.to_datetime(pd.Series(transmis_le), utc=True)
    if depuis is None:
        return pd.Series(False, index=transmis.index, dtype=bool)
    keep = transmis > _instant(depuis)
    if jusqu_a is not None:
        keep &= transmis <= _instant(jusqu_a)
    return keep.fillna(False).astype(bool)
