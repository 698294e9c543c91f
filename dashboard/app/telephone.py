"""Lists on a phone, and long lists in pages, drawn: whether this session's browser is a
phone, previous/next buttons under a list, cards (dashboard.app.listes builds them).

The rules (what a phone is, which rows a page holds, the cards) are pure, in listes.py.
"""
from __future__ import annotations

import streamlit as st

from dashboard.app import navigation
from dashboard.app.listes import Carte, est_un_telephone, tranche
from dashboard.app.texte import sans_markdown
from dashboard.domain.formats import fmt_int

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
