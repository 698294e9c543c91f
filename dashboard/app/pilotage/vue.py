"""What a view of /couverture or /restauration is, and how it travels in the URL: the
territory (?region=32, ?departement=62, neither: the user's whole scope) and, on
/couverture, the target date of the objective (?echeance=2027-12-31).

Every value read from the URL is checked: an unknown or out-of-scope territory, a
département outside the région asked for, a territory holding no counted objet (an empty
selection), an unreadable date, a date that is not in the future or too far: a French
message each, and the default view (the user's scope, the default date).
Written back, a view keeps only what differs from the defaults, so a copied link reopens it.

Pure: no Streamlit, no database (the page passes the URL as a dict and the territories of
the user's scope, dashboard.reads.carte.Referentiel).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from dashboard.domain import formats
from dashboard.reads.carte import Referentiel
from dashboard.reads.pilotage import Territoire
from dashboard.app import parametres_url

ECHEANCE_MAX_ANS = 30   # a target date further away is no plan anyone reports on
PARAMS = ("region", "departement", "echeance")


@dataclass(frozen=True)
class Vue:
    region: str | None = None
    departement: str | None = None
    echeance: date | None = None      # None: echeance_par_defaut()

    @property
    def territoire(self) -> Territoire:
        return Territoire(self.region, self.departement)

    @property
    def par_defaut(self) -> bool:
        """The whole scope (whatever the date)."""
        return not self.region and not self.departement


def echeance_par_defaut(aujourd_hui: date) -> date:
    """The target date offered first: the end of next year (always more than a year away)."""
    return date(aujourd_hui.year + 1, 12, 31)


def echeance_max(aujourd_hui: date) -> date:
    try:
        return aujourd_hui.replace(year=aujourd_hui.year + ECHEANCE_MAX_ANS)
    except ValueError:  # 29 February
        return aujourd_hui.replace(year=aujourd_hui.year + ECHEANCE_MAX_ANS, day=28)


def date_fr(d: date) -> str:
    return formats.date_fr(d)


def _montre(valeur: str) -> str:
    """A URL value quoted in a message: short, and only harmless characters."""
    return valeur if re.fullmatch(r"[0-9A-Za-z/-]{1,12}", valeur) else "(valeur illisible)"


def lire_date(texte: str) -> date | None:
    """A date as the URL writes it (AAAA-MM-JJ) or as a French reader types it (JJ/MM/AAAA)."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(texte, form).date()
        except ValueError:
            continue
    return None


def probleme_d_echeance(echeance: date, aujourd_hui: date) -> str | None:
    """Why a target date cannot be used (French), None when it can: it must be in the
    future (the months left divide the objets to recense) and within ECHEANCE_MAX_ANS years."""
    if echeance <= aujourd_hui:
        return f"L'échéance doit être postérieure à aujourd'hui ({date_fr(aujourd_hui)})"
    if echeance > echeance_max(aujourd_hui):
        return f"L'échéance doit tomber dans les {ECHEANCE_MAX_ANS} ans (au plus tard le {date_fr(echeance_max(aujourd_hui))})"
    return None


def avec_objets(ref: Referentiel, departements: frozenset[str]) -> Referentiel:
    """The territories of the scope that hold counted objets (`departements`): those a view
    may show, and the widgets offer."""
    deps = tuple(d for d in ref.departements if d[0] in departements)
    regions = {d[2] for d in deps}
    return Referentiel(tuple(r for r in ref.regions if r[0] in regions), deps, ref.categories)


def vue_depuis_url(params: Mapping[str, str], ref: Referentiel, aujourd_hui: date, avec_echeance: bool = True,
                   departements_avec_objets: frozenset[str] | None = None) -> tuple[Vue, list[str]]:
    """The view a URL asks for, and the French messages about what could not be used.
    `ref`: the territories of the user's scope; `departements_avec_objets` (None: all of
    them): those holding counted objets, outside which a territory is an empty selection."""
    messages: list[str] = []
    get = lambda key: (params.get(key) or "").strip() or None  # noqa: E731
    region, departement = get("region"), get("departement")
    perimetre = "Vue de votre périmètre affichée."
    if region and region not in ref.nom_region:
        messages.append(f"Région inconnue ou hors de votre périmètre : {_montre(region)}. {perimetre}")
        region = departement = None
    if departement and departement not in ref.nom_departement:
        messages.append(f"Département inconnu ou hors de votre périmètre : {_montre(departement)}. {perimetre}")
        region = departement = None
    if departement and region and ref.region_de.get(departement) != region:
        messages.append(f"Le département {departement} n'est pas dans la région {ref.nom_region[region]}. {perimetre}")
        region = departement = None
    if departement:
        region = ref.region_de.get(departement)
    if (region or departement) and departements_avec_objets is not None:
        vue = Vue(region, departement)
        if not set(departements_de(ref, vue)) & departements_avec_objets:
            messages.append(f"Aucun objet compté dans ce territoire ({lieu(vue, ref, '')}). {perimetre}")
            region = departement = None

    echeance = None
    texte = get("echeance") if avec_echeance else None
    if texte:
        lue = lire_date(texte)
        defaut = f"Échéance par défaut affichée ({date_fr(echeance_par_defaut(aujourd_hui))})."
        if lue is None:
            messages.append(f"Échéance illisible : {_montre(texte)} (attendu : AAAA-MM-JJ). {defaut}")
        elif probleme := probleme_d_echeance(lue, aujourd_hui):
            messages.append(f"{probleme} : {date_fr(lue)} ne peut pas servir. {defaut}")
        else:
            echeance = lue
    return Vue(region, departement, echeance), messages


def url_de_vue(vue: Vue, aujourd_hui: date) -> dict[str, str]:
    """The URL of a view (only what differs from the defaults)."""
    out = {}
    if vue.departement:
        out["departement"] = vue.departement
    elif vue.region:
        out["region"] = vue.region
    if vue.echeance and vue.echeance != echeance_par_defaut(aujourd_hui):
        out["echeance"] = vue.echeance.isoformat()
    return out


def changements_d_url(actuelle: Mapping[str, str], voulue: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(parameters to set, parameters of this page to remove) to go from one URL to the other."""
    return parametres_url.changements(actuelle, voulue, siens=PARAMS)


def echeance_de(vue: Vue, aujourd_hui: date) -> date:
    return vue.echeance or echeance_par_defaut(aujourd_hui)


def sans_territoire(vue: Vue) -> Vue:
    """The default view (the whole scope), keeping the target date."""
    return replace(vue, region=None, departement=None)


def departements_de(ref: Referentiel, vue: Vue) -> list[str]:
    """The départements of the view, in code order (those of the scope without a territory)."""
    if vue.departement:
        return [vue.departement]
    return [code for code, _, region in ref.departements if vue.region in (None, region)]


def lieu(vue: Vue, ref: Referentiel, perimetre: str) -> str:
    """Where the view is, in words."""
    if vue.departement:
        return f"{vue.departement} — {ref.nom_departement[vue.departement]}"
    return ref.nom_region[vue.region] if vue.region else perimetre


def nom_fichier(prefixe: str, vue: Vue, aujourd_hui: date, perimetre: str = "perimetre") -> str:
    """The downloads' file name (no extension), after the view: the same view, the same name.
    The whole scope is named (`perimetre`: dashboard.domain.formats.nom_perimetre, such as
    "departements-59-62"), not "perimetre"."""
    url = url_de_vue(vue, aujourd_hui)
    if not url:
        return f"{prefixe}-{perimetre}"
    return "-".join([prefixe, *(f"{k}-{v}" for k, v in url.items())])
