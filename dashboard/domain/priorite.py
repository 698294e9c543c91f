"""The priority score of /communes-a-contacter: which communes to contact next, and why.

Transparent by construction: five criteria, each read from the commune's figures and turned
into a fraction between 0 and 1 by a cap written here (a commune at or beyond the cap gets
the whole criterion); the score is the average of these fractions weighted by the weights
the user chose, out of 100. Each criterion's share of the score is its points: the points
of a commune add up to its score, and the page shows them side by side.

    fraction(c)  = min(value(c), cap(c)) / cap(c)
    points(c)    = 100 × weight(c) × fraction(c) / Σ weights
    score        = Σ points(c)

The criteria (CRITERES) and their caps:
- objets classés jamais recensés: the commune's classé objets with no recensement (cap 10);
- ancienneté: years since the latest recensement or POP récolement (DENQ) of any of its
  objets, this year minus that year; never either: the whole criterion (cap 10 years);
- objets en péril ou disparus: current état péril, disparu at its current recensement, or
  marked stolen or missing in POP (cap 5);
- aucun dossier: the commune never had a recensement dossier (1 or 0);
- objets par habitant: objets per 1,000 inhabitants (cap 10); population unknown: 0.

Weights are whole numbers from 0 to 10 (POIDS_MIN, POIDS_MAX); at least one is not zero.
Order: score, then objets, then INSEE code (a stable order for equal scores).

Pure pandas: no I/O. The per-commune figures come from one SQL statement
(queries/deploiement.sql, `deploiement_communes`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

POIDS_MIN, POIDS_MAX = 0, 10


@dataclass(frozen=True)
class Critere:
    code: str            # its URL parameter is poids_<code>
    libelle: str         # the column of its points
    explication: str     # in words, on the page
    plafond: float       # the value from which it counts whole


CRITERES = (
    Critere("classes", "Objets classés jamais recensés",
            "le nombre d'objets classés de la commune qui n'ont jamais été recensés (compte entier à partir de 10)",
            10),
    Critere("anciennete", "Ancienneté du dernier recensement",
            "le nombre d'années depuis le dernier recensement ou le dernier récolement noté dans POP d'un de ses "
            "objets (compte entier à partir de 10 ans, ou quand il n'y en a jamais eu)", 10),
    Critere("urgences", "Objets en péril ou disparus",
            "le nombre d'objets en péril ou disparus selon leur dernier recensement, ou signalés volés ou manquants "
            "dans POP (compte entier à partir de 5)", 5),
    Critere("sans_dossier", "Aucun dossier",
            "la commune n'a jamais eu de dossier de recensement (tout ou rien)", 1),
    Critere("densite", "Objets par habitant",
            "le nombre d'objets pour 1 000 habitants (compte entier à partir de 10 ; population inconnue : 0)", 10),
)
CODES = tuple(c.code for c in CRITERES)
PAR_CODE = {c.code: c for c in CRITERES}


@dataclass(frozen=True)
class Preset:
    libelle: str
    poids: tuple[int, ...]   # in CRITERES order


PRESETS = {
    "equilibre": Preset("Équilibré", (3, 2, 3, 1, 1)),
    "jamais_recenses": Preset("Objets classés jamais recensés", (6, 2, 1, 1, 0)),
    "urgences": Preset("Objets en péril ou disparus", (1, 1, 8, 0, 0)),
    "jamais_sollicitees": Preset("Communes jamais sollicitées", (2, 3, 0, 5, 0)),
    "petites_communes": Preset("Petites communes riches en objets", (2, 1, 1, 1, 5)),
}
PAR_DEFAUT = PRESETS["equilibre"].poids


def preset_de(poids: tuple[int, ...]) -> str | None:
    """The preset these weights are, if any."""
    return next((cle for cle, p in PRESETS.items() if p.poids == tuple(poids)), None)


def poids_valide(valeur: object) -> bool:
    return isinstance(valeur, int) and not isinstance(valeur, bool) and POIDS_MIN <= valeur <= POIDS_MAX


# --- the score ------------------------------------------------------------------------------

def valeurs(entrees: pd.DataFrame, annee: int) -> pd.DataFrame:
    """The value of each criterion per commune (NaN for anciennete: never recensed nor
    récolé; for densite: population unknown). `entrees` has the columns of the SQL statement:
    classes_jamais_recenses, derniere_annee, peril_ou_disparus, a_un_dossier, objets, population."""
    population = pd.to_numeric(entrees["population"], errors="coerce").astype("float64")
    objets = entrees["objets"].astype("float64")
    return pd.DataFrame({
        "classes": entrees["classes_jamais_recenses"].astype("float64"),
        "anciennete": (annee - pd.to_numeric(entrees["derniere_annee"], errors="coerce")).clip(lower=0),
        "urgences": entrees["peril_ou_disparus"].astype("float64"),
        "sans_dossier": (~entrees["a_un_dossier"].astype(bool)).astype("float64"),
        "densite": (objets * 1000 / population).where(population > 0),
    }, index=entrees.index)


def fractions(v: pd.DataFrame) -> pd.DataFrame:
    """Each value turned into 0..1 by its cap; anciennete NaN (never) counts whole, densite
    NaN (population unknown) counts nothing."""
    out = pd.DataFrame(index=v.index)
    for c in CRITERES:
        valeur = v[c.code].fillna(c.plafond if c.code == "anciennete" else 0.0)
        out[c.code] = np.minimum(valeur, c.plafond) / c.plafond
    return out


def points(f: pd.DataFrame, poids: tuple[int, ...]) -> pd.DataFrame:
    """The points of each criterion: 100 × weight × fraction / Σ weights (they add up to the score)."""
    total = sum(poids)
    if total <= 0:
        raise ValueError("au moins un poids doit être supérieur à zéro")
    return pd.DataFrame({c.code: 100.0 * w * f[c.code] / total for c, w in zip(CRITERES, poids)}, index=f.index)


def classer(entrees: pd.DataFrame, poids: tuple[int, ...], annee: int) -> pd.DataFrame:
    """The communes ranked: `entrees` with valeur_<code>, points_<code>, score and rang (1 for
    the first), ordered by score, then objets, then code."""
    v = valeurs(entrees, annee)
    p = points(fractions(v), poids)
    out = entrees.copy()
    for c in CRITERES:
        out[f"valeur_{c.code}"] = v[c.code]
        out[f"points_{c.code}"] = p[c.code]
    out["score"] = p.sum(axis=1)
    out = out.sort_values(["score", "objets", "code"], ascending=[False, False, True], kind="stable")
    out = out.reset_index(drop=True)
    out["rang"] = np.arange(1, len(out) + 1)
    return out


# --- the reason, in words -------------------------------------------------------------------

def _n(n: float, singulier: str, pluriel: str) -> str:
    k = int(n)
    return f"{k} {singulier if k <= 1 else pluriel}"


def _phrase(code: str, valeur: float, annee_derniere: float) -> str:
    if code == "classes":
        return _n(valeur, "objet classé jamais recensé", "objets classés jamais recensés")
    if code == "anciennete":
        if valeur != valeur:  # NaN: never
            return "aucun recensement ni récolement connu"
        return f"dernier recensement ou récolement en {int(annee_derniere)} ({_n(valeur, 'an', 'ans')})"
    if code == "urgences":
        return _n(valeur, "objet en péril ou disparu", "objets en péril ou disparus")
    if code == "sans_dossier":
        return "jamais de dossier de recensement"
    if valeur < 0.1:
        return "moins de 0,1 objet pour 1 000 habitants"
    return f"{valeur:.1f} {'objet' if valeur < 2 else 'objets'} pour 1 000 habitants".replace(".", ",")


def raisons(classement: pd.DataFrame) -> list[str]:
    """Why each commune of `classer()` ranks where it does: the criteria that give it points,
    the heaviest first, in words ("8 objets classés jamais recensés ; jamais de dossier…")."""
    colonnes = [(c.code, classement[f"valeur_{c.code}"].to_numpy(), classement[f"points_{c.code}"].to_numpy())
                for c in CRITERES]
    annees = pd.to_numeric(classement["derniere_annee"], errors="coerce").to_numpy()
    out = []
    for i in range(len(classement)):
        parts = sorted(((p[i], k, code, v[i]) for k, (code, v, p) in enumerate(colonnes) if p[i] > 0),
                       key=lambda t: (-t[0], t[1]))
        out.append(" ; ".join(_phrase(code, v, annees[i]) for _, _, code, v in parts)
                   or "aucun critère retenu ne la distingue")
    return out


def explication(poids: tuple[int, ...]) -> list[str]:
    """The rule in words, one sentence per criterion with its weight (the page shows them)."""
    total = sum(poids)
    lignes = []
    for c, w in zip(CRITERES, poids):
        part = f"au plus {100 * w / total:.1f} points".replace(".", ",") if total else "0 point"
        lignes.append(f"{c.libelle} (poids {w}, {part}) : {c.explication}.")
    return lignes
