"""The app's folium maps reach the browser the same without st_folium's first render
(ui.carte_folium passes render=False), and a map's script is added to its page as plain text
(geo.maps.CompactLayer.render). No Streamlit server, no database: st_folium's component call
is captured."""
from __future__ import annotations

import re

import folium
import pytest
import streamlit_folium

from dashboard.app import ui
from dashboard.app.carte import dessin
from dashboard.app.carte.couche import couche
from dashboard.app.carte.vue import Vue
from tests.app.carte_donnees import FIGURES_COMMUNES, GEO_COMMUNES, GEO_DEPARTEMENTS, REF, geometrie


def _envoye(monkeypatch, fmap: folium.Map, render: bool) -> str:
    """What st_folium sends to its component, random ids made equal."""
    envoi = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: envoi.append(kwargs))
    if render:
        streamlit_folium.st_folium(fmap, key="carte", height=400, returned_objects=[])
    else:
        ui.carte_folium(fmap, key="carte", height=400, returned_objects=[])
    (kwargs,) = envoi
    texte = repr(sorted((k, v) for k, v in kwargs.items() if k not in ("key", "on_change")))
    return re.sub(r"[0-9a-f]{32}", "ID", texte)


def _carte_communes():
    return dessin.construire_carte(GEO_COMMUNES, couche(Vue(region="32", departement="62", maille="communes",
                                                           indicateur="statut"), GEO_COMMUNES, FIGURES_COMMUNES, REF))


def _carte_departements():
    return dessin.construire_carte(GEO_DEPARTEMENTS, couche(Vue(), GEO_DEPARTEMENTS, FIGURES_COMMUNES, REF))


def _carte_commune():
    """As /commune draws one: a base map, a GeoJSON outline, fitted."""
    fmap = dessin.fond_de_carte(location=(50.05, 2.05), zoom_start=12)
    folium.GeoJson({"type": "Polygon", "coordinates": [[[2, 50], [2.1, 50], [2.1, 50.1], [2, 50]]]},
                   tooltip="Ablain", style_function=lambda _: {"color": "#000091"}).add_to(fmap)
    fmap.fit_bounds([[50, 2], [50.1, 2.1]])
    return fmap


@pytest.mark.parametrize("tuiles", [None, "https://tuiles.example/{z}/{x}/{y}.png"])
@pytest.mark.parametrize("construire", [_carte_communes, _carte_departements, _carte_commune])
def test_the_map_sent_is_the_same_without_the_first_render(monkeypatch, construire, tuiles):
    monkeypatch.setenv("OBJETS_TILES_URL", tuiles or "")
    sans = _envoye(monkeypatch, construire(), render=False)   # as the pages draw it
    avec = _envoye(monkeypatch, construire(), render=True)    # st_folium's default
    assert sans == avec
    assert "coucheCompacte" in sans or "geo_json" in sans
    assert ("tuiles.example" in sans) == bool(tuiles)


def test_a_layers_script_is_written_as_it_is_not_read_as_jinja():
    """Before, branca compiled each rendered script as a Jinja template: a "{{" in a name
    was evaluated in the page's HTML."""
    geo = geometrie(["62001", "62041", "62099"], ["Ablain", "Arras {{ 7 * 7 }}", "Vide"], ["62", "62", "62"])
    fmap = dessin.construire_carte(geo, couche(Vue(region="32", departement="62", maille="communes",
                                                   indicateur="statut"), geo, FIGURES_COMMUNES, REF))
    html = fmap.get_root().render()
    assert html.count("coucheCompacte(") == 1
    assert '"nom":["Ablain","Arras {{ 7 * 7 }}","Vide"]' in html
