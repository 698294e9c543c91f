"""Overseas départements drawn as insets west of metropolitan France on national maps.

Each one is moved and scaled (same scale on both axes as seen in Web Mercator) into a box
of a column in the Atlantic, so that a national map shows them at a readable size without
zooming out to the whole globe. Only the national view uses this; a région or a
département of overseas France is drawn where it is.
"""
from __future__ import annotations

import math

import numpy as np
import shapely

# Top to bottom; Saint-Pierre-et-Miquelon (975) has no contour in the reference data.
ORDER = ["971", "972", "973", "974", "976"]
_WEST, _EAST = -8.9, -6.9          # longitudes of the column
_TOP, _HEIGHT, _GAP = 49.6, 1.25, 0.25


def boxes() -> dict[str, tuple[float, float, float, float]]:
    """(west, south, east, north) of each inset box."""
    out = {}
    for i, code in enumerate(ORDER):
        north = _TOP - i * (_HEIGHT + _GAP)
        out[code] = (_WEST, north - _HEIGHT, _EAST, north)
    return out


def _mercator_ratio(lat: float) -> float:
    return math.cos(math.radians(lat))


def place(code: str, geom: shapely.Geometry, bounds: tuple[float, float, float, float] | None = None
          ) -> shapely.Geometry:
    """The geometry of an overseas département moved into its inset box; `bounds` (xmin,
    ymin, xmax, ymax) are the département's when `geom` is a part of it (one of its
    communes: each moved as its whole département is), else the geometry's own."""
    if code not in ORDER or geom is None or geom.is_empty:
        return geom
    west, south, east, north = boxes()[code]
    xmin, ymin, xmax, ymax = bounds if bounds is not None else geom.bounds
    src_lat = (ymin + ymax) / 2
    dst_lat = (south + north) / 2
    src_cos, dst_cos = _mercator_ratio(src_lat), _mercator_ratio(dst_lat)
    # Sizes on screen (Mercator: a degree of latitude looks 1/cos(lat) times a degree of longitude).
    width, height = max(xmax - xmin, 1e-9), max((ymax - ymin) / src_cos, 1e-9)
    box_w, box_h = (east - west) * 0.92, (north - south) / dst_cos * 0.92
    scale = min(box_w / width, box_h / height)
    cx, cy = (xmin + xmax) / 2, src_lat
    bx, by = (west + east) / 2, dst_lat

    def move(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = bx + (coords[:, 0] - cx) * scale
        out[:, 1] = by + (coords[:, 1] - cy) * scale * dst_cos / src_cos
        return out

    return shapely.transform(geom, move)


def frames() -> list[list[list[float]]]:
    """The inset boxes as [[south, west], [north, east]] for Leaflet rectangles."""
    return [[[s, w], [n, e]] for w, s, e, n in boxes().values()]
