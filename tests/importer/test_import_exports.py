"""Exports keyed by REF with POP codes as headers, and placed at the commune for QGIS."""
from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd

from dashboard.importer import palissy_import
from dashboard.reads import exports
from dashboard.domain.identity import NATIONAL, Scope
from import_helpers import FIXTURES


def test_csv_geojson_geopackage(import_db_url, tmp_path):
    palissy_import.import_palissy(import_db_url, str(FIXTURES / "opendata.csv"), report_path=tmp_path / "r.json")
    frame = pd.read_csv(io.BytesIO(exports.download(import_db_url, NATIONAL, False, "csv")), sep=";", dtype=str,
                        encoding="utf-8-sig")
    assert list(frame.columns[:6]) == ["REF", "TICO", "DENO", "CATE", "SCLE", "COM"]
    assert len(frame) == 23 and frame["REF"].is_unique
    row = frame.set_index("REF").loc["PM01000006"]
    assert (row["INSEE"], row["WEB"], row["MOSA"], row["commune_actuelle"]) == \
        ("01004", "01053", "cathédrale Notre-Dame ; PA00116214", "01053")
    assert frame.set_index("REF").loc["PM01000002", "DENO"] == "tableau,cadre"     # as published
    # Scoped: a département only.
    scoped = exports.download(import_db_url, Scope(departements=("75",), libelle="Paris"), False, "csv")
    assert pd.read_csv(io.BytesIO(scoped), sep=";", dtype=str, encoding="utf-8-sig")["REF"].tolist() == ["PM75000007"]
    # GeoJSON: objets with a commune, at its point; the unresolved one has no place.
    geo = json.loads(exports.download(import_db_url, NATIONAL, False, "geojson"))
    refs = {f["properties"]["REF"]: f["geometry"]["coordinates"] for f in geo["features"]}
    assert "PM01000010" not in refs and len(refs) == 22
    lon, lat = refs["PM75000007"]
    assert 2.2 < lon < 2.5 and 48.8 < lat < 48.95                                    # Paris
    path = tmp_path / "objets.gpkg"
    path.write_bytes(exports.download(import_db_url, NATIONAL, True, "gpkg"))
    layer = gpd.read_file(path, layer="objets")
    assert layer.crs.to_epsg() == 4326 and set(layer["anomalies"].str.len() > 0) == {True}
