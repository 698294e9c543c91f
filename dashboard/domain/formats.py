"""How the product writes numbers, dates and yes/no in French, once: every page, message,
e-mail and export label reads them from here.

- Integers: a narrow no-break space between thousands ("12 345"), as French typography
  (and the Imprimerie nationale) writes them; a decimal comma ("3,5"); shares kept as
  fractions 0..1 in data, shown "40,0 %".
- Dates: dd/mm/yyyy, in the time of France (Europe/Paris) for instants; no time zone is
  ever shown. Widgets and table columns that format dates themselves take
  FORMAT_DATE_COLONNE.
- Yes/no: "Oui"/"Non" (vocabulary.OUI_NON).
- File names of exports: what they hold and whose scope (`nom_de_fichier`).

Pure: no Streamlit, no database (dashboard.app.ui re-exports fmt_int and fmt_pct).
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dashboard.domain.vocabulary import OUI_NON

FUSEAU = ZoneInfo("Europe/Paris")
ESPACE_MILLIERS = "\u202f"           # narrow no-break space
VIDE = "—"                           # what a missing figure shows
FORMAT_DATE_COLONNE = "DD/MM/YYYY"   # st.column_config.DateColumn / DatetimeColumn, date_input
# Plotly: decimal comma, narrow space between thousands (layout.separators takes the
# decimal mark then the thousands separator).
SEPARATEURS_PLOTLY = "," + ESPACE_MILLIERS


def _manquant(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def fmt_int(value) -> str:
    """12345 -> "12 345" (narrow no-break space); None or NaN -> "—"."""
    if _manquant(value):
        return VIDE
    return f"{int(round(float(value))):,}".replace(",", ESPACE_MILLIERS)


def nombre(value, decimales: int = 1) -> str:
    """A number in French: spaces between thousands, a decimal comma; "—" for none."""
    if _manquant(value):
        return VIDE
    if decimales == 0:
        return fmt_int(value)
    return f"{float(value):,.{decimales}f}".replace(",", ESPACE_MILLIERS).replace(".", ",")


def fmt_pct(value, digits: int = 1) -> str:
    """A share, kept as a fraction 0..1 in data (dashboard.domain.objectif.part), shown as a
    French percentage: 0.4 -> "40,0 %"; None or NaN (nothing counted) -> "—"."""
    if _manquant(value):
        return VIDE
    return f"{float(value) * 100:.{digits}f} %".replace(".", ",")


def _en_france(value) -> datetime | date | None:
    """A date as is; an instant in the time of France (a naive one is taken as UTC, as the
    database's timestamptz come back aware anyway)."""
    if _manquant(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(FUSEAU)
    return value


def date_fr(value) -> str:
    """dd/mm/yyyy (an instant: its day in France); "—" for none."""
    value = _en_france(value)
    return VIDE if value is None else value.strftime("%d/%m/%Y")


def date_heure_fr(value) -> str:
    """"dd/mm/yyyy à HHhMM" in the time of France; "—" for none. No time zone shown."""
    value = _en_france(value)
    if value is None:
        return VIDE
    if not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y à %Hh%M")


def horodatage(value) -> str | None:
    """"dd/mm/yyyy HH:MM" in the time of France, for a spreadsheet cell; None for none."""
    value = _en_france(value)
    if value is None:
        return None
    return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, datetime) else "%d/%m/%Y")


def jour_en_france(value) -> date | None:
    """The day of an instant in France (for date columns: a recensement entered at 23:30
    UTC on 31 December is a recensement of 1 January in France)."""
    value = _en_france(value)
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def oui_non(value) -> str:
    """True -> "Oui", False -> "Non", None -> "—"."""
    return VIDE if _manquant(value) else OUI_NON[bool(value)]


def pluriel(n: int, singulier: str, pluriel_: str | None = None) -> str:
    """"1 objet", "2 objets", "0 objet" (French: 0 and 1 take the singular)."""
    return f"{fmt_int(n)} {accord(n, singulier, pluriel_ or singulier + 's')}"


def accord(n: int, singulier: str, pluriel_: str) -> str:
    """The form that agrees with n, without n: accord(2, "n'a", "n'ont") == "n'ont"."""
    return singulier if abs(n) < 2 else pluriel_


# --- file names ------------------------------------------------------------------------------

def _slug(texte: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def nom_perimetre(departements: tuple[str, ...] | None, commune: str | None) -> str:
    """A scope in a file name: "france", "departement-62", "departements-59-62",
    "commune-62250" (the codes of dashboard.domain.identity.Scope)."""
    if commune:
        return f"commune-{_slug(commune)}"
    if departements is None:
        return "france"
    codes = sorted(_slug(d) for d in departements)
    if not codes:
        return "aucun-perimetre"
    if len(codes) > 6:
        return f"{len(codes)}-departements"
    return ("departement-" if len(codes) == 1 else "departements-") + "-".join(codes)


def nom_de_fichier(quoi: str, perimetre: str, *precisions: str, jour: date | None = None) -> str:
    """An export's file name, without its extension: what it holds, whose scope, the
    filters of the view, the day: "cas-urgents-departements-59-62-prioritaire-2026-12-01".
    Only ASCII letters, digits and hyphens (a name any system and mail client keeps)."""
    parts = [_slug(quoi), perimetre, *(_slug(p) for p in precisions if p)]
    if jour is not None:
        parts.append(jour.isoformat())
    return "-".join(p for p in parts if p)[:150].strip("-")


def est_fini(value) -> bool:
    """A number that can be shown (not None, NaN nor infinite)."""
    return not _manquant(value) and math.isfinite(float(value))
