"""A small static map as SVG: each feature's polygons, projected and cut to a pixel grid,
drawn as one <path> with its fill and a <title> (the tooltip a pointer shows, and what a
screen reader reads). No JavaScript, no library, no tiles: it draws wherever the page is
shown, offline included, and costs nothing to import.

The projection is equirectangular, longitudes shrunk by the cosine of the map's middle
latitude: right for a small map of a country or a région. Coordinates are (lng, lat).
"""
from __future__ import annotations

import html
import math


def _projection(features, largeur: int, marge: int):
    points = [p for feature in features for polygon in feature for ring in polygon for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * kx, north - south, 1e-9)
    scale = (largeur - 2 * marge) / span
    hauteur = int(round((north - south) * scale)) + 2 * marge
    largeur_utile = int(round((east - west) * kx * scale)) + 2 * marge

    def project(lng: float, lat: float) -> tuple[int, int]:
        return round(marge + (lng - west) * kx * scale), round(marge + (north - lat) * scale)

    return project, largeur_utile, hauteur


def _path(polygons, project) -> str:
    """Relative moves on the pixel grid; a vertex on the previous pixel is dropped."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            pixels = [project(*p) for p in ring]
            kept = [pixels[0]] + [b for a, b in zip(pixels, pixels[1:]) if b != a]
            if len(kept) < 3:
                continue
            x, y = kept[0]
            moves = [f"M{x} {y}"]
            for nx, ny in kept[1:]:
                moves.append(f"l{nx - x} {ny - y}")
                x, y = nx, ny
            parts.append("".join(moves) + "z")
    return "".join(parts)


def svg_carte(features: list, fills: list[str], titres: list[str], libelle: str, largeur: int = 420,
              cadres: list | None = None, marge: int = 4) -> str:
    """The SVG of `features` (each a list of polygons, each a list of rings of (lng, lat)),
    feature i filled with fills[i] and titled titres[i]; `libelle` names the whole map;
    `cadres` are [[south, west], [north, east]] boxes drawn dashed (overseas insets)."""
    drawn = [f for f in features if f]
    if not drawn:
        return ""
    boxes = [[(w, s), (e, s), (e, n), (w, n)] for (s, w), (n, e) in (cadres or [])]
    project, width, height = _projection(drawn + ([[boxes]] if boxes else []), largeur, marge)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'style="max-width:{width}px" role="img" aria-label="{html.escape(libelle)}">',
           f"<title>{html.escape(libelle)}</title>"]
    for feature, fill, titre in zip(features, fills, titres):
        if not feature:
            continue
        out.append(f'<path d="{_path(feature, project)}" fill="{html.escape(fill)}" stroke="#ffffff" '
                   f'stroke-width="0.6" fill-rule="evenodd"><title>{html.escape(titre)}</title></path>')
    for box in boxes:
        (x0, y0), (x1, y1) = project(*box[3]), project(*box[1])
        out.append(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" stroke="#666666" '
                   'stroke-width="0.8" stroke-dasharray="4 3"/>')
    out.append("</svg>")
    return "".join(out)
