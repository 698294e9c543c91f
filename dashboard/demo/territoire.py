"""Where the demo's objets are: how many per département, which communes hold them and how
many each (heavy-tailed), and the édifices of each holding commune."""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.arrays import group_starts, pick, ranges, round_half_up, values_of
from dashboard.demo.figures import COMMUNES_AVEC_OBJETS, OBJETS_2022

EGLISES = [("église", 32687), ("église Saint-Martin", 10852), ("église Saint-Pierre", 7977),
           ("église Notre-Dame", 6000), ("église Saint-Étienne", 3500), ("église Saint-Germain", 3000),
           ("église Saint-Jean-Baptiste", 3000), ("église Saint-Nicolas", 2500), ("église de l'Assomption", 2500),
           ("église Saint-Rémi", 2000), ("église Saint-Maurice", 2000), ("église Saint-Denis", 1500),
           ("église Saint-Laurent", 1500), ("église Sainte-Madeleine", 1200)]
CATHEDRALES = ["cathédrale Notre-Dame", "cathédrale Saint-Étienne", "cathédrale Saint-Pierre",
               "collégiale Saint-Martin"]
AUTRES_EDIFICES = ["chapelle Notre-Dame", "chapelle Saint-Roch", "chapelle Sainte-Anne", "chapelle Saint-Sébastien",
                   "chapelle des Pénitents", "chapelle du cimetière", "hôtel de ville", "chapelle de l'hôpital",
                   "chapelle Saint-Joseph", "presbytère"]


def plan_objets(rng, communes: pd.DataFrame, scale: float) -> dict:
    """How many objets per département and per holding commune."""
    dep_of = communes["dep"].to_numpy()
    deps, dep_idx, ncom = np.unique(dep_of, return_inverse=True, return_counts=True)
    total_2022 = sum(OBJETS_2022.values())
    skipped = sorted(d for d in OBJETS_2022 if d not in set(deps))
    real = np.array([OBJETS_2022.get(d, 0) for d in deps], dtype=float)
    n_obj = round_half_up(real * scale)
    if scale > 0:
        n_obj = np.where(real > 0, np.maximum(n_obj, 1), 0)
    lo = np.minimum.reduce([np.full_like(ncom, 5), ncom, n_obj])
    hi = np.minimum.reduce([ncom, n_obj, np.maximum(lo, np.ceil(0.85 * ncom).astype(np.int64))])
    # Holders in proportion to objets, capped by the communes there; a few passes make up
    # for the caps so that the national total stays near COMMUNES_AVEC_OBJETS * scale.
    target = COMMUNES_AVEC_OBJETS * scale
    factor = 1.0
    for _ in range(5):
        holders_per_dep = np.clip(round_half_up(target * factor * real / total_2022), lo, hi)
        if holders_per_dep.sum() == 0:
            break
        factor *= target / holders_per_dep.sum()
    holders_per_dep = np.clip(round_half_up(target * factor * real / total_2022), lo, hi)

    # Weighted draw without replacement (Gumbel top-k): bigger communes more often.
    population = communes["population"].to_numpy(dtype=float)
    key = 0.35 * np.log(population + 100.0) + rng.gumbel(size=len(communes))
    order = np.lexsort((-key, dep_idx))
    rank = np.empty(len(communes), dtype=np.int64)
    rank[order] = np.arange(len(communes)) - group_starts(ncom)[dep_idx[order]]
    holder = rank < holders_per_dep[dep_idx]
    holders = np.flatnonzero(holder)                       # commune rows, in code order

    # Heavy-tailed spread of each département's objets over its holders (at least one each).
    weight = (rng.pareto(1.1, size=len(holders)) + 1.0) * (population[holders] + 100.0) ** 0.15
    count = np.ones(len(holders), dtype=np.int64)
    h_dep = dep_idx[holders]
    for d in np.flatnonzero(holders_per_dep):
        members = np.flatnonzero(h_dep == d)
        extra = int(n_obj[d]) - len(members)
        if extra > 0:
            count[members] += rng.multinomial(extra, weight[members] / weight[members].sum())
    return {"deps": deps, "dep_idx": dep_idx, "holders": holders, "count": count, "skipped": skipped,
            "n_obj": n_obj}


def draw_edifices(rng, communes: pd.DataFrame, holders: np.ndarray, count: np.ndarray) -> dict:
    """1 to 4 per holding commune (never more than its objets): a church first (a cathedral
    in half the towns of 40,000 people or more), then chapels and the like."""
    n_e = np.clip(1 + rng.poisson(0.3 * np.log1p(count)), 1, 4)
    n_e = np.minimum(n_e, count)
    owner, _ = ranges(np.zeros(len(n_e), dtype=np.int64), n_e)
    rank = np.arange(int(n_e.sum())) - np.repeat(group_starts(n_e), n_e)
    population = communes["population"].to_numpy()[holders]
    first = values_of(EGLISES)[pick(rng, EGLISES, len(holders))]
    cathedrale = (population >= 40000) & (rng.random(len(holders)) < 0.5)
    first[cathedrale] = np.array(CATHEDRALES, dtype=object)[rng.integers(0, len(CATHEDRALES), cathedrale.sum())]
    offset = rng.integers(0, len(AUTRES_EDIFICES), len(holders))
    others = np.array(AUTRES_EDIFICES, dtype=object)[(offset[owner] + rank - 1) % len(AUTRES_EDIFICES)]
    nom = np.where(rank == 0, first[owner], others)
    return {"owner": owner, "nom": nom, "n_e": n_e, "start": group_starts(n_e)}



def edifice_rows(edifices: dict, ids: np.ndarray, holder_codes: np.ndarray, chargement_id: int) -> dict:
    """The columns of demo_copie_edifice."""
    return {"id": ids.tolist(), "nom": edifices["nom"], "commune_code": holder_codes[edifices["owner"]],
            "provenance": ["demo"] * len(ids), "chargement_id": [chargement_id] * len(ids)}
