"""The app's pages, grouped by audience, each with a stable URL path."""
from __future__ import annotations

import streamlit as st

from dashboard.settings import PAGES_DIR


def _page(script: str, title: str, url_path: str, icon: str, default: bool = False) -> st.Page:
    kwargs = {"default": True} if default else {"url_path": url_path}
    return st.Page(str(PAGES_DIR / script), title=title, icon=icon, **kwargs)


def pages() -> dict[str, list[st.Page]]:
    return {
        "": [_page("accueil.py", "Accueil", "", "🏠", default=True)],
        "À propos": [
            _page("donnees.py", "Données et crédits", "donnees", "📚"),
            _page("accessibilite.py", "Accessibilité", "accessibilite", "♿"),
        ],
    }
