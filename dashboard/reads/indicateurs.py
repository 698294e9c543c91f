"""Figures shown on the home page, for a scope, computed by the database."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from dashboard.domain import objectif
from dashboard.db import sql
from dashboard.domain.identity import Scope


@dataclass(frozen=True)
class ChiffresCles:
    objets: int
    communes: int
    recenses_5_ans: int
    en_peril: int
    disparus: int
    manquants_pop: int
    dossiers_a_examiner: int
    rythme: objectif.Rythme

    @property
    def part_recenses_5_ans(self) -> float | None:
        return objectif.part(self.recenses_5_ans, self.objets)


def chiffres_cles(conn: Connection, scope: Scope) -> ChiffresCles:
    row = sql.fetch_one(conn, "chiffres_cles", **scope.params())
    a_examiner = sql.fetch_scalar(conn, "dossiers_a_examiner", **scope.params())
    return ChiffresCles(
        objets=row["objets"],
        communes=row["communes"],
        recenses_5_ans=row["recenses_5_ans"],
        en_peril=row["en_peril"],
        disparus=row["disparus"],
        manquants_pop=row["manquants_pop"],
        dossiers_a_examiner=a_examiner,
        rythme=objectif.rythme(row["objets"], row["recenses_12_mois"]),
    )


def demo_present(conn: Connection) -> bool:
    return bool(sql.fetch_scalar(conn, "demo_present"))
