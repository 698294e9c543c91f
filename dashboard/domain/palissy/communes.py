"""Commune codes: INSEE as published (several codes, lost leading zero, 2A/2B, overseas),
the département of a code, and the resolution to a current commune (WEB, INSEE, DEPL,
former codes, municipal arrondissements)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from dashboard.domain.palissy.texte import joined, clean_text


_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


def est_code_insee(code: str) -> bool:
    """A commune code as INSEE writes it: five characters, 2A/2B for Corsica (62041, 2A004)."""
    return bool(_INSEE.match(code))


def insee_principal(insee) -> tuple[str | None, bool]:
    """INSEE as published -> (first code, cleaned; True when several codes were given).

    Keeps the first of "94004 ; 94075", restores a lost leading zero ("1004" -> "01004"),
    upper-cases 2a/2b; None when no valid code is left.
    """
    codes = [c for c in re.split(r"[\s;,]+", (joined(insee) or "").strip()) if c]
    if not codes:
        return None, False
    code = codes[0].upper()
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    return (code if _INSEE.match(code) else None), len(codes) > 1


def departement_from_insee(code) -> str | None:
    """Département of a commune code: 3 characters when it starts with 97, else 2 (2A, 2B)."""
    cleaned, _ = insee_principal(code)
    if cleaned is None:
        return None
    return cleaned[:3] if cleaned.startswith("97") else cleaned[:2]


# Municipal arrondissements -> their commune, when the reference data lacks them.
_ARRONDISSEMENTS = ((re.compile(r"^751(0[1-9]|1[0-9]|20)$"), "75056"),
                    (re.compile(r"^6938[1-9]$"), "69123"),
                    (re.compile(r"^132(0[1-9]|1[0-6])$"), "13055"))


def insee_codes(insee) -> list[str]:
    """Every code of an INSEE field, cleaned like insee_principal (lost zero restored,
    2a -> 2A); codes that stay invalid are dropped."""
    out = []
    for code in re.split(r"[\s;,]+", (joined(insee) or "").strip()):
        if not code:
            continue
        code = code.upper()
        if len(code) == 4 and code.isdigit():
            code = "0" + code
        if _INSEE.match(code) and code not in out:
            out.append(code)
    return out


def arrondissement_commune(code: str) -> str | None:
    """751xx -> 75056 (Paris), 6938x -> 69123 (Lyon), 132xx -> 13055 (Marseille)."""
    for pattern, commune in _ARRONDISSEMENTS:
        if pattern.match(code or ""):
            return commune
    return None


class CommuneResolue(NamedTuple):
    code: str | None          # current commune, or None (unresolved)
    departement: str | None   # département of that commune
    methode: str              # 'insee' | 'web' | 'deplacement' | 'non_resolue'
    anomalies: tuple[str, ...]


def _current(code: str, communes, anciennes) -> tuple[str | None, str | None]:
    """A code -> (current commune, anomaly of the way there) through the reference data."""
    if code in communes:
        return code, None
    parent = anciennes.get(code)
    if parent and parent in communes:
        return parent, ("arrondissement" if arrondissement_commune(code) else "commune_ancienne")
    parent = arrondissement_commune(code)
    if parent and parent in communes:
        return parent, "arrondissement"
    return None, None


def resolve_commune(insee, web, depl, communes, anciennes) -> CommuneResolue:
    """INSEE/WEB/DEPL -> the current commune, with the rules the service uses today:

    - WEB empty -> INSEE (the code at protection time);
    - WEB set, DEPL empty -> the commune merged or was renumbered: WEB;
    - WEB and DEPL set -> the object moved: WEB (the building then comes from MOSA);
    - the chosen code may be a former one (commune déléguée/associée, older code: through
      `anciennes`, code -> current commune) or a municipal arrondissement (-> Paris, Lyon,
      Marseille); a WEB that leads nowhere falls back to INSEE (flagged 'web_invalide');
    - several INSEE codes: the first, flagged 'insee_multiple'; 4 digits: zero restored,
      flagged 'insee_sans_zero'; nothing usable: unresolved ('commune_non_resolue').

    communes: mapping current code -> département; anciennes: mapping former code -> commune.
    """
    flags: list[str] = []
    raw = [c for c in re.split(r"[\s;,]+", (joined(insee) or "").strip()) if c]
    codes = insee_codes(insee)
    if len(raw) > 1:
        flags.append("insee_multiple")
    if raw and len(raw[0]) == 4 and raw[0].isdigit():
        flags.append("insee_sans_zero")
    webs = insee_codes(web)
    moved = bool(clean_text(depl))
    candidates: list[tuple[str, str]] = []
    if webs:
        candidates.append((webs[0], "deplacement" if moved else "web"))
    if raw and (not codes or codes[0] != insee_principal(raw[0])[0]):
        flags.append("insee_invalide")      # the first code is unusable: the next valid one is tried
    if codes:
        candidates.append((codes[0], "insee"))
    for position, (code, methode) in enumerate(candidates):
        current, how = _current(code, communes, anciennes)
        if current:
            if position and webs:
                flags.append("web_invalide")
            if how:
                flags.append(how)
            if methode == "deplacement":
                flags.append("deplace")
            return CommuneResolue(current, communes[current], methode, tuple(flags))
    if webs:
        flags.append("web_invalide")
    flags.append("commune_non_resolue")
    return CommuneResolue(None, None, "non_resolue", tuple(flags))


def departement_code(value) -> str | None:
    """A published DPT ("01", "1", "2a", "974") -> a département code, or None."""
    return _departement_code(value) if value.__class__ is str else _departement_code_of(value)


@lru_cache(maxsize=1024)    # about a hundred values in a file
def _departement_code(value: str) -> str | None:
    return _departement_code_of(value)


def _departement_code_of(value) -> str | None:
    text = (clean_text(value) or "").upper()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    return text if re.match(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$", text) else None


def departement_fallback(insee, dpt, departements) -> str | None:
    """Département of an objet whose commune is unresolved: the prefix of its first INSEE
    code, else the published DPT, when the reference data knows it (so that the conservateur
    of that département sees it among the objets to correct)."""
    for candidate in (departement_from_insee(insee), departement_code(dpt)):
        if candidate and candidate in departements:
            return candidate
    return None
