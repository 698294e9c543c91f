"""geo/ stands alone: it imports nothing of the app, and its maps take what they need (tiles
URL, where the libraries are served, the colour of the dots) as arguments."""
import ast
import json
from pathlib import Path

import shapely

from geo import encode, maps

GEO = Path(__file__).resolve().parents[2] / "geo"


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.add(node.module or "")
    return out


CARTES_JS = Path(maps.__file__).parent / "js" / "cartes.js"


def test_geo_imports_nothing_of_the_app():
    for path in GEO.glob("*.py"):
        assert not {m for m in _imports(path) if m.split(".")[0] == "dashboard"}, path.name


def test_base_map_without_tiles_and_with_them():
    html = maps.base_map().get_root().render()
    assert "tileLayer" not in html and "/app/static/vendor/leaflet/dist/leaflet.js" in html
    html = maps.base_map(tiles_url="https://tiles.example/{z}/{x}/{y}.png",
                         tiles_attribution="Fond : Plan IGN © IGN").get_root().render()
    assert "https://tiles.example/{z}/{x}/{y}.png" in html and "Plan IGN \\u00a9 IGN" in html


def test_controls_speak_french_and_the_scale_is_metric():
    """Issue 11: Leaflet's English titles ("Zoom in"), its imperial scale and its default
    prefix gave way to French controls, a metric scale, a short attribution."""
    html = maps.base_map(titre="Carte des objets : Pas-de-Calais").get_root().render()
    # The map sends its words; geo/js/cartes.js, which the app serves, draws the controls.
    assert 'zoom_arriere: "Zoom arrière", zoom_avant: "Zoom avant"' in html
    assert '"zoomControl": false' in html       # Leaflet's own, English one is not drawn
    assert "controlesCarte(" in html and 'titre: "Carte des objets : Pas-de-Calais"' in html
    script = CARTES_JS.read_text(encoding="utf-8")
    assert "L.control.zoom({zoomInTitle: C.zoom_avant, zoomOutTitle: C.zoom_arriere})" in script
    assert "L.control.scale({metric: true, imperial: false" in script
    assert "setPrefix(C.prefixe)" in script
    assert '"zoomSnap": 0.25' in html           # a fitted territory fills its frame
    assert len(maps.ATTRIBUTION) < 70


def test_libraries_come_from_the_url_given():
    html = maps.base_map(static_url="/static/ailleurs").get_root().render()
    assert "/static/ailleurs/leaflet/dist/leaflet.js" in html and "/app/static" not in html
    js, css = maps.libraries("/x")
    assert all(url.startswith("/x/") for _, url in js + css)
    assert [name for name, _ in js] == ["leaflet", "cartes"]  # no jQuery, Bootstrap, Font Awesome: unused
    assert not any("//" in url for _, url in js + css)     # never a CDN


def test_script_json_never_closes_the_script_element():
    text = encode.script_json({"nom": "</script><script>alert(1)</script>", "é": [1, 2.5, None]})
    assert "</" not in text and "é" in text and " " not in text
    assert json.loads(text) == {"nom": "</script><script>alert(1)</script>", "é": [1, 2.5, None]}


def test_compact_layer_draws_the_dots_in_the_colour_given():
    features, _ = encode.encode_layer([shapely.box(2, 48, 2.1, 48.1)], 1e-4)
    fmap = maps.base_map()
    maps.CompactLayer(features, 1e-4, {"code": ["62041"], "nom": ["Arras"], "k": [0]}, [{"fillColor": "#123456"}],
                      [["Objets", "k", "n"]], markers=[[48.05, 2.05, 1, "62041", "Arras"]],
                      marker_color="#abcdef").add_to(fmap)
    html = fmap.get_root().render()
    assert 'marker_color: "#abcdef"' in html and "#123456" in html
    assert "fillColor: C.marker_color" in CARTES_JS.read_text(encoding="utf-8")
    default = maps.base_map()
    maps.CompactLayer(features, 1e-4, {"code": ["1"], "nom": ["a"], "k": [0]}, [{}], []).add_to(default)
    assert 'marker_color: "#161616"' in default.get_root().render()


def test_the_maps_functions_are_served_and_not_sent_with_each_map():
    """12 KB of functions were sent with every map: now a file beside Leaflet, and a map
    holds only its data and one call per element."""
    features, _ = encode.encode_layer([shapely.box(2, 48, 2.1, 48.1)], 1e-4)
    fmap = maps.base_map()
    maps.CompactLayer(features, 1e-4, {"code": ["1"], "nom": ["a"], "k": [0]}, [{}], []).add_to(fmap)
    html = fmap.get_root().render()
    assert "coucheCompacte(" in html and "function ring(" not in html and "function ancre(" not in html
    assert "/app/static/vendor/geo/cartes.js" in html
    script = CARTES_JS.read_text(encoding="utf-8")
    assert "window.coucheCompacte = function (map, C)" in script and "window.controlesCarte" in script
    assert "{{" not in script     # no template left in the served file
