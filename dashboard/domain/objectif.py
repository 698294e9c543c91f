"""The five-year objective (récolement quinquennal): the pace it needs, how long a full
cycle takes at the current pace, shares (domain.md, "Pace and objective").

(The urgency rule, the current recensement and the commune status are SQL definitions:
one place each.)
"""
from __future__ import annotations

from dataclasses import dataclass

CYCLE_YEARS = 5  # récolement quinquennal

@dataclass(frozen=True)
class Rythme:
    objets: int              # N: objets counted
    par_an: int              # p: objets recensés in the last twelve months
    requis_par_an: float     # N / 5
    annees_cycle: float | None  # N / p; None when p == 0 ("jamais au rythme actuel")
    couverture_plafond: float | None  # 5p / N, where a rolling five-year coverage levels off

    @property
    def libelle_cycle(self) -> str:
        if self.objets == 0:
            return "aucun objet"
        if self.annees_cycle is None:
            return "jamais au rythme actuel"
        return f"{self.annees_cycle:.1f} ans".replace(".", ",")


def rythme(objets: int, par_an: int) -> Rythme:
    """Pace and objective of domain.md: a full cycle takes N/p years; N/5 per year is needed."""
    requis = objets / CYCLE_YEARS
    if objets == 0:
        return Rythme(0, par_an, 0.0, None, None)
    if par_an == 0:
        return Rythme(objets, 0, requis, None, 0.0)
    return Rythme(objets, par_an, requis, objets / par_an, min(1.0, CYCLE_YEARS * par_an / objets))


def part(numerateur, denominateur):
    """A share (coverage, état share...) as a fraction 0..1: the one representation of a share
    in data; pages format it as a percentage only when they show it (dashboard.app.ui.fmt_pct).
    Numbers: None when nothing is counted. pandas Series: element by element, NaN where the
    denominator is 0."""
    if hasattr(denominateur, "where"):  # a pandas Series
        return numerateur / denominateur.where(denominateur > 0)
    return numerateur / denominateur if denominateur else None
