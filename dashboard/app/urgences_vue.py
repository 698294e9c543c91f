"""What a view of /urgences is, and how it travels in its URL: read from the URL (every value
checked, a French message for each one that cannot be used, the others kept), written back
(only what differs from "everything"), and mapped to and from the page's widgets.

    /urgences?departement=59,62&commune=62249&niveau=prioritaire&constat=peril,disparu
             &protection=classe&examen=non&categorie=orfèvrerie&nouveaux=true

Two filters are widgets bound to the URL by Streamlit (`bind="query-params"`, their key is
the URL's name, LIES_A_L_URL): the catégorie, whose label is its value, and "only the new
ones", a checkbox (true/false). The others hold codes behind French labels: a bound widget
would write its label into the URL ("62 Pas-de-Calais", "Non examinés"), and drop a value it
does not know without a word, where the page must say which value it could not use. Their
values are read here and the page writes them back at the end of each run.

Pure: no Streamlit, no database. The page gives the URL as a dict, the filters' choices,
and a function that finds a commune of the user's scope by its INSEE code.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping

from dashboard.domain import formats, palissy
from dashboard.domain.vocabulary import CONSTAT, URGENCE
from dashboard.reads.urgences import Filtres
from dashboard.app import parametres_url

# Rows the page shows at a time: the whole of France is thousands of cases (the exports hold them all).
LIGNES_PAR_PAGE = 500
LIES_A_L_URL = frozenset({"categorie", "nouveaux"})
EXAMEN = {"oui": True, "non": False}
_LIBELLE_EXAMEN = {None: "Tous", False: "Non examinés", True: "Examinés"}

# The keys of the page's own widgets in st.session_state (a bound widget's key is its URL name).
CLES = {"departements": "urgences_departements", "commune": "urgences_commune_choix",
        "niveaux": "urgences_niveaux", "constats": "urgences_constats", "protections": "urgences_protections",
        "examine": "urgences_examen"}


def _montre(valeur: str) -> str:
    """A URL value quoted in a message: short, and only harmless characters."""
    return valeur if re.fullmatch(r"[0-9A-Za-z_-]{1,20}", valeur) else "(valeur illisible)"


def _liste(texte: str | None) -> list[str]:
    return [v.strip() for v in (texte or "").split(",") if v.strip()]


def filtres_depuis_url(params: Mapping[str, str], choix: Mapping[str, list],
                       commune_de: Callable[[str], dict | None], voit_securisation: bool
                       ) -> tuple[Filtres, list[str]]:
    """The filters a URL asks for, and a French message for each value that cannot be used
    (that filter is dropped; the others are kept: a bad commune keeps a good département).

    `choix`: what the filters offer (dashboard.reads.urgences.choix_filtres: the
    départements, catégories and protections of the scope's urgent cases); `commune_de(code)`:
    the commune of the user's scope with that INSEE code, or None."""
    messages: list[str] = []
    get = lambda key: (params.get(key) or "").strip()  # noqa: E731

    def codes(key: str, permis, quoi: str) -> tuple[str, ...]:
        bons, mauvais = [], []
        for v in _liste(get(key)):
            (bons if v in permis else mauvais).append(v)
        if mauvais:
            messages.append(f"{quoi} inconnu{'s' if len(mauvais) > 1 else ''} ou sans cas urgent dans votre "
                            f"périmètre : {', '.join(_montre(v) for v in mauvais)}. "
                            + ("Les autres sont gardés." if bons else "Filtre ignoré."))
        return tuple(dict.fromkeys(bons))

    departements = codes("departement", {code for code, _ in choix["departements"]}, "Département")
    niveaux = codes("niveau", URGENCE.codes, "Niveau")
    constats_permis = [c for c in CONSTAT.codes if voit_securisation or c != "en_danger"]
    constats = codes("constat", constats_permis, "Constat")
    protections = codes("protection", choix["protections"], "Protection")

    commune = get("commune") or None
    if commune:
        trouvee = commune_de(commune) if palissy.est_code_insee(commune) else None
        if trouvee is None:
            messages.append(f"Commune inconnue ou hors de votre périmètre : {_montre(commune)}. Filtre commune "
                            "ignoré" + (", le département est gardé." if departements else "."))
            commune = None
        elif departements and trouvee["departement_code"] not in departements:
            messages.append("La commune demandée n'est pas dans le département choisi : filtre commune ignoré.")
            commune = None

    examen_txt = get("examen").lower()
    examine = EXAMEN.get(examen_txt)
    if examen_txt and examine is None:
        messages.append(f"Examen : valeur inconnue {_montre(examen_txt)} (attendu : oui ou non). Filtre ignoré.")

    categorie = get("categorie") or None
    if categorie and categorie not in choix["categories"]:
        messages.append("Catégorie inconnue ou sans cas urgent dans votre périmètre : filtre ignoré.")
        categorie = None
    nouveaux_txt = get("nouveaux").lower()
    if nouveaux_txt and nouveaux_txt not in ("true", "false"):
        messages.append("« nouveaux » : valeur inconnue (attendu : true). Tous les cas sont affichés.")
    return Filtres(departements=departements, commune=commune, niveaux=niveaux, constats=constats,
                   protections=protections, categorie=categorie, examine=examine,
                   nouveaux=nouveaux_txt == "true"), messages


def url_des_filtres(f: Filtres) -> dict[str, str]:
    """The page's part of the URL of a view (not the bound widgets'), only what filters."""
    out = {}
    for key, values in (("departement", f.departements), ("niveau", f.niveaux), ("constat", f.constats),
                        ("protection", f.protections)):
        if values:
            out[key] = ",".join(values)
    if f.commune:
        out["commune"] = f.commune
    if f.examine is not None:
        out["examen"] = "oui" if f.examine else "non"
    return out


def changements_d_url(actuelle: Mapping[str, str], voulue: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(parameters to set, parameters to remove) to go from one URL to the other, leaving
    alone those a bound widget holds (Streamlit refuses that the page writes them)."""
    return parametres_url.changements(actuelle, voulue, lies=LIES_A_L_URL)


def url_vers_la_fiche(url: Mapping[str, str], ref: str) -> dict[str, str]:
    """The parameters of the switch to an objet's fiche from a view: its REF, and the view's
    own filters. st.switch_page first writes them into the URL of the page it leaves, so
    that the back button returns to the same view, not to /urgences?ref=… (every filter
    lost). The bound filters (catégorie, nouveaux) cannot go along: Streamlit refuses that a
    page sets them."""
    return {**{k: v for k, v in url.items() if k not in LIES_A_L_URL and k != "ref"}, "ref": ref}


def url_changee(lue: Mapping[str, str], ecrite: Mapping[str, str] | None) -> bool:
    """Whether the URL of this run is not the one the page wrote last (first visit, a copied
    link, the back button): then it sets the widgets."""
    if ecrite is None:
        return True
    propre = lambda url: {k: v for k, v in url.items() if k not in LIES_A_L_URL}  # noqa: E731
    return propre(lue) != propre(ecrite)


def widgets_oublies(valeurs: Mapping) -> bool:
    """Whether the page's widgets are gone from the session (st.session_state): Streamlit
    forgets the widgets of a page once another page has run, so back from a fiche the URL
    must set them again, even when it is the one the page wrote last."""
    return any(cle not in valeurs for cle in CLES.values())


def widgets_des_filtres(f: Filtres) -> dict:
    """The values that make the page's own widgets show `f`."""
    return {CLES["departements"]: list(f.departements), CLES["commune"]: f.commune,
            CLES["niveaux"]: list(f.niveaux), CLES["constats"]: list(f.constats),
            CLES["protections"]: list(f.protections), CLES["examine"]: f.examine}


def filtres_des_widgets(valeurs: Mapping, nouveaux_possibles: bool = True) -> Filtres:
    """The filters the widgets' values choose (st.session_state, or any mapping)."""
    return Filtres(
        departements=tuple(valeurs.get(CLES["departements"]) or ()), commune=valeurs.get(CLES["commune"]) or None,
        niveaux=tuple(valeurs.get(CLES["niveaux"]) or ()), constats=tuple(valeurs.get(CLES["constats"]) or ()),
        protections=tuple(valeurs.get(CLES["protections"]) or ()), categorie=valeurs.get("categorie") or None,
        examine=valeurs.get(CLES["examine"]), nouveaux=bool(valeurs.get("nouveaux")) and nouveaux_possibles)


def filtres_actifs(f: Filtres) -> str | None:
    """"2 filtres actifs" (None: none is): said under the filters' panel on a phone, where
    the panel is closed. One per filter set, as precisions() names them."""
    actifs = len(precisions(f))
    return formats.pluriel(actifs, "filtre actif", "filtres actifs") if actifs else None


def libelle_examen(valeur: bool | None) -> str:
    return _LIBELLE_EXAMEN[valeur]


def cle_de_selection(f: Filtres, debut: int = 0) -> str:
    """The key of the table's selection for a view and its page (from row `debut`): a new
    view or page, a new key, so that a row picked in one is never read as a row of the next
    (rows are positions)."""
    return "urgences_table_" + hashlib.sha1(repr((f, debut)).encode("utf-8")).hexdigest()[:12]


def precisions(f: Filtres) -> list[str]:
    """The filters of a view, for an export's file name (dashboard.domain.formats.nom_de_fichier)."""
    url = url_des_filtres(f)
    out = [f"{k}-{v.replace(',', '-')}" for k, v in url.items()]
    if f.categorie:
        out.append(f.categorie)
    if f.nouveaux:
        out.append("nouveaux")
    return out

