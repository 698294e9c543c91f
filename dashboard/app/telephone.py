"""Lists on a phone, and long lists in pages: whether the browser is a phone, a table's rows
as cards, and the slice of rows a page shows.

A grid of a dozen columns does not read on a 390-pixel screen. Drawing both the grid and the
cards and letting CSS hide one cost every desktop the cards' Markdown (issue 11's profile of
/carte: 560 ms of Markdown rendering before the page was usable), and every phone the grid.
So the server chooses from the request: a browser whose User-Agent says "Mobi" (the sign
every phone browser gives, as MDN advises) gets cards, the others the grid.

Pure apart from the two functions at the end, which draw with Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from dashboard.app import navigation
from dashboard.app.texte import sans_markdown
from dashboard.domain.formats import fmt_int

CARTES_PAR_PAGE = 10


@dataclass(frozen=True)
class Carte:
    """One row as a card: who it is, its figures in words, where it leads."""
    titre: str                 # plain text (escaped when drawn)
    lignes: tuple[str, ...]    # plain text
    lien: str                  # the label of the link
    page: str                  # url_path of the page it opens
    params: dict = field(default_factory=dict)  # its query parameters


def est_un_telephone(user_agent: str | None) -> bool:
    """Whether a User-Agent is a phone's: "Mobi" (Android's and iOS's browsers say "Mobile";
    tablets do not, and get the grid, which fits them)."""
    return "Mobi" in (user_agent or "")


def nombre_de_pages(total: int, par_page: int) -> int:
    return max(1, -(-total // par_page))


def tranche(total: int, page: int, par_page: int) -> tuple[int, int, int]:
    """(page, first row, row after the last) of page `page` (from 0), brought back within the
    pages there are: a list that shrank under a saved page number shows its last page."""
    page = min(max(page, 0), nombre_de_pages(total, par_page) - 1)
    debut = page * par_page
    return page, debut, min(debut + par_page, total)


def sur_telephone() -> bool:
    """Whether this session's browser is a phone (the request's User-Agent; AppTest has none:
    a desktop)."""
    try:
        return est_un_telephone(st.context.headers.get("User-Agent"))
    except Exception:  # noqa: BLE001  (no request behind the script: AppTest, bare mode)
        return False


def pagination(cle: str, total: int, par_page: int, vue: object = None) -> tuple[int, int]:
    """Previous/next buttons under a list shown `par_page` rows at a time; returns the rows
    (first, after last) to show. The page number lives in the session under `cle`, and goes
    back to the first page when `vue` (the filters, the URL) changes."""
    S = st.session_state
    if S.get(f"{cle}_vue") != vue:
        S[f"{cle}_vue"], S[f"{cle}_page"] = vue, 0
    page, debut, fin = tranche(total, S.get(f"{cle}_page", 0), par_page)
    if total > par_page:
        st.caption(f"Lignes {fmt_int(debut + 1)} à {fmt_int(fin)} sur {fmt_int(total)}")
        col = st.columns(2)
        col[0].button("Précédentes", key=f"{cle}_avant", disabled=page == 0,
                      on_click=S.update, kwargs={f"{cle}_page": page - 1})
        col[1].button("Suivantes", key=f"{cle}_apres", disabled=fin >= total,
                      on_click=S.update, kwargs={f"{cle}_page": page + 1})
    return debut, fin


def afficher_cartes(cartes: list[Carte], cle: str) -> None:
    """The cards, in a container keyed `cle` (tests and CSS find it): two elements each, the
    text in one Markdown block and the link."""
    with st.container(key=cle):
        for carte in cartes:
            with st.container(border=True):
                st.markdown(f"**{sans_markdown(carte.titre)}**  \n"
                            + "  \n".join(sans_markdown(ligne) for ligne in carte.lignes))
                st.page_link(navigation.script(carte.page), label=carte.lien, query_params=carte.params)
