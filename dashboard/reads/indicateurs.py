"""Figures shown on the home page, for a scope, computed by the database."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
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


# --- what each role's home page adds (issue 11) -------------------------------------------------

def couverture_par_departement(conn: Connection, scope: Scope) -> pd.DataFrame:
    """Per département of the scope: objets counted, recensés within five years, their share."""
    rows = sql.fetch_df(conn, "couverture_par_departement", **scope.params())
    return rows.assign(part=[objectif.part(r, o) for r, o in zip(rows["recenses_5_ans"], rows["objets"])])


def communes_a_contacter(conn: Connection, scope: Scope, limite: int = 10) -> pd.DataFrame:
    """The communes of the scope never recensed that hold the most objets."""
    return sql.fetch_df(conn, "communes_jamais_recensees", limite=limite, **scope.params())


def campagnes(conn: Connection, scope: Scope, limite: int = 12) -> pd.DataFrame:
    """The campaigns of the scope's départements, ongoing and planned first."""
    return sql.fetch_df(conn, "campagnes_perimetre", limite=limite, **scope.params())
