"""What a view of /carte is, and how it travels: read from the URL (every value checked, a
French message for each one that cannot be used), written back to the URL (only what
differs from the defaults, so a copied link reopens the same view), and mapped to and from
the values of the page's widgets.

Pure: no Streamlit, no database. The page passes the URL as a dict and a function that
finds the département of a commune of the user's scope.

One filter, the catégorie, is a widget bound to the URL (`bind="query-params"`, its key is
the URL's name): Streamlit writes that parameter, the page never does (LIES_A_L_URL). The
others cannot be bound without changing the URLs people share: a bound selectbox writes
its displayed label into the URL ("62 — Pas-de-Calais", "18e siècle", "Classés"), where
the URL holds codes (?departement=62&siecle=18&protection=classe); and a bound widget
drops a bad value silently, where the page must say why it shows the national view.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from dashboard.domain.vocabulary import PROTECTION
from dashboard.reads.carte import Filtres, Referentiel
from dashboard.app import parametres_url

INDICATEURS_DEPARTEMENTS = {
    "couverture": "Part des objets recensés (objectif : tous les 5 ans)",
    "dossiers": "Part des communes ayant transmis un dossier",
    "etat": "Part des objets recensés en péril ou en mauvais état",
    "prioritaires": "Nombre d'objets prioritaires (péril ou disparus)",
}
INDICATEURS_COMMUNES = {
    "statut": "Statut du recensement de la commune",
    "etat": "Pire état sanitaire actuel des objets",
}
MAILLES = {"departements": "Départements", "communes": "Communes"}
PROTECTIONS = {c: PROTECTION.pluriel(c) for c in ("classe", "inscrit")}
SIECLES = list(range(1, 22))
PREMIERE_ANNEE = 2000

# URL parameters held by a widget bound to the URL: Streamlit writes them.
LIES_A_L_URL = frozenset({"categorie"})


def annee_courante() -> int:
    return date.today().year


@dataclass(frozen=True)
class Vue:
    region: str | None = None
    departement: str | None = None
    maille: str = "departements"
    indicateur: str = "couverture"
    protection: str | None = None
    categorie: str | None = None
    siecle: int | None = None
    periode: tuple[int, int] | None = None  # years, inclusive; None: the five-year objective
    commune: str | None = None

    @property
    def niveau(self) -> str:
        if self.departement:
            return "departement"
        return "region" if self.region else "france"

    @property
    def filtres(self) -> Filtres:
        return Filtres(self.region if not self.departement else None, self.departement, self.protection,
                       self.categorie, self.siecle, self.periode)

    @property
    def indicateurs(self) -> dict[str, str]:
        return indicateurs_de(self.maille)

    def avec_commune(self, commune: str | None) -> Vue:
        return replace(self, commune=commune)


def maille_de(region: str | None, departement: str | None, maille: str | None) -> str:
    """A département is drawn by commune; a région or France either way (by département
    unless asked: France by commune is the map of every commune, issue 16)."""
    if departement:
        return "communes"
    return maille or "departements"


def indicateurs_de(maille: str) -> dict[str, str]:
    return INDICATEURS_COMMUNES if maille == "communes" else INDICATEURS_DEPARTEMENTS


def departements_de(ref: Referentiel, region: str | None) -> list[str]:
    """The départements offered once a région is chosen (all of the scope without one)."""
    return [code for code, _, r in ref.departements if region in (None, r)]


def normalise(vue: Vue) -> Vue:
    """The view with what its territory implies: the maille, a known indicateur, no
    commune outside a map of communes."""
    maille = maille_de(vue.region, vue.departement, vue.maille)
    indicateurs = indicateurs_de(maille)
    indicateur = vue.indicateur if vue.indicateur in indicateurs else next(iter(indicateurs))
    return replace(vue, maille=maille, indicateur=indicateur,
                   commune=vue.commune if maille == "communes" else None)


def _montre(valeur: str) -> str:
    """A URL value quoted in a message: short, and only harmless characters."""
    return valeur if re.fullmatch(r"[0-9A-Za-z-]{1,12}", valeur) else "(valeur illisible)"


def params_du_perimetre(params: Mapping[str, str], ref: Referentiel, commune: str | None = None) -> dict[str, str]:
    """The URL's parameters, or, when they name no territory and no maille, the map of the
    user's one département (of its commune, with that commune's panel open): for such a scope
    the national view drew a single département to choose, as a deployment officer or a
    commune found it."""
    params = dict(params)
    if any((params.get(k) or "").strip() for k in ("region", "departement", "commune", "maille")):
        return params
    if commune:
        return {**params, "commune": commune}
    if ref.departement_unique:
        return {**params, "departement": ref.departement_unique}
    return params


def vue_depuis_url(params: Mapping[str, str], ref: Referentiel,
                   departement_de_commune: Callable[[str], str | None] | None = None,
                   derniere_annee: int | None = None) -> tuple[Vue, list[str]]:
    """The view a URL asks for, and the French messages about what could not be used.

    An unknown or out-of-scope territory (région, département, commune) gives the national
    view; a bad filter is dropped. `departement_de_commune(code)` returns the département of
    a commune of the scope, or None; `derniere_annee` ends the periods allowed (this year).
    """
    messages: list[str] = []
    get = lambda key: (params.get(key) or "").strip() or None  # noqa: E731
    region, departement, commune = get("region"), get("departement"), get("commune")
    national = False
    if region and region not in ref.nom_region:
        messages.append(f"Région inconnue ou hors de votre périmètre : {_montre(region)}. Vue nationale affichée.")
        national = True
    if departement and departement not in ref.nom_departement:
        messages.append(f"Département inconnu ou hors de votre périmètre : {_montre(departement)}. "
                        "Vue nationale affichée.")
        national = True
    if commune and not national:
        dep = (departement_de_commune(commune)
               if departement_de_commune and re.fullmatch(r"[0-9][0-9AB][0-9]{3}", commune) else None)
        if dep is None:
            messages.append(f"Commune inconnue ou hors de votre périmètre : {_montre(commune)}. "
                            "Vue nationale affichée.")
            national = True
        elif departement and departement != dep:
            messages.append("La commune demandée n'est pas dans ce département : vue nationale affichée.")
            national = True
        elif departement or region or get("maille") != "communes":
            departement = dep
        # else: France by commune with a commune's panel open: the view stays national.
    if national:
        region = departement = commune = None
    if departement:
        region = ref.region_de.get(departement)

    maille = get("maille") or "departements"
    if maille not in MAILLES:
        messages.append(f"Maille inconnue : {_montre(maille)}. Départements affichés.")
        maille = "departements"
    indicateur = get("indicateur") or ""
    if indicateur and indicateur not in INDICATEURS_DEPARTEMENTS and indicateur not in INDICATEURS_COMMUNES:
        messages.append(f"Indicateur inconnu : {_montre(indicateur)}. Indicateur par défaut affiché.")
    protection = get("protection")
    if protection and protection not in PROTECTIONS:
        messages.append(f"Protection inconnue : {_montre(protection)} (attendu : classe ou inscrit). Filtre ignoré.")
        protection = None
    categorie = get("categorie")
    if categorie and categorie not in ref.categories:
        messages.append("Catégorie inconnue : filtre ignoré.")
        categorie = None
    siecle_txt, siecle = get("siecle"), None
    if siecle_txt:
        if siecle_txt.isdigit() and int(siecle_txt) in SIECLES:
            siecle = int(siecle_txt)
        else:
            messages.append(f"Siècle invalide : {_montre(siecle_txt)} (attendu : un nombre de 1 à 21). Filtre ignoré.")
    periode_txt, periode = get("periode"), None
    if periode_txt:
        found = re.fullmatch(r"(\d{4})-(\d{4})", periode_txt)
        last = derniere_annee or annee_courante()
        if found and PREMIERE_ANNEE <= int(found[1]) <= int(found[2]) <= last:
            periode = (int(found[1]), int(found[2]))
        else:
            messages.append(f"Période invalide (attendu : AAAA-AAAA entre {PREMIERE_ANNEE} et {last}). "
                            "Objectif des 5 ans affiché.")
    vue = Vue(region=region, departement=departement, maille=maille, indicateur=indicateur,
              protection=protection, categorie=categorie, siecle=siecle, periode=periode, commune=commune)
    return normalise(vue), messages


def url_de_vue(vue: Vue) -> dict[str, str]:
    """The URL of a view (only what differs from the defaults), so a copied URL reopens it."""
    vue = normalise(vue)
    out = {}
    if vue.departement:
        out["departement"] = vue.departement
    else:
        if vue.region:
            out["region"] = vue.region
        if vue.maille != "departements":
            out["maille"] = vue.maille
    if vue.indicateur != next(iter(vue.indicateurs)):
        out["indicateur"] = vue.indicateur
    for key in ("protection", "categorie"):
        if getattr(vue, key):
            out[key] = getattr(vue, key)
    if vue.siecle:
        out["siecle"] = str(vue.siecle)
    if vue.periode:
        out["periode"] = f"{vue.periode[0]}-{vue.periode[1]}"
    if vue.commune:
        out["commune"] = vue.commune
    return out


def changements_d_url(actuelle: Mapping[str, str], voulue: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(parameters to set, parameters to remove) to go from one URL to the other, leaving
    alone those a bound widget holds (Streamlit refuses that the page writes them)."""
    return parametres_url.changements(actuelle, voulue, lies=LIES_A_L_URL)


