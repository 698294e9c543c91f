"""The one search of communes and of objets, as one types, for every page that asks for one
(issue 11): the fiches /commune and /objet opened without a code (or with a wrong one, which
can then be corrected in place), the commune filter of /urgences, the sign-in page of
communes. Accents, case, hyphens and apostrophes do not matter ("courcelles les lens" finds
Courcelles-lès-Lens): the database compares normalise_recherche() of both sides, through
trigram indexes (dashboard.reads.recherche, queries/recherche.sql).

The field commits as one types (`live`, after a short pause) and the suggestions follow:
links that open the fiche in the same tab, or a list to choose from. Every name shown is
text from the database: through sans_markdown wherever Markdown would be rendered.
"""
from __future__ import annotations

import streamlit as st

from dashboard.app import choix, fiche_url, navigation, ui
from dashboard.domain.identity import NATIONAL, Scope, User
from dashboard.reads import fiches, recherche

PAUSE = "300ms"  # the field commits after this pause in typing (Streamlit's `live`)
AUCUNE_COMMUNE = "Aucune commune ne correspond : vérifiez l'orthographe, ou saisissez le code INSEE."


def saisie(label: str, key: str, placeholder: str, aide: str | None = None, on_change=None, args=()) -> str:
    """A search field that commits as one types."""
    return st.text_input(label, key=key, live=PAUSE, type="search", placeholder=placeholder, help=aide,
                         max_chars=recherche.TEXTE_MAX, autocomplete="off", on_change=on_change or "rerun",
                         args=args) or ""


def communes(texte: str, scope: Scope = NATIONAL) -> list[dict]:
    """The suggestions for what was typed (cached: the same text is one read for everyone)."""
    texte = recherche.texte_cherche(texte)
    if len(texte) < recherche.COMMUNES_MIN:
        return []
    return ui.read(recherche.communes, texte, scope)


def liens_communes(trouvees: list[dict]) -> None:
    """Each commune found, a link to its fiche in this tab."""
    for c in trouvees:
        st.page_link(navigation.script("commune"), label=ui.sans_markdown(recherche.libelle_commune(c)),
                     query_params={"code": c["code_insee"]}, icon=":material/location_city:")


def _choisir_la_premiere(key: str, scope: Scope) -> None:
    """After a new text, its best suggestion is chosen (callback: before the widgets run)."""
    trouvees = communes(st.session_state.get(f"{key}_texte") or "", scope)
    st.session_state[f"{key}_choix"] = trouvees[0]["code_insee"] if trouvees else None


def choisir_commune(label: str, key: str, scope: Scope = NATIONAL, actuelle: dict | None = None,
                    aucune: str = "Aucune") -> str | None:
    """A commune chosen by name: a part of its name (or its INSEE code) typed, then one of
    the suggestions picked (the best one is picked as one types). Returns its INSEE code, or
    None. `actuelle`: the commune chosen before (from the URL), kept among the choices; its
    code may be set in st.session_state[f"{key}_choix"] before the call. Keys:
    f"{key}_texte", f"{key}_choix"."""
    texte = saisie(label, f"{key}_texte", "Nom, sans se soucier des accents ni des tirets, ou code INSEE",
                   aide="Par exemple « courcelles les lens » pour Courcelles-lès-Lens.",
                   on_change=_choisir_la_premiere, args=(key, scope))
    trouvees = communes(texte, scope)
    if recherche.texte_cherche(texte) and not trouvees:
        st.caption(AUCUNE_COMMUNE)
    options: dict[str, str] = {}
    if actuelle:
        options[actuelle["code_insee"]] = recherche.libelle_commune(actuelle)
    for c in trouvees:
        options.setdefault(c["code_insee"], recherche.libelle_commune(c))
    if st.session_state.get(f"{key}_choix") not in options:
        st.session_state[f"{key}_choix"] = None
    # Never disabled, even with nothing to choose: Streamlit greys a disabled widget's label
    # below the contrast WCAG asks for (axe-core, tests/browser/test_accessibilite.py).
    return st.selectbox(f"{label} trouvée", [None, *options], key=f"{key}_choix",
                        **choix.avec_aucun(choix.libelle(options, aucune)))


# --- the fiches (/objet?ref=, /commune?code=) ---------------------------------------------------

def fiche_de_l_url(lire, user: User, demande: fiche_url.Demande):
    """(code, fiche) of a fiche page: the code from the URL (?param=), then what
    lire(scope, role, code) returns. When there is nothing to show (no code, a malformed
    one, unknown, outside the user's scope), the page's title, the French message that says
    why, and the search field, where a code or words can be typed (a wrong code is corrected
    in place); then the page stops."""
    code = fiche_url.code_demande(demande, st.query_params.get(demande.param), user.scope.commune)
    message = None
    if code and not demande.bonne_forme(code):
        message = demande.mal_forme
    elif code:
        try:
            fiche = ui.read(lire, user.scope, user.role, code)
        except fiches.Absent as exc:
            message = fiche_url.message_absent(demande, code, str(exc), ui.sans_markdown(user.scope.libelle))
        else:
            # Written back: the address bar then names the fiche shown (a link to this same
            # page, such as a suggestion, does not update it by itself in Streamlit 1.67).
            st.query_params[demande.param] = code
            return code, fiche
    st.title(demande.titre)
    if message:
        st.error(message)
    _chercher_une_fiche(user, demande, code)
    st.stop()


def _chercher_une_fiche(user: User, demande: fiche_url.Demande, code_de_l_url: str) -> None:
    """The field of a fiche page: a well-formed code typed opens it; words list the
    communes (or objets) of the user's scope that hold them, each a link to its fiche."""
    objet = demande is fiche_url.OBJET
    texte = saisie(demande.libelle, f"recherche_{demande.param}", demande.exemple, aide=demande.aide)
    tape = fiche_url.normaliser(texte)
    if tape and demande.bonne_forme(tape):
        if tape != code_de_l_url:  # typed: open it (the same wrong code again changes nothing)
            st.query_params[demande.param] = tape
            st.rerun()
        return
    if not recherche.texte_cherche(texte):
        st.caption(demande.aide)
        return
    if objet:
        _suggestions_objets(user, texte)
    else:
        trouvees = communes(texte, user.scope)
        if trouvees:
            st.caption("Communes de votre périmètre qui correspondent :")
            liens_communes(trouvees)
        else:
            st.info(AUCUNE_COMMUNE)


def _suggestions_objets(user: User, texte: str) -> None:
    if len(recherche.texte_cherche(texte)) < recherche.OBJETS_MIN:
        st.caption(f"Saisissez au moins {recherche.OBJETS_MIN} caractères.")
        return
    found = ui.read(recherche.objets, user.scope, texte)
    if not found.trouves:
        st.info("Aucun objet de votre périmètre ne correspond : essayez un mot du titre, de l'édifice, "
                "ou la référence Palissy (par exemple PM62000123).")
        return
    st.caption("Objets de votre périmètre qui correspondent (titre, référence ou édifice) :")
    for o in found.trouves:
        st.page_link(navigation.script("objet"), label=ui.sans_markdown(recherche.libelle_objet(o)),
                     query_params={"ref": o["ref"]}, icon=":material/category:")
    if found.davantage:
        st.caption("D'autres objets correspondent : ajoutez un mot (du titre, de l'édifice) pour préciser.")
