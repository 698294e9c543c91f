"""The app's pages, grouped by audience, each with a stable URL path and the roles that may
open it. A page left out for a role is not routable for it either; the data layer enforces
the same scopes regardless."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.settings import PAGES_DIR
from dashboard.reads.urgences import ROLES_URGENCES


@dataclass(frozen=True)
class Entree:
    script: str
    title: str
    url_path: str
    icon: str
    roles: frozenset[str] | None = None  # None: every role

    @property
    def default(self) -> bool:
        return self.url_path == ""


SECTIONS: dict[str, list[Entree]] = {
    "": [
        Entree("accueil.py", "Accueil", "", ":material/home:"),
    ],
    "Conservateurs": [
        Entree("urgences.py", "Cas urgents", "urgences", ":material/emergency:", roles=ROLES_URGENCES),
        Entree("objet.py", "Fiche objet", "objet", ":material/category:"),
        Entree("commune.py", "Fiche commune", "commune", ":material/location_city:"),
        Entree("carte.py", "Carte", "carte", ":material/map:"),
    ],
    "Données": [
        Entree("qualite_donnees.py", "Qualité des données", "qualite-donnees", ":material/rule:",
               roles=frozenset({"admin", "conservateur", "drac"})),
    ],
    "À propos": [
        Entree("donnees.py", "Données et crédits", "donnees", ":material/menu_book:"),
        Entree("accessibilite.py", "Accessibilité", "accessibilite", ":material/accessibility:"),
    ],
}


def visible(role: str) -> dict[str, list[Entree]]:
    shown = {name: [e for e in entries if e.roles is None or role in e.roles] for name, entries in SECTIONS.items()}
    return {name: entries for name, entries in shown.items() if entries}


def pages(role: str) -> dict[str, list[st.Page]]:
    return {
        name: [st.Page(str(PAGES_DIR / e.script), title=e.title, icon=e.icon,
                       **({"default": True} if e.default else {"url_path": e.url_path}))
               for e in entries]
        for name, entries in visible(role).items()
    }
