"""The owner (STAT) and the service's recensement scope: which objets a commune is asked to
recense, and the reason code of those left out (palissy.md, "Scope")."""
from __future__ import annotations

import re

from dashboard.domain.palissy.texte import joined, normalise
from dashboard.domain.vocabulary import PROPRIETAIRE

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
    parts = [p for p in re.split(r"[;,]", joined(stat) or "") if normalise(p)]
    for part in parts:
        found = _proprietaire_one(part)
        if found:
            return found
    return "autre" if parts else "inconnu"


def _is_etat(proprietaire) -> bool:
    if proprietaire in PROPRIETAIRES:
        return proprietaire == "etat"
    # A raw STAT: the service excludes an objet when any of its owners is the State.
    return any(_proprietaire_one(p) == "etat" for p in re.split(r"[;,]", joined(proprietaire) or ""))


def dossier_individuel(doss) -> bool:
    """DOSS is an individual notice: dossier individuel, individuel, dossier avec
    sous-dossier(s), the typo "dossier indiviuel"; an empty DOSS counts as individual."""
    return normalise(joined(doss)) in DOSSIERS_INDIVIDUELS


def manquant_pop(manquant) -> bool:
    """MANQUANT says volé or manquant (any of its values)."""
    return bool(re.search(r"\bvol|\bmanquant", normalise(joined(manquant))))


def raison_hors_perimetre(insee, doss, manquant, tico, proprietaire,
                          protection_latest_declasse: bool) -> str | None:
    """The scope rules of the service, in order; the code of the first one failed, or None.

    insee: INSEE as published; doss: DOSS; manquant: MANQUANT; tico: TICO; proprietaire:
    the enum value of proprietaire_from (a raw STAT is also accepted: out of scope when any
    owner is the State); protection_latest_declasse: the latest DPRO entry removed the
    protection (declasse_from, or protection_from(...)[0] == 'non_protege' to also leave
    out objets whose PROT alone says they are no longer protected).
    """
    if not normalise(joined(insee)):
        return "insee_manquant"
    if not dossier_individuel(doss):
        return "sous_dossier"
    if manquant_pop(manquant):
        return "vole_ou_manquant"
    if normalise(joined(tico)) == "traitement en cours":
        return "traitement_en_cours"
    if _is_etat(proprietaire):
        return "propriete_etat"
    if protection_latest_declasse:
        return "declasse"
    return None
