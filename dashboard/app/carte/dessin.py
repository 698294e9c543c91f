"""The folium map of a /carte view: geo.maps' compact layer over a base map, given what geo
must not read itself (the tiles URL from the app's settings, the colour of the disparus).

Same inputs, same map: Streamlit does not send an unchanged map again, so nothing here
depends on the side panel or on anything but the layer and its geometry.
"""
from __future__ import annotations

import folium

from dashboard import settings
from dashboard.app.carte.classes import DISPARUS
from dashboard.app.carte.couche import Couche
from dashboard.reads.geometrie import Geometrie
from geo import maps


def fond_de_carte(**kwargs) -> folium.Map:
    """geo.maps.base_map with the app's base tiles (OBJETS_TILES_URL; none by default)."""
    return maps.base_map(tiles_url=settings.tiles_url(), **kwargs)


def construire_carte(geo: Geometrie, c: Couche, fond: folium.Map | None = None) -> folium.Map:
    """The folium map of a view, on `fond` (default: fond_de_carte())."""
    fmap = fond if fond is not None else fond_de_carte()
    maps.CompactLayer(None, geo.quantum, c.props, c.legende.styles(), c.tooltip, labels=c.labels,
                      markers=c.markers, frames=[[list(a), list(b)] for a, b in geo.frames],
                      geometry_json=geo.json, marker_color=DISPARUS).add_to(fmap)
    if geo.bounds:
        fmap.fit_bounds([list(geo.bounds[0]), list(geo.bounds[1])])
    return fmap
