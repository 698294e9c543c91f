"""The files of the map of every commune of France (issue 16), built once at load time and
fetched by the browser, which keeps them: the geometry is sent once per zoom band, and a
change of indicator or filter sends only a class per commune, in the files' order.

- france(): every commune, generalised together at 500 m (a coverage: neighbours keep their
  shared border, no gap opens) and put on a 0.002-degree grid (about 150-220 m: under a
  pixel until the browser loads a département's own file); overseas communes moved into the
  insets of the national map, each as its whole département is (geo.insets). Per
  département: the range of its communes in the order, its box, and the name of its file;
  and the départements' contours, drawn as borders at national scale.
- departement(): one département's communes at the display geometry's full detail, on a
  0.0001-degree grid, same order: the browser swaps them in when the user zooms in.
- noms(): codes and names in the same order (tooltips; the app reads its order from it).

Communes are ordered by département, then code. Pure: arrays in, JSON-ready dicts out.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from geo import encode, insets

TOLERANCE_M = 500
QUANTUM_FRANCE = 2e-3
QUANTUM_DEPARTEMENT = 1e-4
LAMBERT_93 = 2154
MERCATOR = 3857
VERSION = 1


def ordre(codes, departements) -> np.ndarray:
    """Indices that put communes in the files' order: by département, then code."""
    return np.lexsort((np.asarray(codes, dtype=object).astype(str), np.asarray(departements, dtype=object).astype(str)))


def generaliser(geoms, departements, tolerance_m: float = TOLERANCE_M) -> np.ndarray:
    """The communes simplified together, `tolerance_m` metres: metropolitan France in
    Lambert-93, each overseas département in Web Mercator (metres scaled to its latitude)."""
    geoms = np.asarray(geoms, dtype=object)
    deps = np.asarray(departements, dtype=object).astype(str)
    out = np.full(len(geoms), None, dtype=object)
    present = ~shapely.is_missing(geoms)
    outremer = np.char.startswith(deps.astype("U3"), "97")
    groups = [(present & ~outremer, LAMBERT_93, tolerance_m)]
    for dep in sorted(set(deps[present & outremer])):
        mask = present & (deps == dep)
        lat = float(np.mean(shapely.bounds(geoms[mask])[:, [1, 3]]))
        groups.append((mask, MERCATOR, tolerance_m / math.cos(math.radians(lat))))
    for mask, crs, tolerance in groups:
        if not mask.any():
            continue
        projected = gpd.GeoSeries(geoms[mask], crs=4326).to_crs(crs)
        simplified = projected.simplify_coverage(tolerance).to_crs(4326)
        out[mask] = shapely.make_valid(simplified.values)
    return out


def _bornes(geoms) -> list[float] | None:
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms)]
    if not len(geoms):
        return None
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    return [round(float(ymin), 4), round(float(xmin), 4), round(float(ymax), 4), round(float(xmax), 4)]


def plages(departements) -> list[tuple[str, int, int]]:
    """(département, first index, count) of each département, in the order given."""
    deps = [str(d) for d in departements]
    out: list[tuple[str, int, int]] = []
    for i, dep in enumerate(deps):
        if out and out[-1][0] == dep:
            out[-1] = (dep, out[-1][1], out[-1][2] + 1)
        else:
            out.append((dep, i, 1))
    return out


def bornes_encarts(departements, geoms) -> dict[str, tuple[float, float, float, float]]:
    """(xmin, ymin, xmax, ymax) of each overseas département drawn in an inset, from its
    communes: every file moves them alike, whatever its detail."""
    geoms = np.asarray(geoms, dtype=object)
    out = {}
    for dep, first, count in plages(departements):
        part = geoms[first:first + count]
        part = part[~shapely.is_missing(part)]
        if dep in insets.ORDER and len(part):
            out[dep] = tuple(float(v) for v in shapely.total_bounds(part))
    return out


def en_encart(departements, geoms, bornes: dict[str, tuple[float, float, float, float]]) -> np.ndarray:
    """Overseas communes moved into the national map's insets, each as its département is
    (`bornes`: bornes_encarts())."""
    geoms = np.asarray(geoms, dtype=object).copy()
    for dep, first, count in plages(departements):
        if dep in bornes:
            geoms[first:first + count] = [insets.place(dep, g, bornes[dep]) if g is not None else None
                                          for g in geoms[first:first + count]]
    return geoms


def departement(geoms, premier: int) -> dict:
    """A département's file: its communes (in the files' order) at full detail."""
    features, bounds = encode.encode_layer(geoms, QUANTUM_DEPARTEMENT)
    return {"v": VERSION, "q": QUANTUM_DEPARTEMENT, "premier": int(premier), "g": features}


def france(departements, geoms_en_encart, fichiers_departements: dict[str, str], contours=()) -> dict:
    """The national file from the generalised communes already moved into the insets;
    `fichiers_departements`: département -> the URL name of its full-detail file;
    `contours`: the départements' contours (already in the insets), drawn as borders."""
    features, bounds = encode.encode_layer(geoms_en_encart, QUANTUM_FRANCE)
    bordures, _ = encode.encode_layer(list(contours), QUANTUM_FRANCE)
    frames = [f for code, f in zip(insets.ORDER, insets.frames()) if code in set(map(str, departements))]
    if bounds:
        south, west, north, east = bounds
        for (s, w), (n, e) in frames:
            south, west, north, east = min(south, s), min(west, w), max(north, n), max(east, e)
        bounds = [south, west, north, east]
    deps = [[dep, first, count, _bornes(geoms_en_encart[first:first + count]), fichiers_departements.get(dep)]
            for dep, first, count in plages(departements)]
    return {"v": VERSION, "q": QUANTUM_FRANCE, "n": len(features), "g": features, "b": bounds,
            "f": frames, "d": deps, "dg": [p for p in bordures if p]}


def noms(codes, noms_, departements) -> dict:
    return {"v": VERSION, "c": [str(c) for c in codes], "n": [str(n) for n in noms_],
            "d": [list(p) for p in plages(departements)]}
