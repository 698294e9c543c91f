"""The app's pages, grouped by what they are about (a section is shown to every role that may
open one of its pages: its name says the topic, not an audience), each with a stable URL path
and the capability a role needs to open it (dashboard.domain.rights). A page a role may not open is not routable
for it either; the data layer enforces the same scopes and rights regardless."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.domain import rights
from dashboard.domain.rights import Capacite
from dashboard.settings import PAGES_DIR


@dataclass(frozen=True)
class Entree:
    script: str
    title: str
    url_path: str
    icon: str
    capacite: Capacite | None = None  # None: every role

    @property
    def default(self) -> bool:
        return self.url_path == ""

    def ouverte_a(self, role: str) -> bool:
        return self.capacite is None or rights.peut(role, self.capacite)


SECTIONS: dict[str, list[Entree]] = {
    "": [
        Entree("accueil.py", "Accueil", "", ":material/home:"),
        # A commune answers its questionnaire there; a conservateur reads a commune's (issue 15).
        Entree("recensement.py", "Recensement", "recensement", ":material/checklist:", Capacite.VOIR_QUESTIONNAIRE),
    ],
    # The conservateur's work, and the fiches and map that every role reads.
    "Objets et communes": [
        # The inbox: a work list whose every row leads to an examen, which only EXAMINER may do.
        Entree("a_examiner.py", "Dossiers à examiner", "a-examiner", ":material/inbox:", Capacite.EXAMINER),
        Entree("urgences.py", "Cas urgents", "urgences", ":material/emergency:", Capacite.VOIR_URGENCES),
        Entree("objet.py", "Fiche objet", "objet", ":material/category:"),
        Entree("commune.py", "Fiche commune", "commune", ":material/location_city:"),
        Entree("carte.py", "Carte", "carte", ":material/map:"),
        Entree("communes_sans_adresse.py", "Communes sans adresse", "communes-sans-adresse",
               ":material/contact_mail:", Capacite.GERER_CONTACTS_COMMUNES),
    ],
    # DRAC managers, conservateurs and administrateurs, each in their scope (issue 13).
    "Pilotage": [
        Entree("couverture.py", "Couverture et objectif", "couverture", ":material/monitoring:",
               Capacite.VOIR_PILOTAGE),
        Entree("restauration.py", "Restauration", "restauration", ":material/construction:", Capacite.VOIR_PILOTAGE),
    ],
    # Deployment officers, conservateurs (their départements) and administrateurs (issue 14).
    "Déploiement": [
        Entree("communes_a_contacter.py", "Communes à contacter", "communes-a-contacter", ":material/person_search:",
               Capacite.VOIR_DEPLOIEMENT),
        Entree("a_rappeler.py", "À rappeler", "a-rappeler", ":material/phone_callback:", Capacite.VOIR_DEPLOIEMENT),
        Entree("campagnes.py", "Campagnes", "campagnes", ":material/campaign:", Capacite.VOIR_DEPLOIEMENT),
    ],
    "Données": [
        Entree("qualite_donnees.py", "Qualité des données", "qualite-donnees", ":material/rule:",
               Capacite.VOIR_QUALITE_DONNEES),
    ],
    "À propos": [
        Entree("donnees.py", "Données et crédits", "donnees", ":material/menu_book:"),
        Entree("accessibilite.py", "Accessibilité", "accessibilite", ":material/accessibility:"),
    ],
}
_PAR_URL = {e.url_path: e for entries in SECTIONS.values() for e in entries}


def script(url_path: str) -> str:
    """The script path of a page, as st.page_link and st.switch_page take it."""
    return str(PAGES_DIR / _PAR_URL[url_path].script)


def visible(role: str) -> dict[str, list[Entree]]:
    shown = {name: [e for e in entries if e.ouverte_a(role)] for name, entries in SECTIONS.items()}
    return {name: entries for name, entries in shown.items() if entries}


def pages(role: str, connexion: bool = False) -> dict[str, list[st.Page]]:
    """The pages a role opens; with `connexion`, the sign-in page too (demo mode, not signed in)."""
    found = {
        name: [st.Page(str(PAGES_DIR / e.script), title=e.title, icon=e.icon,
                       **({"default": True} if e.default else {"url_path": e.url_path}))
               for e in entries]
        for name, entries in visible(role).items()
    }
    if connexion:
        found["Compte"] = [page_connexion()]
    return found


def pages_anonymes() -> list[st.Page]:
    """Not signed in (outside demo mode): the sign-in page under every URL of the app, so that
    a link to /carte or /commune?code=… opens it rather than Streamlit's "page not found"."""
    return [page_connexion(default=True)] + [page_connexion(url_path=e.url_path) for e in _PAR_URL.values()
                                             if not e.default]


def page_connexion(default: bool = False, url_path: str = "se-connecter") -> st.Page:
    """The sign-in page (pages/connexion.py). Its URL is not /connexion: that path is the
    password form's HTTP route (dashboard.app.connexion.routes)."""
    return st.Page(str(PAGES_DIR / "connexion.py"), title="Connexion", icon=":material/login:",
                   **({"default": True} if default else {"url_path": url_path}))
