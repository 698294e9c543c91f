"""Folium maps that need no network beyond the app: Leaflet comes from the app's static
folder (installed by dashboard/ops/vendor.sh), base tiles from a URL the caller passes
(none: no base map).

base_map() is a map with French controls (zoom buttons titled "Zoom avant" / "Zoom
arrière", a metric scale, a short attribution), fractional zoom (a fitted territory fills
its frame), touch gestures that leave one finger to the page, and a title for the frame.

The scripts of both live in geo/js/cartes.js, a file the app serves beside Leaflet: a map
sends only its data and a call per element, not 12 KB of functions with every map.

CompactLayer draws many polygons from geo.encode's compact strings: the browser decodes
them, colours each feature by its class, builds tooltips from a few numbers per feature
(no per-feature HTML or style is sent), writes the names that fit at the current zoom, fits
the territory, and outlines the feature the page's URL selects.

Nothing here reads the app's settings: the caller passes the tiles URL and, if the app
serves the library elsewhere, its URL.
"""
from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.encode import ALPHABET, script_json

# Where Streamlit serves the folder static/ beside the entry script, plus the vendor folder.
STATIC = "/app/static/vendor"

# Short: the full credits are written under the map.
ATTRIBUTION = "Contours IGN, INSEE · Objets POP (Culture), Licence Ouverte"
PREFIXE = '<a href="https://leafletjs.com" title="Bibliothèque de cartes Leaflet">Leaflet</a>'
ZOOM_AVANT, ZOOM_ARRIERE = "Zoom avant", "Zoom arrière"
DEUX_DOIGTS = "Utilisez deux doigts pour déplacer la carte"


def libraries(static_url: str = STATIC) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(scripts, stylesheets) of a folium map, served from `static_url`: Leaflet alone (folium
    would add jQuery, Bootstrap and Font Awesome, which these maps do not use: each costs
    the browser a request and its parsing before the map is drawn), and this module's own
    functions (geo/js/cartes.js, copied there by dashboard/ops/vendor.sh)."""
    return ([("leaflet", f"{static_url}/leaflet/dist/leaflet.js"), ("cartes", f"{static_url}/geo/cartes.js")],
            [("leaflet_css", f"{static_url}/leaflet/dist/leaflet.css")])


JS, CSS = libraries()


class Controles(MacroElement):
    """The map's controls in French, a metric scale, touch gestures, a title for its frame."""

    _template = Template("""
{% macro script(this, kwargs) %}
controlesCarte({{ this._parent.get_name() }}, {deux_doigts: {{ this.deux_doigts }}, prefixe: {{ this.prefixe }}, titre: {{ this.titre }}, zoom_arriere: {{ this.zoom_arriere }}, zoom_avant: {{ this.zoom_avant }}});
{% endmacro %}
""")

    def __init__(self, titre: str):
        super().__init__()
        self._name = "Controles"
        self.titre = script_json(titre)
        self.prefixe = script_json(PREFIXE)
        self.zoom_avant, self.zoom_arriere = script_json(ZOOM_AVANT), script_json(ZOOM_ARRIERE)
        self.deux_doigts = script_json(DEUX_DOIGTS)


def base_map(location=(46.6, 2.4), zoom_start: int = 6, *, tiles_url: str | None = None,
             tiles_attribution: str | None = None, static_url: str = STATIC, titre: str = "Carte interactive",
             **kwargs) -> folium.Map:
    """A map whose library is served by the app (from `static_url`); a base layer of tiles
    only when `tiles_url` is given (credited `tiles_attribution`); `titre` names the map
    and its frame for screen readers."""
    fmap = folium.Map(location=location, zoom_start=zoom_start, tiles=None, prefer_canvas=True,
                      control_scale=False, zoom_control=False, zoomSnap=0.25, zoomDelta=0.5, **kwargs)
    fmap.default_js, fmap.default_css = libraries(static_url)
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr=tiles_attribution or "Fond de carte", name="Fond de carte",
                         max_zoom=19).add_to(fmap)
    Controles(titre).add_to(fmap)
    return fmap


