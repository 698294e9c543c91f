"""The downloads of a /carte view: the table as CSV for a French spreadsheet, and the
features with their figures as GeoJSON (coordinates as sent to the map, decoded).

Pure: bytes from a layer and its geometry; st.download_button calls these outside the
session, so the page binds their arguments up front.
"""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from dashboard.app.carte.couche import Couche
from dashboard.domain import tableur
from dashboard.reads.geometrie import Geometrie
from geo import encode


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Semicolons, decimal commas and a BOM: what a French spreadsheet opens without asking;
    cells safe to open (dashboard.domain.tableur)."""
    return tableur.csv_bytes(table)


def geojson_bytes(geo: Geometrie, c: Couche) -> bytes:
    """The view's features with their figures (coordinates as sent to the map)."""
    features = []
    polys = json.loads(geo.json)
    rows = {str(r[0]): r for r in c.table.itertuples(index=False)}
    columns = list(c.table.columns)
    for i, parts in enumerate(polys):
        if not parts:
            continue
        code = geo.codes[i]
        props = {"code": code, "nom": geo.noms[i], "classe": c.legende.libelles[c.props["k"][i]]}
        if code in rows:
            props.update({col: _plain(v) for col, v in zip(columns, rows[code])})
        coords = [[_closed(encode.decode_ring(r, geo.quantum)) for r in poly] for poly in parts]
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    buf = io.StringIO()
    json.dump({"type": "FeatureCollection", "features": features}, buf, ensure_ascii=False)
    return buf.getvalue().encode("utf-8")


def _plain(value):
    """A JSON value for a table cell: numpy numbers as Python ones, NaN as null."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if pd.isna(value) else float(value)
    return value


def _closed(points):
    return [list(p) for p in points] + [list(points[0])]


def nom_fichier(url: dict[str, str]) -> str:
    """The downloads' file name (without extension), after the view's URL: the same view
    gives the same name; the commune of the side panel does not change the figures."""
    if not url:
        return "carte-france"
    return "carte-" + "-".join(f"{k}-{v}" for k, v in url.items() if k != "commune")
