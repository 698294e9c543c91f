"""What a click on the map asks for: st_folium returns the last feature clicked (its
properties hold the code), on every rerun, until another feature is clicked.

Pure: the page hands over st_folium's return value and acts on the answer.
"""
from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import replace

from dashboard.app.carte.vue import Vue, url_de_vue


def code_clique(valeur) -> str | None:
    """The code of the feature clicked on the map (st_folium's last_active_drawing): a
    département or commune code, else None (nothing clicked, or not a code)."""
    if not isinstance(valeur, dict):
        return None
    dessin = valeur.get("last_active_drawing") or {}
    code = (dessin.get("properties") or {}).get("code") if isinstance(dessin, dict) else None
    return code if isinstance(code, str) and re.fullmatch(r"[0-9][0-9AB][0-9]{0,3}", code) else None


def nouveau_clic(valeur, vue: Vue, dernier) -> tuple[str, str] | None:
    """(map identity, code) of a click not handled yet. st_folium keeps returning the last
    clicked feature; a new map (another view) starts afresh."""
    code = code_clique(valeur)
    if not code:
        return None
    carte_id = str(sorted(url_de_vue(replace(vue, commune=None)).items()))
    clic = (carte_id, code)
    return None if tuple(dernier or ()) == clic else clic


def cible(code: str, vue: Vue, departements: Container[str], communes: Container[str]) -> tuple[str, str] | None:
    """What the clicked code opens: ("departement", code) on a map of départements (its map
    of communes), ("commune", code) on a map of communes (its side panel); None for a code
    that is not on this map or not in the user's scope."""
    if vue.maille == "departements" and code in departements:
        return ("departement", code)
    if vue.maille == "communes" and code in communes:
        return ("commune", code)
    return None
