"""The folium map of a /carte view: geo.maps' compact layer over a base map, given what geo
must not read itself (the tiles URL and their credit from the app's settings, the colour of
the disparus).

Same inputs, same map: Streamlit does not send an unchanged map again, so nothing here
depends on the side panel or on anything but the layer and its geometry. The commune the
panel shows is outlined by the map itself, from the page's URL (?commune=), without a new
map.
"""
from __future__ import annotations

import folium

from dashboard import settings
from dashboard.app.carte.classes import DISPARUS
from dashboard.app.carte.couche import Couche
from dashboard.reads.geometrie import Geometrie
from geo import maps

# Over a base map the classes' colours let its roads and places show through a little.
OPACITE_SUR_FOND = 0.7


def fond_de_carte(**kwargs) -> folium.Map:
    """geo.maps.base_map with the app's base tiles (OBJETS_TILES_URL; none by default)."""
    return maps.base_map(tiles_url=settings.tiles_url(), tiles_attribution=settings.tiles_attribution(), **kwargs)


def construire_carte(geo: Geometrie, c: Couche, fond: folium.Map | None = None,
                     titre: str = "Carte interactive") -> folium.Map:
    """The folium map of a view, on `fond` (default: fond_de_carte(titre=titre)). A map of
    communes outlines the one the URL selects (?commune=) and zooms to it; a map of
    départements writes their codes where their names do not fit."""
    fmap = fond if fond is not None else fond_de_carte(titre=titre)
    styles = c.legende.styles()
    if settings.tiles_url():
        styles = [{**s, "fillOpacity": OPACITE_SUR_FOND} if s.get("fillOpacity", 0) > OPACITE_SUR_FOND else s
                  for s in styles]
    maps.CompactLayer(None, geo.quantum, c.props, styles, c.tooltip, labels=c.labels,
                      markers=c.markers, frames=[[list(a), list(b)] for a, b in geo.frames],
                      geometry_json=geo.json, marker_color=DISPARUS,
                      bounds=[list(geo.bounds[0]), list(geo.bounds[1])] if geo.bounds else None,
                      codes=not c.par_commune, selection="commune" if c.par_commune else None,
                      priorite=geo.priorite).add_to(fmap)
    return fmap
