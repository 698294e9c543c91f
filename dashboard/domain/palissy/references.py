"""References: Palissy REF (and which base a notice belongs to), Mérimée references of the
building (REFA, MOSA, also inside URLs)."""
from __future__ import annotations

import re

from dashboard.domain.palissy.texte import joined, clean_text


_MERIMEE = re.compile(r"(?<![A-Z0-9])([PIE]A[0-9][0-9AB][0-9]{6})(?![0-9])", re.IGNORECASE)


def ref_merimee_from(value) -> str | None:
    """REFA (or the end of MOSA) -> a Mérimée id "PA00113792", also when published as a URL
    (https://www.pop.culture.gouv.fr/notice/merimee/PA00113792) or among several (the first)."""
    match = _MERIMEE.search(joined(value) or "")
    return match.group(1).upper() if match else None


def mosa_from(value) -> tuple[str | None, str | None]:
    """MOSA "église Saint-Martin ; PA00934057" -> (building name, Mérimée id); either may be None."""
    text = clean_text(value)
    if not text:
        return None, None
    ref = ref_merimee_from(text)
    name = _MERIMEE.sub("", text)
    name = re.sub(r"https?://\S*", "", name)
    name = clean_text(name.strip(" ;,-")) if name else None
    return name, ref


# A PM notice (monuments historiques): PM and eight characters. Notices of the other bases
# Palissy holds (IM Inventaire: 10 characters, EM État: 11, palissy.md) have two letters and
# a longer or shorter tail: real notices, to be excluded by the caller, never malformed.
_PM = re.compile(r"^PM[0-9A-Z]{8}$")
_NOTICE = re.compile(r"^[A-Z]{2}[0-9A-Z]{6,16}$")


def ref_from(value) -> tuple[str | None, str | None]:
    """REF -> (cleaned REF, None) or (None, reason): 'ref_manquante' when empty,
    'ref_invalide' when it is neither PM and eight characters (PM01000001, PM2A000012) nor
    the REF of a notice of another base (two letters and 6 to 16 characters: IM0100000A,
    EM000000010), which comes back cleaned for the caller to exclude (notice_pm)."""
    text = clean_text(value)
    if not text:
        return None, "ref_manquante"
    ref = text.replace(" ", "").upper()
    if _PM.match(ref) or (not ref.startswith("PM") and _NOTICE.match(ref)):
        return ref, None
    return None, "ref_invalide"


def notice_pm(ref: str) -> bool:
    """A monuments historiques notice (PM...); IM (Inventaire), EM (État) and others are not recensed."""
    return ref.startswith("PM")
