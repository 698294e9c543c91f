"""Exports of objets for the ministry's other tools: CSV keyed by REF with POP codes as
headers (the values as POP published them), GeoJSON and GeoPackage with each objet placed
at its commune's point (WGS84), for QGIS. Scoped like every read."""
from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import tableur
from dashboard.domain.identity import Scope


def objets(conn: Connection, scope: Scope, signales: bool = False) -> pd.DataFrame:
    """One row per objet of the scope (only the flagged ones when `signales`)."""
    return sql.fetch_df(conn, "export_objets_pop", signales=signales, **scope.params())


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """For a French spreadsheet, cells safe to open (dashboard.domain.tableur)."""
    return tableur.csv_bytes(frame.drop(columns=["longitude", "latitude"]))


def _geo(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    placed = frame.dropna(subset=["longitude", "latitude"])
    columns = placed.drop(columns=["longitude", "latitude"]).astype(object).where(placed.notna(), None)
    for column in ("retire_le",):
        columns[column] = columns[column].map(lambda v: v.isoformat() if v is not None else None)
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(placed["longitude"], placed["latitude"]),
                            crs="EPSG:4326")


def geojson_bytes(frame: pd.DataFrame) -> bytes:
    """Objets with a resolved commune; the others have no place (they are in the CSV)."""
    return _geo(frame).to_json(drop_id=True).encode("utf-8")


def geopackage_bytes(frame: pd.DataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "objets.gpkg"
        _geo(frame).to_file(path, layer="objets", driver="GPKG")
        return path.read_bytes()


def download(url: str, scope: Scope, signales: bool, fmt: str) -> bytes:
    """What a download button serves (called lazily, outside the page's session: it opens its
    own connection, the app's time-limited one). fmt: 'csv' | 'geojson' | 'gpkg'."""
    from dashboard import db

    with db.app_engine(url).connect() as conn:
        frame = objets(conn, scope, signales)
    return {"csv": csv_bytes, "geojson": geojson_bytes, "gpkg": geopackage_bytes}[fmt](frame)