def url_changee(lue: Mapping[str, str], ecrite: Mapping[str, str] | None) -> bool:
    """Whether the URL of this run is not the one the page wrote last (first visit, a
    copied link, the back button): then it sets the widgets. The bound parameters do not
    count: Streamlit keeps their widgets and the URL in step itself."""
    if ecrite is None:
        return True
    propre = lambda url: {k: v for k, v in url.items() if k not in LIES_A_L_URL}  # noqa: E731
    return propre(lue) != propre(ecrite)


# --- the widgets ----------------------------------------------------------------------------
# Their keys in st.session_state; a bound widget's key is its URL parameter.

def periode_par_defaut(annee: int) -> tuple[int, int]:
    return (annee - 4, annee)


def widgets_de_vue(vue: Vue, annee: int) -> dict:
    """The values that make the page's own widgets show `vue` (when the URL changed from
    outside). Not the bound widget's: Streamlit sets it from the URL itself (first visit,
    back button), and a value set here from a URL that lags behind the widget would undo
    the user's last choice."""
    return {
        "carte_region": vue.region, "carte_departement": vue.departement, "carte_maille": vue.maille,
        "carte_indicateur": vue.indicateur, "carte_protection": vue.protection, "carte_siecle": vue.siecle,
        "carte_periode_on": vue.periode is not None, "carte_periode": vue.periode or periode_par_defaut(annee),
        "carte_commune": vue.commune,
    }


def vue_des_widgets(valeurs: Mapping) -> Vue:
    """The view the widgets' values choose (st.session_state, or any mapping; the bound
    widget's key is its URL name)."""
    periode = valeurs.get("carte_periode") if valeurs.get("carte_periode_on") else None
    return normalise(Vue(
        region=valeurs.get("carte_region"), departement=valeurs.get("carte_departement"),
        maille=valeurs.get("carte_maille") or "departements", indicateur=valeurs.get("carte_indicateur") or "",
        protection=valeurs.get("carte_protection"), categorie=valeurs.get("categorie"),
        siecle=valeurs.get("carte_siecle"), periode=tuple(periode) if periode else None,
        commune=valeurs.get("carte_commune")))


# --- words ------------------------------------------------------------------------------------

def libelle_siecle(siecle: int | None) -> str:
    if siecle is None:
        return "Tous"
    return "1er siècle" if siecle == 1 else f"{siecle}e siècle"


def lieu(vue: Vue, ref: Referentiel, perimetre: str) -> str:
    """Where the view is, in words: its département, its région, else the user's scope."""
    if vue.departement:
        return f"{vue.departement} — {ref.nom_departement[vue.departement]}"
    return ref.nom_region[vue.region] if vue.region else perimetre
