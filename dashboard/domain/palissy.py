"""Cleaning rules for POP Palissy values, one function per rule (see palissy.md).

Used by the demo loader now and by the Palissy importer later, so that a rule lives in one
place. Every function takes the raw published value (None, '' or a messy string) and never
raises on dirty input: what cannot be read comes back as None / 'inconnu'.

Rules kept here:
- protection_from: PROT + DPRO -> ('classe' | 'inscrit' | 'non_protege' | None, date of the
  latest DPRO entry). Dirty variants of PROT are tolerated (case, spaces, typos, truncations,
  " ; " combinations, "partiellement", "(?)", "classé MH"); classé beats inscrit; the
  latest dated DPRO entry decides, and a déclassement/désinscription there removes the
  protection whatever PROT says.
- declasse_from: the narrower rule of the service's scope (latest DPRO entry is a removal).
- proprietaire_from: STAT -> the `proprietaire` enum, the first recognised value wins.
- raison_hors_perimetre: the service's scope rules, in their order, as a short reason code.
- departement_from_insee / insee_principal: commune codes (several codes, lost leading zero,
  2A/2B, overseas 97x).
- For the importer: clean_text (whitespace), split_multi (multi-valued fields), ref_from /
  notice_pm (REF), ref_merimee_from / mosa_from (Mérimée id, also from URLs), insee_codes,
  arrondissement_commune and resolve_commune (WEB / INSEE / DEPL rules, former codes,
  arrondissements, several codes, missing), departement_code / departement_fallback.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Iterable, NamedTuple

from dashboard.domain.vocabulary import PROPRIETAIRE, PROTECTION

CLASSE, INSCRIT, NON_PROTEGE = PROTECTION.codes
PROPRIETAIRES = PROPRIETAIRE.codes

# Reason codes of raison_hors_perimetre, in the order the rules are applied.
RAISONS_HORS_PERIMETRE = (
    "insee_manquant", "sous_dossier", "vole_ou_manquant", "traitement_en_cours", "propriete_etat", "declasse",
)

# DOSS values that are an individual notice (compared after normalise()); '' counts too.
DOSSIERS_INDIVIDUELS = frozenset({
    "", "dossier individuel", "individuel", "dossier indiviuel",
    "dossier avec sous-dossier", "dossier avec sous-dossiers",
})


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


def _joined(value) -> str | None:
    """JSON exports give multi-valued fields as lists; the CSV ones as joined strings."""
    if isinstance(value, (list, tuple)):
        return " ; ".join(str(v) for v in value if v is not None)
    return value


# --- protection -----------------------------------------------------------------------

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
    for part in _DPRO_SPLIT.split((_joined(dpro) or "").strip()):
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
    prot_kinds = {protection_kind(p) for p in re.split(r"[;,]", _joined(prot) or "")} - {None}
    if prot_kinds == {NON_PROTEGE}:
        return NON_PROTEGE, when
    return _strongest((prot_kinds - {NON_PROTEGE}) | {since_removal}), when


def declasse_from(dpro) -> bool:
    """The scope rule of the service: True when the latest DPRO entry removes the protection
    (déclassé, désinscrit), read by date and not by position in the string."""
    return _dpro_state(parse_dpro(dpro))[0]


# --- owner ------------------------------------------------------------------------------

_PROPRIETAIRE_RULES = (
    (re.compile(r"\betat\b"), "etat"),
    (re.compile(r"\bcommun(e|al|ale|aux|ales)?\b"), "commune"),
    (re.compile(r"\bpriv|\bassociation|\bparticulier|\bsociete\b"), "prive"),
    (re.compile(r"\bpubli|\bdepartement|\bregion\b|\betablissement"), "public"),
    (re.compile(r"\binconnu|\bindetermine|\bnon renseigne"), "inconnu"),
)


def _proprietaire_one(value: str) -> str | None:
    norm = normalise(value)
    for pattern, result in _PROPRIETAIRE_RULES:
        if pattern.search(norm):
            return result
    return None


def proprietaire_from(stat) -> str:
    """STAT -> 'commune' | 'etat' | 'public' | 'prive' | 'autre' | 'inconnu'.

    "propriété de la commune (?)" counts as commune; with several values (" ; " or ","),
    the first recognised one wins; a value that is set but unrecognised gives 'autre';
    nothing gives 'inconnu'.
    """
    parts = [p for p in re.split(r"[;,]", _joined(stat) or "") if normalise(p)]
    for part in parts:
        found = _proprietaire_one(part)
        if found:
            return found
    return "autre" if parts else "inconnu"


def _is_etat(proprietaire) -> bool:
    if proprietaire in PROPRIETAIRES:
        return proprietaire == "etat"
    # A raw STAT: the service excludes an objet when any of its owners is the State.
    return any(_proprietaire_one(p) == "etat" for p in re.split(r"[;,]", _joined(proprietaire) or ""))


# --- scope ------------------------------------------------------------------------------

def dossier_individuel(doss) -> bool:
    """DOSS is an individual notice: dossier individuel, individuel, dossier avec
    sous-dossier(s), the typo "dossier indiviuel"; an empty DOSS counts as individual."""
    return normalise(_joined(doss)) in DOSSIERS_INDIVIDUELS


def manquant_pop(manquant) -> bool:
    """MANQUANT says volé or manquant (any of its values)."""
    return bool(re.search(r"\bvol|\bmanquant", normalise(_joined(manquant))))


def raison_hors_perimetre(insee, doss, manquant, tico, proprietaire,
                          protection_latest_declasse: bool) -> str | None:
    """The scope rules of the service, in order; the code of the first one failed, or None.

    insee: INSEE as published; doss: DOSS; manquant: MANQUANT; tico: TICO; proprietaire:
    the enum value of proprietaire_from (a raw STAT is also accepted: out of scope when any
    owner is the State); protection_latest_declasse: the latest DPRO entry removed the
    protection (declasse_from, or protection_from(...)[0] == 'non_protege' to also leave
    out objets whose PROT alone says they are no longer protected).
    """
    if not normalise(_joined(insee)):
        return "insee_manquant"
    if not dossier_individuel(doss):
        return "sous_dossier"
    if manquant_pop(manquant):
        return "vole_ou_manquant"
    if normalise(_joined(tico)) == "traitement en cours":
        return "traitement_en_cours"
    if _is_etat(proprietaire):
        return "propriete_etat"
    if protection_latest_declasse:
        return "declasse"
    return None


# --- commune codes ----------------------------------------------------------------------

_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


def insee_principal(insee) -> tuple[str | None, bool]:
    """INSEE as published -> (first code, cleaned; True when several codes were given).

    Keeps the first of "94004 ; 94075", restores a lost leading zero ("1004" -> "01004"),
    upper-cases 2a/2b; None when no valid code is left.
    """
    codes = [c for c in re.split(r"[\s;,]+", (_joined(insee) or "").strip()) if c]
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


# === Rules added for the importer (dashboard/importer) =====================================
# Each takes raw published values (str, list from JSON, None) and never raises on dirt.

def clean_text(value) -> str | None:
    """Whitespace rule: strip, runs of spaces, tabs, newlines and no-break spaces become one
    space; an empty result is None. Lists (JSON) are joined with " ; "."""
    if value.__class__ is not str:
        value = _joined(value)
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


_MERIMEE = re.compile(r"(?<![A-Z0-9])([PIE]A[0-9][0-9AB][0-9]{6})(?![0-9])", re.IGNORECASE)


def ref_merimee_from(value) -> str | None:
    """REFA (or the end of MOSA) -> a Mérimée id "PA00113792", also when published as a URL
    (https://www.pop.culture.gouv.fr/notice/merimee/PA00113792) or among several (the first)."""
    match = _MERIMEE.search(_joined(value) or "")
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


_REF = re.compile(r"^[A-Z]{2}[0-9A-Z]{8}$")


def ref_from(value) -> tuple[str | None, str | None]:
    """REF -> (cleaned REF, None) or (None, reason): 'ref_manquante' when empty,
    'ref_invalide' when it is not two letters and eight characters (PM01000001, PM2A000012)."""
    text = clean_text(value)
    if not text:
        return None, "ref_manquante"
    ref = text.replace(" ", "").upper()
    if not _REF.match(ref):
        return None, "ref_invalide"
    return ref, None


def notice_pm(ref: str) -> bool:
    """A monuments historiques notice (PM...); IM (Inventaire) and others are not recensed."""
    return ref.startswith("PM")


# --- commune resolution ------------------------------------------------------------------

# Municipal arrondissements -> their commune, when the reference data lacks them.
_ARRONDISSEMENTS = ((re.compile(r"^751(0[1-9]|1[0-9]|20)$"), "75056"),
                    (re.compile(r"^6938[1-9]$"), "69123"),
                    (re.compile(r"^132(0[1-9]|1[0-6])$"), "13055"))


def insee_codes(insee) -> list[str]:
    """Every code of an INSEE field, cleaned like insee_principal (lost zero restored,
    2a -> 2A); codes that stay invalid are dropped."""
    out = []
    for code in re.split(r"[\s;,]+", (_joined(insee) or "").strip()):
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
    raw = [c for c in re.split(r"[\s;,]+", (_joined(insee) or "").strip()) if c]
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
