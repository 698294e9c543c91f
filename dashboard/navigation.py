"""The app's pages, grouped by audience, each with a stable URL path.

Each section lists the pages of one audience; a page is a thin script of the top-level
pages/ folder.
"""
from __future__ import annotations

import streamlit as st

from dashboard.settings import PAGES_DIR


def _page(script: str, title: str, url_path: str, icon: str, default: bool = False) -> st.Page:
    kwargs = {"default": True} if default else {"url_path": url_path}
    return st.Page(str(PAGES_DIR / script), title=title, icon=icon, **kwargs)


def pages() -> dict[str, list[st.Page]]:
    sections = {
        "": [
            _page("accueil.py", "Accueil", "", ":material/home:", default=True),
        ],
        "Conservateurs": [
            _page("urgences.py", "Cas urgents", "urgences", ":material/emergency:"),
            _page("objet.py", "Fiche objet", "objet", ":material/category:"),
            _page("commune.py", "Fiche commune", "commune", ":material/location_city:"),
            _page("carte.py", "Carte", "carte", ":material/map:"),
            # conservateur pages
        ],
        "Pilotage": [
            # pilotage pages
        ],
        "Déploiement": [
            # deploiement pages
        ],
        "Communes": [
            # communes pages
        ],
        "Données": [
            # donnees pages
        ],
        "À propos": [
            _page("donnees.py", "Données et crédits", "donnees", ":material/menu_book:"),
            _page("accessibilite.py", "Accessibilité", "accessibilite", ":material/accessibility:"),
        ],
    }
    return {name: entries for name, entries in sections.items() if entries}
