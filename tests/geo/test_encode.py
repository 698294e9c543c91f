"""Compact geometry: what the browser decodes is the display geometry on the chosen grid."""
import numpy as np
import shapely

from geo import encode, insets


def _square_with_hole():
    outer = [(2.0, 48.0), (2.5, 48.0), (2.5, 48.4), (2.0, 48.4), (2.0, 48.0)]
    hole = [(2.1, 48.1), (2.2, 48.1), (2.2, 48.2), (2.1, 48.1)]
    return shapely.MultiPolygon([shapely.Polygon(outer, [hole]), shapely.box(3.0, 47.0, 3.1, 47.05)])


def test_round_trip_on_the_grid():
    geom = _square_with_hole()
    features, bounds = encode.encode_layer([geom, None], 1e-4)
    assert features[1] == []
    assert len(features[0]) == 2 and len(features[0][0]) == 2  # two polygons, the first with its hole
    exterior = encode.decode_ring(features[0][0][0], 1e-4)
    # The closing vertex is not sent; every other vertex comes back on the grid.
    assert exterior == [(2.0, 48.0), (2.5, 48.0), (2.5, 48.4), (2.0, 48.4)]
    assert encode.decode_ring(features[0][0][1], 1e-4) == [(2.1, 48.1), (2.2, 48.1), (2.2, 48.2)]
    assert bounds == [47.0, 2.0, 48.4, 3.1]


def test_only_safe_characters_and_far_fewer_bytes_than_geojson():
    rng = np.random.default_rng(1)
    pts = np.cumsum(rng.normal(0, 0.002, size=(500, 2)), axis=0) + (2.3, 48.8)
    poly = shapely.Polygon(pts).buffer(0)
    features, _ = encode.encode_layer([poly], 1e-4)
    text = "".join(r for p in features[0] for r in p)
    assert set(text) <= set(encode.ALPHABET)
    assert not set(text) & set('"\\<>&\'')
    geojson = shapely.to_geojson(shapely.set_precision(poly, 1e-4))
    assert len(text) * 3 < len(geojson)


def test_vertices_merged_by_the_grid_are_dropped_and_tiny_rings_vanish():
    tiny = shapely.box(2.0, 48.0, 2.00001, 48.00001)  # smaller than one grid step
    big = shapely.Polygon([(0, 0), (1, 0), (1.00001, 0), (1, 1), (0, 1)])
    features, _ = encode.encode_layer([tiny, big], 1e-3)
    assert features[0] == []
    assert encode.decode_ring(features[1][0][0], 1e-3) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]


def test_overseas_insets_land_in_their_boxes():
    reunion = shapely.box(55.2, -21.4, 55.85, -20.85)
    placed = insets.place("974", reunion)
    west, south, east, north = insets.boxes()["974"]
    xmin, ymin, xmax, ymax = placed.bounds
    assert west <= xmin < xmax <= east and south <= ymin < ymax <= north
    metropole = shapely.box(2, 48, 3, 49)
    assert insets.place("75", metropole).equals(metropole)


def _un_nombre(valeur: int) -> str:
    """The format, one value at a time: 5-bit groups, lowest first; every character but the
    last carries on (the second half of the alphabet)."""
    texte = ""
    while True:
        groupe, valeur = valeur & 31, valeur >> 5
        if not valeur:
            return texte + encode.ALPHABET[groupe]
        texte += encode.ALPHABET[groupe + 32]


def test_the_vectorised_digits_match_the_format_one_value_at_a_time():
    rng = np.random.default_rng(7)
    for plus_grand in (1, 31, 32, 1023, 1024, 2**20, 2**39):   # one to eight characters
        valeurs = np.r_[0, plus_grand - 1, rng.integers(0, plus_grand, 500)].astype(np.int64)
        chars, longueurs = encode._varint_chars(valeurs)
        attendus = [_un_nombre(int(v)) for v in valeurs]
        assert chars.tobytes().decode("ascii") == "".join(attendus)
        assert longueurs.tolist() == [len(a) for a in attendus]
    chars, longueurs = encode._varint_chars(np.array([], dtype=np.int64))
    assert len(chars) == 0 and len(longueurs) == 0
