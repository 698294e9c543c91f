"""The route that serves the map files (GET /carte/fichiers/<name>.<hash>.json), beside the
Streamlit app (dashboard/app/serveur.py), from the database (every replica the same bytes):
no tile server, no CDN, nothing fetched from elsewhere.

The hash in the URL is the content's: a file is served with `immutable` and a year of
cache, and a browser fetches it once. The bytes are stored gzip-compressed and sent so
(or decompressed for a client that does not accept gzip). A name or hash that is not the
current one answers 404, not cached. The files hold only public reference data (contours
and names of communes, IGN/INSEE): no sign-in is needed to read them.
"""
from __future__ import annotations

import gzip
import logging
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import db, settings
from dashboard.reads import fichiers_carte

log = logging.getLogger(__name__)
PREFIXE = "/carte/fichiers/"
_CHEMIN = re.compile(r"([a-z0-9-]{1,40})\.([0-9a-f]{16})\.json")
UN_AN = 365 * 24 * 3600


def url(nom_et_empreinte: str) -> str:
    """The URL of a file from its name and hash ("communes-france.<hash>")."""
    return f"{PREFIXE}{nom_et_empreinte}.json"


_MEMOIRE: dict[tuple[str, str, str], bytes] = {}
_MEMOIRE_MAX = 256


def _lire(database_url: str, nom: str, empreinte: str) -> bytes | None:
    """The file's gzip bytes if `empreinte` is its current hash. Kept in memory once found
    (a content never changes under its hash; about 4 MB for all the files); a miss is not
    kept, so a URL made up by anyone costs a query, never memory."""
    cle = (database_url, nom, empreinte)
    if cle in _MEMOIRE:
        return _MEMOIRE[cle]
    with db.engine_for(database_url).connect() as conn:
        trouve = fichiers_carte.fichier(conn, nom)
    if trouve is None or trouve.empreinte != empreinte:
        return None
    if len(_MEMOIRE) >= _MEMOIRE_MAX:
        _MEMOIRE.pop(next(iter(_MEMOIRE)))
    _MEMOIRE[cle] = trouve.gzip
    return trouve.gzip


def _introuvable(status: int = 404) -> Response:
    return Response("Fichier de carte introuvable.", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


async def fichier(request: Request) -> Response:
    trouve = _CHEMIN.fullmatch(request.path_params["fichier"])
    if not trouve:
        return _introuvable()
    try:
        contenu = await run_in_threadpool(_lire, settings.database_url(), trouve[1], trouve[2])
    except Exception:  # the database is down: logged here, a short answer there (not cached)
        log.exception("map file: database error")
        return _introuvable(503)
    if contenu is None:
        return _introuvable()
    entetes = {"Cache-Control": f"public, max-age={UN_AN}, immutable", "ETag": f'"{trouve[2]}"',
               "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff",
               "Cross-Origin-Resource-Policy": "same-origin"}
    if request.headers.get("if-none-match") == f'"{trouve[2]}"':
        return Response(status_code=304, headers=entetes)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(contenu, media_type="application/json", headers={**entetes, "Content-Encoding": "gzip"})
    return Response(gzip.decompress(contenu), media_type="application/json", headers=entetes)


def routes() -> list[Route]:
    return [Route(PREFIXE + "{fichier}", fichier, methods=["GET"])]


def geojson_communes(conn, scope, vue, ref) -> bytes:
    """The GeoJSON download of France by commune (the page gives it to ui.au_clic: read and
    written at the click): every commune's display geometry (1 m grid) with its class and the
    view's figures; written by shapely, feature by feature (35,000 communes in seconds).
    The figures are read here too: the session keeps the button's data until its next run,
    and holding the page's figures would have kept 5 MB per session."""
    import json

    import numpy as np
    import pandas as pd
    import shapely

    from dashboard.app.carte import couche
    from dashboard.reads import carte
    from dashboard.reads.geometrie import Geometrie

    codes, noms, deps, wkb = fichiers_carte.geometries_communes(conn, scope)
    figures = carte.figures_communes(conn, scope, vue.filtres)
    geo = Geometrie(codes=codes, noms=noms, departements=deps, json="[]", quantum=0.0, bounds=None)
    c = couche.couche(vue, geo, figures, ref)
    geometries = shapely.to_geojson(shapely.set_precision(shapely.from_wkb(wkb), 1e-5, mode="pointwise"))

    def simple(v):
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return None if pd.isna(v) else float(v)
        return v

    colonnes = list(c.table.columns)
    lignes = {str(r[0]): r for r in c.table.itertuples(index=False)}
    morceaux = []
    for i, code in enumerate(codes):
        props = {"code": code, "nom": noms[i], "classe": c.legende.libelles[c.props["k"][i]]}
        if code in lignes:
            props.update({col: simple(v) for col, v in zip(colonnes, lignes[code])})
        morceaux.append('{"type":"Feature","properties":' + json.dumps(props, ensure_ascii=False)
                        + ',"geometry":' + geometries[i] + "}")
    return ('{"type":"FeatureCollection","features":[' + ",".join(morceaux) + "]}").encode("utf-8")