class CompactLayer(MacroElement):
    """Polygons from geo.encode plus, per feature, a class (its colour) and a few figures.

    - geometry: encode_layer's list (one entry per feature), quantum: its grid step;
    - props: columns of equal length; `code` and `nom` are required, `k` is the class index
      into `styles` (Leaflet path options);
    - tooltip: [label, column, format] with format "n" (integer), "p" (percentage, value
      in 0-100) or "l" (index into `labels`);
    - markers: [lat, lng, count, code, nom] drawn as dots of `marker_color` (disparus), small
      while the map shows many features at once, full size once zoomed in;
    - frames: [[south, west], [north, east]] dashed boxes (overseas insets);
    - bounds: [[south, west], [north, east]] fitted at load, and again when the frame changes
      size until the user moves the map;
    - etiquettes: names written on the map: those of `priorite` first (indices of features,
      in their order: the most populated communes), then the largest features, never two
      overlapping, none on a feature too small to see at the current zoom; with `codes`,
      codes at national scale (zoom under 7) and where a name is wider than its feature;
    - selection: the name of the page's URL parameter that selects a feature (its code): that
      feature is outlined, and the map zooms to it when it was chosen elsewhere than on the map
      (a link, the table); without it, back to `bounds`.
    A click on a feature or a marker gives st_folium a feature whose properties hold `code`.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
coucheCompacte({{ this._parent.get_name() }}, {alphabet: "{{ this.alphabet }}", attribution: {{ this.attribution }}, bounds: {{ this.bounds }}, codes: {{ this.codes }}, etiquettes: {{ this.etiquettes }}, frames: {{ this.frames }}, geometry: {{ this.geometry }}, labels: {{ this.labels }}, marker_color: {{ this.marker_color }}, markers: {{ this.markers }}, priorite: {{ this.priorite }}, props: {{ this.props }}, quantum: {{ this.quantum }}, selection: {{ this.selection }}, styles: {{ this.styles }}, tooltip: {{ this.tooltip }}});
{% endmacro %}
""")

    def __init__(self, geometry: list, quantum: float, props: dict[str, list], styles: list[dict],
                 tooltip: list, labels: list[str] | None = None, markers: list | None = None,
                 frames: list | None = None, geometry_json: str | None = None,
                 marker_color: str = "#161616", bounds: list | None = None, etiquettes: bool = True,
                 codes: bool = False, selection: str | None = None, attribution: str = ATTRIBUTION,
                 priorite: list[int] | tuple = ()):
        super().__init__()
        self._name = "CompactLayer"
        self.alphabet = ALPHABET
        self.quantum = repr(float(quantum))
        # The geometry may come already serialised (cached): it is the bulk of the map.
        self.geometry = geometry_json if geometry_json is not None else script_json(geometry)
        self.props = script_json(props)
        self.styles = script_json(styles)
        self.tooltip = script_json(tooltip)
        self.labels = script_json(labels or [])
        self.markers = script_json(markers or [])
        self.frames = script_json(frames or [])
        self.marker_color = script_json(marker_color)
        self.attribution = script_json(attribution)
        self.bounds = script_json(bounds)
        self.etiquettes = script_json(bool(etiquettes))
        self.codes = script_json(bool(codes))
        self.selection = script_json(selection)
        self.priorite = script_json(list(priorite))

    def render(self, **kwargs):
        """The script added to the page as plain text. branca's MacroElement.render would wrap
        it in Element(text), which compiles that text as a Jinja template: the whole geometry
        lexed on every render (a tenth of the server's time on /carte?departement=62 with 50
        sessions at once), and a "{{" in a name read as Jinja."""
        self.get_root().script.add_child(_Texte(self._template.module.script(self, kwargs)), name=self.get_name())


class _Texte(Element):
    """Text rendered as it is, without Jinja."""

    def __init__(self, texte: str):
        super().__init__()
        self._texte = texte

    def render(self, **kwargs) -> str:
        return self._texte
