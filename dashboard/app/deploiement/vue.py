"""What a view of /communes-a-contacter is, and how it travels in the URL: the territory
(?region=32, ?departement=62), the filters (?epci=…, ?objets_min=5, ?masquer_contactees=1,
?masquer_en_campagne=1) and the weight of each criterion of the score (?poids_classes=6…,
dashboard.domain.priorite).

Every value read from the URL is checked, with a French message for each one that cannot be
used and what is used instead: an unknown or out-of-scope territory (the user's scope), a
weight that is not a whole number from 0 to 10 (that criterion's default weight), weights
all at zero (the default weights), a minimum number of objets that is not a number from 1
to 10,000 (1), a yes/no that is neither, an unknown EPCI or one outside the territory (no
EPCI filter; checked against the territory's communes, once they are read: epci_connu()).
Written back, a view keeps only what differs from the defaults, so a copied link reopens it.

Pure: no Streamlit, no database.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard.app.pilotage import vue as territoires
from dashboard.domain import priorite
from dashboard.reads.carte import Referentiel
from dashboard.reads.pilotage import Territoire
from dashboard.app import parametres_url

OBJETS_MIN_MAX = 10_000
OUI, NON = ("1", "oui", "true"), ("0", "non", "false")
PARAMS = ("region", "departement", "epci", "objets_min", "masquer_contactees", "masquer_en_campagne",
          *(f"poids_{c}" for c in priorite.CODES))


@dataclass(frozen=True)
class Filtres:
    """What narrows the communes of the territory (applied to its frame: selection())."""
    epci: str | None = None
    objets_min: int = 1
    masquer_contactees: bool = False
    masquer_en_campagne: bool = False


@dataclass(frozen=True)
class Vue:
    region: str | None = None
    departement: str | None = None
    filtres: Filtres = field(default_factory=Filtres)
    poids: tuple[int, ...] = priorite.PAR_DEFAUT

    @property
    def territoire(self) -> Territoire:
        return Territoire(self.region, self.departement)


def montre(valeur: str) -> str:
    """A URL value quoted in a message: short, and only harmless characters."""
    return valeur if re.fullmatch(r"[0-9A-Za-z_-]{1,12}", valeur) else "(valeur illisible)"


def _entier(texte: str) -> int | None:
    return int(texte) if re.fullmatch(r"[0-9]{1,6}", texte) else None


def lire_poids(params: Mapping[str, str]) -> tuple[tuple[int, ...], list[str]]:
    """The weights of the URL (each criterion's default where it says nothing or cannot be used)."""
    messages, poids = [], []
    for critere, defaut in zip(priorite.CRITERES, priorite.PAR_DEFAUT):
        texte = (params.get(f"poids_{critere.code}") or "").strip()
        valeur = _entier(texte) if texte else defaut
        if valeur is None or not priorite.poids_valide(valeur):
            messages.append(f"Poids hors limites pour « {critere.libelle} » : {montre(texte)} (attendu : un nombre "
                            f"entier de {priorite.POIDS_MIN} à {priorite.POIDS_MAX}). Poids par défaut ({defaut}) "
                            "utilisé.")
            valeur = defaut
        poids.append(valeur)
    if not any(poids):
        messages.append("Tous les poids sont à zéro : aucun critère ne classerait les communes. Poids par défaut "
                        "utilisés.")
        poids = list(priorite.PAR_DEFAUT)
    return tuple(poids), messages


def _oui_non(params: Mapping[str, str], cle: str, libelle: str, messages: list[str]) -> bool:
    texte = (params.get(cle) or "").strip().lower()
    if not texte or texte in NON:
        return False
    if texte in OUI:
        return True
    messages.append(f"Valeur illisible pour « {libelle} » : {montre(texte)} (attendu : 1 ou 0). Filtre ignoré.")
    return False


def vue_depuis_url(params: Mapping[str, str], ref: Referentiel,
                   departements_avec_objets: frozenset[str] | None = None) -> tuple[Vue, list[str]]:
    """The view a URL asks for (its EPCI not checked yet: epci_connu()), and the French messages."""
    territoire, messages = territoires.vue_depuis_url(params, ref, None, avec_echeance=False,
                                                      departements_avec_objets=departements_avec_objets)
    texte = (params.get("objets_min") or "").strip()
    objets_min = _entier(texte) if texte else 1
    if objets_min is None or not 1 <= objets_min <= OBJETS_MIN_MAX:
        messages.append(f"Nombre minimal d'objets invalide : {montre(texte)} (attendu : un nombre entier de 1 à "
                        f"{OBJETS_MIN_MAX:,}). Filtre ignoré.".replace(",", "\u202f"))
        objets_min = 1
    filtres = Filtres(epci=(params.get("epci") or "").strip() or None, objets_min=objets_min,
                      masquer_contactees=_oui_non(params, "masquer_contactees", "Masquer les communes déjà "
                                                  "contactées", messages),
                      masquer_en_campagne=_oui_non(params, "masquer_en_campagne", "Masquer les communes d'une "
                                                   "campagne active", messages))
    poids, erreurs = lire_poids(params)
    return Vue(territoire.region, territoire.departement, filtres, poids), messages + erreurs


def epci_connu(vue: Vue, epcis: Mapping[str, str]) -> tuple[Vue, list[str]]:
    """The view without its EPCI when the territory's communes have none of that code."""
    if vue.filtres.epci is None or vue.filtres.epci in epcis:
        return vue, []
    return (replace(vue, filtres=replace(vue.filtres, epci=None)),
            [f"EPCI inconnu ou hors du territoire choisi : {montre(vue.filtres.epci)}. Filtre ignoré."])


def url_de_vue(vue: Vue) -> dict[str, str]:
    """The URL of a view (only what differs from the defaults)."""
    out = {}
    if vue.departement:
        out["departement"] = vue.departement
    elif vue.region:
        out["region"] = vue.region
    f = vue.filtres
    if f.epci:
        out["epci"] = f.epci
    if f.objets_min != 1:
        out["objets_min"] = str(f.objets_min)
    if f.masquer_contactees:
        out["masquer_contactees"] = "1"
    if f.masquer_en_campagne:
        out["masquer_en_campagne"] = "1"
    for critere, w, defaut in zip(priorite.CRITERES, vue.poids, priorite.PAR_DEFAUT):
        if w != defaut:
            out[f"poids_{critere.code}"] = str(w)
    return out


def changements_d_url(actuelle: Mapping[str, str], voulue: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(parameters to set, parameters of this page to remove) to go from one URL to the other."""
    return parametres_url.changements(actuelle, voulue, siens=PARAMS)


def epcis_de(communes: pd.DataFrame) -> dict[str, str]:
    """The EPCIs of a territory's communes (code -> name), by name."""
    paires = communes[communes["epci"].notna()][["epci", "epci_nom"]].drop_duplicates("epci")
    paires = paires.sort_values(["epci_nom", "epci"], key=lambda s: s.fillna("").str.lower())
    return {code: (nom or code) for code, nom in zip(paires["epci"], paires["epci_nom"])}


def selection(communes: pd.DataFrame, f: Filtres) -> pd.DataFrame:
    """The territory's communes that the filters keep."""
    garde = communes["objets"] >= f.objets_min
    if f.epci:
        garde &= communes["epci"] == f.epci
    if f.masquer_contactees:
        garde &= ~communes["contactee"]
    if f.masquer_en_campagne:
        garde &= ~communes["en_campagne_active"]
    return communes[garde].reset_index(drop=True)
