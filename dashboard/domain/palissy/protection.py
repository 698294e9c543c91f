"""Protection rules: PROT and DPRO -> classé, inscrit or no longer protected, with the date
of the latest DPRO entry (palissy.md, "Protection")."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterable, NamedTuple

from dashboard.domain.palissy.texte import joined, normalise
from dashboard.domain.vocabulary import PROTECTION

CLASSE, INSCRIT, NON_PROTEGE = PROTECTION.codes


_REMOVAL = re.compile(r"declass|desinscri|non[ -]?protege|sans protection")
_CLASSE = re.compile(r"\bclass")
_INSCRIT = re.compile(r"\binscr|\bismh\b")


def protection_kind(text: str | None) -> str | None:
    """One PROT value or DPRO type -> 'classe' | 'inscrit' | 'non_protege' | None.

    Removals are tested first ("déclassé" contains "classé"); "classé au titre immeuble",
    "classé comme un ensemble historique mobilier", "classé MH", "partiellement" are classé;
    "inscrite", "inscrit au titre obejt" and the truncation "inscr" are inscrit.
    """
    return _kind(normalise(text))


@lru_cache(maxsize=16384)
def _kind(norm: str) -> str | None:
    if not norm:
        return None
    if _REMOVAL.search(norm):
        return NON_PROTEGE
    if _CLASSE.search(norm):
        return CLASSE
    if _INSCRIT.search(norm):
        return INSCRIT
    return None


def _strongest(kinds: Iterable[str | None]) -> str | None:
    """Classé beats inscrit beats a removal; None when nothing was recognised."""
    found = set(kinds)
    for kind in (CLASSE, INSCRIT, NON_PROTEGE):
        if kind in found:
            return kind
    return None


class DproEntry(NamedTuple):
    sort_key: tuple[int, int, int]   # (year, month or 0, day or 0): a bare year sorts first
    date: date                       # missing month/day read as 1
    kind: str | None
    text: str


_DPRO_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?=\d{4}\b)")
_DPRO_ENTRY = re.compile(r"^(\d{4})(?:\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{1,2}))?)?(?![\d/.-])\s*:?\s*(.*)$")


def _entry_date(year: int, month: int, day: int) -> date:
    month = month if 1 <= month <= 12 else 0
    try:
        return date(year, month or 1, day or 1)
    except ValueError:          # 1911/02/30, year 0000...
        return date(max(year, 1), month or 1, 1)


def parse_dpro(dpro) -> list[DproEntry]:
    """DPRO entries ("YYYY/MM/DD : type" or "YYYY : type", joined by " ; " in any order),
    sorted oldest first; parts without a leading year are skipped."""
    entries = []
    for part in _DPRO_SPLIT.split((joined(dpro) or "").strip()):
        match = _DPRO_ENTRY.match(part.strip())
        if not match or int(match.group(1)) == 0:
            continue
        year, month, day = (int(g) if g else 0 for g in match.group(1, 2, 3))
        month = month if 1 <= month <= 12 else 0
        label = (match.group(4) or "").strip()
        entries.append(DproEntry((year, month, day if month else 0), _entry_date(year, month, day),
                                 protection_kind(label), label))
    entries.sort(key=lambda e: e.sort_key)
    return entries


def _dpro_state(entries: list[DproEntry]) -> tuple[bool, bool, str | None]:
    """(latest dated entries are only removals, some removal exists, strongest protection
    dated on or after the last removal)."""
    known = [e for e in entries if e.kind]
    if not known:
        return False, False, None
    latest = known[-1].sort_key
    latest_kinds = {e.kind for e in known if e.sort_key == latest}
    removals = [e.sort_key for e in known if e.kind == NON_PROTEGE]
    since = removals[-1] if removals else (0, 0, 0)
    # On the same date a protection wins over a removal (déclassé and inscrit the same day).
    after = _strongest(e.kind for e in known if e.kind != NON_PROTEGE and e.sort_key >= since)
    return latest_kinds == {NON_PROTEGE}, bool(removals), after


def protection_from(prot, dpro) -> tuple[str | None, date | None]:
    """PROT and DPRO -> (protection enum value or None when unknown, date of the latest DPRO entry).

    1. The latest dated DPRO entry is a déclassement/désinscription -> 'non_protege'.
    2. DPRO shows a removal followed by a new protection -> that protection (classé beats
       inscrit among the entries since the removal; PROT cannot bring back what was removed).
    3. Otherwise the strongest of PROT and DPRO (classé beats inscrit); a PROT that only says
       removed ("déclassé", "désinscrit", "non protégé", "sans protection") wins over a DPRO
       that only dates the original protection.
    4. Neither readable -> None.
    """
    entries = parse_dpro(dpro)
    when = max(entries, key=lambda e: e.sort_key).date if entries else None
    latest_removed, removed, since_removal = _dpro_state(entries)
    if latest_removed:
        return NON_PROTEGE, when
    if removed and since_removal:
        return since_removal, when
    prot_kinds = {protection_kind(p) for p in re.split(r"[;,]", joined(prot) or "")} - {None}
    if prot_kinds == {NON_PROTEGE}:
        return NON_PROTEGE, when
    return _strongest((prot_kinds - {NON_PROTEGE}) | {since_removal}), when


def declasse_from(dpro) -> bool:
    """The scope rule of the service: True when the latest DPRO entry removes the protection
    (déclassé, désinscrit), read by date and not by position in the string."""
    return _dpro_state(parse_dpro(dpro))[0]
