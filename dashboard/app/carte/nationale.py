"""The map of every commune of France (issue 16): what the page sends to its component
(dashboard/app/carte/composant) at each run, the geometry staying in the browser.

The geometry is a file the browser fetches once from the app (dashboard/app/fichiers_carte.py,
named by its content's hash); each run sends only one character per commune, in the files'
order (reads.fichiers_carte.OrdreCommunes): its class in the legend ("0"…"9"), or "." for a
commune outside the user's scope; the legend's styles and words; the communes with a
disparu as [index, count]; the selected commune's index. A change of indicator or filter
sends these, about 40 KB for 35,000 communes, never the geometry.

Pure: no Streamlit, no database.
"""
from __future__ import annotations

from collections.abc import Container

from dashboard.app.carte.classes import DISPARUS
from dashboard.app.carte.couche import Couche
from dashboard.reads.fichiers_carte import OrdreCommunes
from dashboard.reads.geometrie import Geometrie
from geo import maps

HORS_VUE = "."
CLASSES_MAX = 10
# The table under the map, a page at a time beyond this (France by commune: 15,000 rows, some
# megabytes over the websocket at once); the CSV download holds every row.
LIGNES_TABLE = 1000


def geometrie(ordre: OrdreCommunes, dans_vue: Container[str] | None = None) -> Geometrie:
    """The communes of the national map as a Geometrie for couche.couche() (codes, names,
    départements; its geometry stays in the browser). `dans_vue`: the départements of the
    user's scope (None: all)."""
    garder = [i for i, d in enumerate(ordre.departements) if dans_vue is None or d in dans_vue]
    return Geometrie(codes=tuple(ordre.codes[i] for i in garder), noms=tuple(ordre.noms[i] for i in garder),
                     departements=tuple(ordre.departements[i] for i in garder), json="[]", quantum=0.0,
                     bounds=None)


def classes(ordre: OrdreCommunes, couche: Couche) -> str:
    """One character per commune of the files: its class, or HORS_VUE."""
    if len(couche.legende.libelles) > CLASSES_MAX:
        raise ValueError("au plus 10 classes sur la carte des communes")
    par_code = dict(zip(couche.props["code"], couche.props["k"]))
    return "".join(str(par_code[c]) if c in par_code else HORS_VUE for c in ordre.codes)


def arguments(ordre: OrdreCommunes, couche: Couche, fichier_url: str, *, selection: str | None, titre: str,
              tuiles: str | None = None, tuiles_attribution: str | None = None, opacite_sur_fond: float = 0.7,
              hauteur: int = 600) -> dict:
    """The component's arguments: only these travel at each run (a few tens of KB)."""
    indice = {c: i for i, c in enumerate(ordre.codes)}
    disparus = [[indice[c], int(x)] for c, x in zip(couche.props["code"], couche.props["x"]) if x > 0 and c in indice]
    styles = couche.legende.styles()
    if tuiles:
        styles = [{**s, "fillOpacity": opacite_sur_fond} if s.get("fillOpacity", 0) > opacite_sur_fond else s
                  for s in styles]
    return {
        "fichier": fichier_url, "classes": classes(ordre, couche), "styles": styles,
        "libelles": list(couche.legende.libelles), "titre_classe": couche.legende.titre,
        "disparus": disparus, "couleur_disparus": DISPARUS,
        "selection": indice.get(selection, -1) if selection else -1,
        "titre": titre, "prefixe": maps.PREFIXE, "attribution": maps.ATTRIBUTION,
        "tuiles": tuiles or None, "tuiles_attribution": tuiles_attribution, "hauteur": hauteur,
    }


def code_clique(valeur, ordre: OrdreCommunes) -> dict | None:
    """The component's return value ({indice, n}) in st_folium's shape, for clic.py: the
    clicked commune's code under last_active_drawing.properties."""
    if not isinstance(valeur, dict) or not isinstance(valeur.get("indice"), int):
        return None
    i = valeur["indice"]
    if not 0 <= i < len(ordre.codes):
        return None
    return {"last_active_drawing": {"properties": {"code": ordre.codes[i]}}}
