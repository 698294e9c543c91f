"""Cleaning rules for POP Palissy values, one function per rule (see palissy.md).

Used by the demo generator and by the Palissy importer, so that a rule lives in one place:
texte (normalised form, whitespace, multi-valued fields), protection (PROT, DPRO),
perimetre (owner and the service's scope), references (REF, Mérimée), communes (INSEE
codes and their resolution). Every function takes the raw published value (None, '' or a messy string) and never
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
from dashboard.domain.palissy.communes import (CommuneResolue, arrondissement_commune, departement_code,
                                              departement_fallback, departement_from_insee, est_code_insee, insee_codes,
                                              insee_principal, resolve_commune)
from dashboard.domain.palissy.perimetre import (DOSSIERS_INDIVIDUELS, PROPRIETAIRES, RAISONS_HORS_PERIMETRE,
                                               dossier_individuel, manquant_pop, proprietaire_from,
                                               raison_hors_perimetre)
from dashboard.domain.palissy.protection import (CLASSE, INSCRIT, NON_PROTEGE, DproEntry, declasse_from, parse_dpro,
                                                protection_from, protection_kind)
from dashboard.domain.palissy.references import mosa_from, notice_pm, ref_from, ref_merimee_from
from dashboard.domain.palissy.texte import clean_text, normalise, split_multi

__all__ = [
    "CLASSE", "INSCRIT", "NON_PROTEGE", "DOSSIERS_INDIVIDUELS", "PROPRIETAIRES", "RAISONS_HORS_PERIMETRE",
    "CommuneResolue", "DproEntry", "arrondissement_commune", "clean_text", "declasse_from", "departement_code",
    "departement_fallback", "departement_from_insee", "dossier_individuel", "est_code_insee", "insee_codes", "insee_principal",
    "manquant_pop", "mosa_from", "normalise", "notice_pm", "parse_dpro", "proprietaire_from", "protection_from",
    "protection_kind", "raison_hors_perimetre", "ref_from", "ref_merimee_from", "resolve_commune", "split_multi",
]
