"""Compact geometry for the browser: quantised, delta-coded rings written as short strings.

A plain GeoJSON of the display geometries repeats "[2.3456,48.1234]," for every vertex
(about 17 bytes); here each vertex becomes the difference from the previous one, on a grid
of `quantum` degrees, zigzag-coded and written as base-32 digits (usually 2 characters per
coordinate). The alphabet avoids every character that JSON, JavaScript strings or HTML
would escape, so the text travels as is. geo/maps.py holds the matching decoder.

Layout: one entry per feature, a list of polygons, each a list of ring strings (exterior
first); the closing vertex of a ring is dropped (Leaflet closes rings itself).
"""
from __future__ import annotations

import json

import numpy as np
import shapely

# 64 characters: the first 32 end a number, the last 32 carry on (5 bits each).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef" "ghijklmnopqrstuvwxyz0123456789-~"
_CHARS = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_MAX_DIGITS = 8  # 40 bits: far beyond any coordinate on the grid


def _varint_chars(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Characters of each zigzag value and how many each takes (vectorised). The digits are
    bytes, and only as many 5-bit groups as the largest value needs are computed (two or
    three on the grids used): with eight 64-bit digits per value, the national map files'
    build spent a fifth of its time here."""
    columns = []
    rest = values.copy()
    while True:
        columns.append((rest & 31).astype(np.uint8))
        rest >>= 5
        if not rest.any() or len(columns) == _MAX_DIGITS:
            break
    digits = np.stack(columns, axis=1)
    width = digits.shape[1]
    # A number uses digits up to its highest non-zero 5-bit group (at least one).
    nonzero = digits != 0
    nonzero[:, 0] = True
    length = width - np.argmax(nonzero[:, ::-1], axis=1)
    position = np.arange(width)[None, :]
    carry = position < (length[:, None] - 1)
    codes = digits + carry.astype(np.uint8) * np.uint8(32)
    used = position < length[:, None]
    return _CHARS[codes[used]], length


def encode_layer(geoms, quantum: float) -> tuple[list, list[float] | None]:
    """Encode (Multi)Polygons; returns (per-feature polygons of ring strings, bounds
    [south, west, north, east] or None). Missing geometries give an empty list."""
    geoms = np.asarray(geoms, dtype=object)
    features: list[list[list[str]]] = [[] for _ in range(len(geoms))]
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return features, None
    polys, poly_feature = shapely.get_parts(geoms[present], return_index=True)
    poly_feature = np.flatnonzero(present)[poly_feature]
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)

    grid = np.round(coords / quantum).astype(np.int64)
    starts = np.r_[True, ring_of[1:] != ring_of[:-1]]
    ends = np.r_[ring_of[1:] != ring_of[:-1], True]
    delta = np.diff(grid, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    delta[starts] = grid[starts]
    # Drop the closing vertex and vertices that fall on the previous one on this grid.
    keep = ~ends & (starts | (delta != 0).any(axis=1))
    # Deltas must be taken again between the vertices that stay.
    kept_grid, kept_ring = grid[keep], ring_of[keep]
    kept_starts = np.r_[True, kept_ring[1:] != kept_ring[:-1]]
    delta = np.diff(kept_grid, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    delta[kept_starts] = kept_grid[kept_starts]

    values = delta.reshape(-1)
    zigzag = np.where(values < 0, -2 * values - 1, 2 * values)
    chars, lengths = _varint_chars(zigzag)
    text = chars.tobytes().decode("ascii")
    # Characters per vertex, then per ring.
    per_vertex = lengths.reshape(-1, 2).sum(axis=1)
    ring_ids, first = np.unique(kept_ring, return_index=True)
    counts = np.diff(np.r_[first, len(kept_ring)])
    ring_chars = np.add.reduceat(per_vertex, first) if len(first) else np.array([], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(ring_chars)]

    ring_text: dict[int, str] = {}
    for j, ring in enumerate(ring_ids):
        if counts[j] >= 3:  # fewer than three vertices left: nothing to draw at this zoom
            ring_text[int(ring)] = text[offsets[j]:offsets[j + 1]]

    by_poly: dict[int, list[str]] = {}
    ring_poly_list = ring_poly.tolist()
    exterior_seen: set[int] = set()
    for ring in range(len(rings)):
        poly = ring_poly_list[ring]
        is_exterior = poly not in exterior_seen
        exterior_seen.add(poly)
        if ring not in ring_text:
            if is_exterior:
                by_poly[poly] = None  # the exterior vanished: drop the polygon
            continue
        if is_exterior:
            by_poly[poly] = [ring_text[ring]]
        elif by_poly.get(poly) is not None:
            by_poly[poly].append(ring_text[ring])
    for poly, feature in enumerate(poly_feature.tolist()):
        if by_poly.get(poly):
            features[feature].append(by_poly[poly])

    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[present])
    return features, [float(ymin), float(xmin), float(ymax), float(xmax)]


def decode_ring(text: str, quantum: float) -> list[tuple[float, float]]:
    """The inverse, in Python (tests and GeoJSON export use it): [(lng, lat), ...]."""
    index = {ch: i for i, ch in enumerate(ALPHABET)}
    numbers, value, shift = [], 0, 0
    for ch in text:
        digit = index[ch]
        value |= (digit & 31) << shift
        if digit >= 32:
            shift += 5
            continue
        numbers.append(-(value + 1) // 2 if value & 1 else value // 2)
        value, shift = 0, 0
    points, x, y = [], 0, 0
    for dx, dy in zip(numbers[0::2], numbers[1::2]):
        x += dx
        y += dy
        points.append((round(x * quantum, 6), round(y * quantum, 6)))
    return points


def script_json(value) -> str:
    """JSON for inlining in a <script>: compact, and never closing the script element.
    A layer's features go through it once (then cached) and geo.maps inlines the text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
