"""The app's server entry: the Streamlit script (main.py) with the sign-in routes and the map
files' route (dashboard/app/fichiers_carte.py) beside it.

`objets serve` runs `streamlit run dashboard/app/serveur.py`: Streamlit finds `app`, an
st.App, and serves it (uvicorn). AppTest and `streamlit run main.py` still run the script
alone (demo mode, no password or link sign-in). Outside demo mode the server refuses to
start without a sign-in method and a secret key (settings.problemes_connexion).
"""
import sys

import streamlit as st

from dashboard import settings
from dashboard.app import fichiers_carte
from dashboard.app.connexion import routes

_problemes = settings.problemes_connexion()
if _problemes:
    print("erreur : " + " ; ".join(_problemes), file=sys.stderr)
    raise SystemExit(1)

app = st.App(str(settings.APP_SCRIPT), routes=routes.routes() + fichiers_carte.routes())
