"""The Streamlit component of the map of every commune (issue 16): index.html and carte.js
beside this file, over the Leaflet the app serves; no build step, nothing from elsewhere.
What it is sent is built by dashboard/app/carte/nationale.py."""
from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

_composant = components.declare_component("carte_communes", path=str(Path(__file__).parent))


def carte_communes(arguments: dict, key: str):
    """Draws the map; returns the last click ({indice, n}) or None."""
    return _composant(**arguments, key=key, default=None)
