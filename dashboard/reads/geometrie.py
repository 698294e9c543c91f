"""The display geometry of a /carte view (queries/carte.sql), ready for the browser: the
contours computed at load (geo.simplify), put on a grid and delta-coded by geo.encode,
serialised once here so that a cached read hands the map its bulk as text.

National maps of départements draw overseas départements as insets (geo.insets); a map of
communes carries a point per commune (where a disparu's dot goes) and the order in which its
names are written on the map (the most populated communes first).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import Scope
from geo import encode, insets

# How many communes' names are written first, by population (the others by size).
NOMS_PRIORITAIRES = 300
# Grid of the coordinates sent to the browser (degrees): coarser when more is drawn at once.
# France's départements are simplified at 0.01° (about 1 km) and drawn at zoom 5-6, where a
# pixel is 2-5 km: a 0.002° grid (about 200 m) is an eighth of a pixel, and 13 KB lighter than
# 0.001° (60 -> 47 KB of geometry).
QUANTUM = {"france": 2e-3, "region_departements": 5e-4, "departement": 1e-4, "region_communes": 2e-4}


@dataclass(frozen=True)
class Geometrie:
    """A layer ready for the browser: features in `codes` order, already serialised."""
    codes: tuple[str, ...]
    noms: tuple[str, ...]
    departements: tuple[str, ...]
    json: str                # geo.encode.encode_layer's features, as script_json text
    quantum: float
    bounds: tuple[tuple[float, float], tuple[float, float]] | None   # ((south, west), (north, east))
    points: dict = field(default_factory=dict)  # code -> (lat, lng), communes only
    frames: tuple = ()       # the boxes of the overseas insets, national map only
    priorite: tuple = ()     # indices of features whose names come first (most populated first)


def _geometries(df):
    return shapely.from_wkb([bytes(w) for w in df["wkb"]]) if len(df) else np.array([], dtype=object)


def geometrie(conn: Connection, scope: Scope, maille: str, region: str | None, departement: str | None) -> Geometrie:
    """Display geometry of the view, compact. National départements put overseas in insets."""
    if maille == "departements":
        df = sql.fetch_df(conn, "carte_geom_departements", region=region,
                          **{"departements": scope.params()["departements"]})
        geoms = _geometries(df)
        frames = ()
        if region is None:
            geoms = np.array([insets.place(c, g) for c, g in zip(df["code"], geoms)], dtype=object)
            present = [c for c in df["code"] if c in insets.ORDER]
            frames = tuple(f for c, f in zip(insets.ORDER, insets.frames()) if c in present)
            quantum = QUANTUM["france"]
        else:
            quantum = QUANTUM["region_departements"]
        deps, points, priorite = tuple(df["code"]), {}, ()
    else:
        df = sql.fetch_df(conn, "carte_geom_communes", region=None if departement else region,
                          departement=departement, **scope.params())
        geoms = _geometries(df)
        quantum = QUANTUM["departement" if departement else "region_communes"]
        deps = tuple(df["departement"])
        points = {c: (round(float(la), 5), round(float(ln), 5))
                  for c, la, ln in zip(df["code"], df["lat"], df["lng"]) if la is not None and ln is not None}
        frames = ()
        population = df["population"].astype("float64").fillna(-1).to_numpy()
        priorite = tuple(int(i) for i in np.argsort(-population, kind="stable")[:NOMS_PRIORITAIRES]
                         if population[i] >= 0)
    features, bounds = encode.encode_layer(geoms, quantum)
    if frames and bounds:
        south, west, north, east = bounds
        for (s, w), (n, e) in frames:
            south, west, north, east = min(south, s), min(west, w), max(north, n), max(east, e)
        bounds = [south, west, north, east]
    return Geometrie(
        codes=tuple(df["code"]), noms=tuple(df["nom"]), departements=deps, json=encode.script_json(features),
        quantum=quantum,
        bounds=((bounds[0], bounds[1]), (bounds[2], bounds[3])) if bounds else None,
        points=points, frames=frames, priorite=priorite)
