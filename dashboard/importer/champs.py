"""The fields the Palissy import reads and every name they go by in the exports (palissy.md):
POP codes (REF, TICO...), open-data labels in any case (Reference, Titre_editorial,
COG_Insee...), the older export's "Titre courant" and "Type d'objet". Shared by the CSV
reader (dashboard.importer.sources) and the JSON one (dashboard.importer.sources_json).

A name is compared by its key: lower case, no accents, every run of other characters one
underscore ("COG_Insee", "cog insee" and "Cog-Insee" are one name). Unknown names are ignored.
"""
from __future__ import annotations

import re
from functools import lru_cache

from dashboard.domain.palissy import normalise

# The fields the import reads, by POP code, and their open-data ids.
OPEN_DATA_IDS = {
    "REF": "reference", "TICO": "titre_editorial", "DENO": "denomination", "CATE": "categorie_technique",
    "SCLE": "siecle_de_creation", "COM": "commune_forme_index", "INSEE": "cog_insee",
    "WEB": "code_insee_commune_actuelle", "DPT": "departement_format_numerique", "REG": "region",
    "EDIF": "nom_de_l_edifice", "EMPL": "emplacement_de_l_oeuvre_dans_l_edifice",
    "REFA": "reference_a_une_notice_merimee_mh", "PROT": "typologie_de_la_protection",
    "DPRO": "date_et_typologie_de_la_protection", "STAT": "statut_juridique_du_proprietaire",
    "MANQUANT": "statut_juridique_de_l_objet", "DOSS": "typologie_du_dossier",
    "DEPL": "lieu_de_deplacement_de_l_objet", "MOSA": "edifice_actuel", "DENQ": "date_du_recolement",
    "ETAT": "etat_de_conservation",
}
FIELDS: tuple[str, ...] = tuple(OPEN_DATA_IDS)
# Labels of the older 13-column export that are not POP codes.
OLD_LABELS = {"titre courant": "TICO", "type d'objet": "DENO"}
REQUIRED = ("REF", "INSEE")

FORMAT_LABELS = {
    "opendata_csv": "CSV open data (data.culture.gouv.fr)",
    "opendata_json": "JSON open data (data.culture.gouv.fr)",
    "pop_csv": "export CSV de POP (codes)",
    "pop_ancien": "ancien export POP à 13 colonnes",
    "pop_complet": "export complet de la base Palissy (POP, séparateur |)",
    "pop_api": "enregistrements de l'API de recherche de POP (JSON)",
}
SEPARATOR_NAMES = {";": "point-virgule", "|": "barre verticale", ",": "virgule", "\t": "tabulation"}

_OTHER = re.compile(r"[^a-z0-9]+")


def key(name: str) -> str:
    """The form names are compared in (module docstring)."""
    return _OTHER.sub("_", normalise(name)).strip("_")


_ALIASES: dict[str, str] = {}
for _code, _id in OPEN_DATA_IDS.items():
    _ALIASES[key(_code)] = _code
    _ALIASES[key(_id)] = _code
_ALIASES["etat"] = "ETAT"
_ALIASES.update({key(label): code for label, code in OLD_LABELS.items()})
_IDS = {key(i) for i in OPEN_DATA_IDS.values()}
_CODES = {key(c) for c in OPEN_DATA_IDS}


def code_of(name: str) -> str | None:
    """The POP code a column or JSON key stands for, None when the import does not read it."""
    return _code(name) if isinstance(name, str) else None


@lru_cache(maxsize=8192)     # JSON records repeat the same keys
def _code(name: str) -> str | None:
    return _ALIASES.get(key(name))


def known(columns: list[str]) -> dict[str, int]:
    """POP code -> index of the first column that stands for it."""
    found: dict[str, int] = {}
    for index, name in enumerate(columns):
        code = code_of(name)
        if code and code not in found:
            found[code] = index
    return found


def naming(columns: list[str]) -> str:
    """How a header names its fields: 'ancien' (13-column export), 'opendata' (labels) or
    'pop' (POP codes), by the majority of the names it uses."""
    keys = [key(c) for c in columns]
    if "titre_courant" in keys:
        return "ancien"
    if "reference" in keys or sum(k in _IDS for k in keys) > sum(k in _CODES for k in keys):
        return "opendata"
    return "pop"


def missing_message(missing: list[str], style: str) -> str:
    names = [OPEN_DATA_IDS[c].capitalize() for c in missing] if style == "opendata" else list(missing)
    return "colonnes obligatoires absentes : " + ", ".join(names)
