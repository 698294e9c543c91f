"""Small made-up inputs for the pure parts of /carte: a referentiel, figures by commune as
dashboard.reads.carte returns them, and geometries as dashboard.reads.geometrie builds them."""
from __future__ import annotations

import pandas as pd
import shapely

from dashboard.reads.carte import FIGURES, Referentiel
from dashboard.reads.geometrie import Geometrie
from geo import encode

REF = Referentiel(
    regions=(("32", "Hauts-de-France"),),
    departements=(("59", "Nord", "32"), ("62", "Pas-de-Calais", "32"), ("80", "Somme", "32")),
    categories=("peinture", "sculpture"),
)


def figures(*rows: dict) -> pd.DataFrame:
    """Rows of figures_communes: code, nom, departement, statut, dossier_transmis and the
    counts (missing counts are 0)."""
    out = []
    for row in rows:
        full = {"code": None, "nom": None, "departement": None, "statut": "non_recense", "dossier_transmis": False}
        full.update({col: 0 for col in FIGURES})
        full.update(row)
        out.append(full)
    df = pd.DataFrame(out, columns=["code", "nom", "departement", *FIGURES, "statut", "dossier_transmis"])
    for col in FIGURES:
        df[col] = df[col].astype("int64")
    df["dossier_transmis"] = df["dossier_transmis"].astype(bool)
    return df


# Three communes of the 62: one with objets in every état and a disparu, one with objets
# never recensés, one without objet; and objets of the 59 (one without a commune).
FIGURES_COMMUNES = figures(
    dict(code="62041", nom="Arras", departement="62", objets=10, recenses=6, avec_etat=6, bon=2, moyen=1,
         mauvais=2, peril=1, prioritaires=2, disparus=1, statut="a_examiner", dossier_transmis=True),
    dict(code="62001", nom="Ablain", departement="62", objets=4, statut="en_cours"),
    dict(code="59350", nom="Lille", departement="59", objets=20, recenses=1, avec_etat=1, bon=1),
    dict(code=None, nom=None, departement="59", objets=3, recenses=3, avec_etat=3, moyen=3),
)


def carre(x: float, y: float, cote: float = 0.1):
    return shapely.box(x, y, x + cote, y + cote)


def geometrie(codes, noms, departements=None, quantum=1e-4, points=None) -> Geometrie:
    geoms = [carre(2.0 + i * 0.2, 50.0) for i in range(len(codes))]
    features, bounds = encode.encode_layer(geoms, quantum)
    return Geometrie(codes=tuple(codes), noms=tuple(noms), departements=tuple(departements or codes),
                     json=encode.script_json(features), quantum=quantum,
                     bounds=((bounds[0], bounds[1]), (bounds[2], bounds[3])), points=points or {})


GEO_COMMUNES = geometrie(["62001", "62041", "62099"], ["Ablain", "Arras", "Vide"], ["62", "62", "62"],
                         points={"62001": (50.05, 2.05), "62041": (50.05, 2.25), "62099": (50.05, 2.45)})
GEO_DEPARTEMENTS = geometrie(["59", "62", "80"], ["Nord", "Pas-de-Calais", "Somme"], quantum=1e-3)
