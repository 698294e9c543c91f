"""The five-year objective (récolement quinquennal): the pace it needs, how long a full
cycle takes at the current pace and when it would end, the monthly pace needed to reach the
objective by a date, shares (domain.md, "Pace and objective"; issue 13, "Definitions").

What SQL counts is defined there once (queries/definitions/07_objet_situation.sql): the
objets recensés in the last twelve months (the pace p) and, for a target date D, the objets
with no recensement since D minus five years; the arithmetic on those counts is here.

(The urgency rule, the current recensement and the commune status are SQL definitions:
one place each.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CYCLE_YEARS = 5  # récolement quinquennal
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = 365.25 / MONTHS_PER_YEAR  # an average month: "months until D" is a fraction


@dataclass(frozen=True)
class Rythme:
    objets: int              # N: objets counted
    par_an: int              # p: objets recensés in the last twelve months
    requis_par_an: float     # N / 5
    annees_cycle: float | None  # N / p; None when p == 0 ("jamais au rythme actuel")
    # 5p / N (at most 1), where a rolling five-year coverage levels off: the projected
    # coverage in five years at the current pace (issue 13's projection).
    couverture_plafond: float | None

    @property
    def requis_par_mois(self) -> float:
        """The pace the objective requires, per month: N / 5 / 12."""
        return self.requis_par_an / MONTHS_PER_YEAR

    @property
    def par_mois(self) -> float:
        """The current pace, per month (p / 12)."""
        return self.par_an / MONTHS_PER_YEAR

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


def annee_fin_de_cycle(r: Rythme, aujourd_hui: date) -> int | None:
    """The year a full cycle completes at the current pace: N/p years from today (issue 13,
    "Full cycle"); None when it never does (no pace) or there is nothing to recense."""
    if r.annees_cycle is None:
        return None
    debut_annee = date(aujourd_hui.year, 1, 1)
    fraction = (aujourd_hui - debut_annee).days / 365.25
    return int(aujourd_hui.year + fraction + r.annees_cycle)


def mois_jusqu_a(echeance: date, aujourd_hui: date) -> float:
    """Months from today to a target date, in average months (0 or less: not in the future)."""
    return (echeance - aujourd_hui).days / DAYS_PER_MONTH


def rythme_mensuel_requis(a_recenser: int, echeance: date, aujourd_hui: date) -> float | None:
    """The monthly pace needed to reach the objective at the date `echeance` (issue 13): the
    objets with no recensement since `echeance` minus five years (`a_recenser`, counted by
    SQL), divided by the months until then. None when the date is not in the future."""
    mois = mois_jusqu_a(echeance, aujourd_hui)
    if mois <= 0:
        return None
    return a_recenser / mois


def part(numerateur, denominateur):
    """A share (coverage, état share...) as a fraction 0..1: the one representation of a share
    in data; pages format it as a percentage only when they show it (dashboard.app.ui.fmt_pct).
    Numbers: None when nothing is counted. pandas Series: element by element, NaN where the
    denominator is 0."""
    if hasattr(denominateur, "where"):  # a pandas Series
        return numerateur / denominateur.where(denominateur > 0)
    return numerateur / denominateur if denominateur else None
