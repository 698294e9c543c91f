"""The pilotage pages' reads (queries/pilotage.sql): /couverture (objets, coverage, pace,
the objets to recense before a date, urgent cases and communes in one pass over the objets;
dossiers; recensements by month and département, for the chart and the fiabilité) and
/restauration (états by protection, by département and catégorie, their évolution; the
objets behind them).

Every read takes the user's scope and role: the scope goes to SQL as bound parameters, the
role decides whether the page may be read at all (VOIR_PILOTAGE) and whether urgency is
judged with sécurisation (VOIR_SECURISATION), in the rights table only. Frames carry codes
and counts; what the pages show of them is built in dashboard.app.pilotage.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import etat, rights
from dashboard.domain.identity import Scope
from dashboard.domain.rights import Capacite

COMPTES_OBJETS = ["objets", "recenses_5_ans", "recenses_12_mois", "a_recenser", "prioritaires",
                  "prioritaires_traites", "preoccupants", "preoccupants_traites"]
COMPTES_COMMUNES = ["communes", "contactees", "participantes", "terminees"]
COMPTES_RECENSEMENTS = ["recensements", "acceptes", "acceptes_sans_correction"]
COMPTES_ETATS = ["avec_etat", "bon", "moyen", "mauvais", "peril", "degrade", "ameliore"]


class AccesRefuse(Exception):
    """The user's role may not read the pilotage."""


@dataclass(frozen=True)
class Territoire:
    """The territory of a view inside the user's scope: a région, a département, or neither
    (the whole scope). Hashable: part of a cache key."""
    region: str | None = None
    departement: str | None = None

    def params(self) -> dict:
        return {"region": None if self.departement else self.region, "departement": self.departement}


@dataclass(frozen=True)
class Activite:
    """What the communes of a view did: their dossiers, the recensements of its objets."""
    dossiers: pd.DataFrame       # code, statut, dossiers
    recensements: pd.DataFrame   # code, mois, COMPTES_RECENSEMENTS


def _voit_securisation(role: str) -> bool:
    """Raise unless the role may read the pilotage; whether it sees sécurisation."""
    if not rights.peut(role, Capacite.VOIR_PILOTAGE):
        raise AccesRefuse("Le pilotage est réservé aux responsables DRAC, aux conservateurs et aux administrateurs.")
    return rights.peut(role, Capacite.VOIR_SECURISATION)


def _params(scope: Scope, territoire: Territoire) -> dict:
    return {**scope.params(), **territoire.params()}


def _ints(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


def departements_avec_objets(conn: Connection, scope: Scope, role: str) -> frozenset[str]:
    """The départements of the scope holding counted objets (the territories worth a view)."""
    _voit_securisation(role)
    return frozenset(sql.fetch_df(conn, "pilotage_departements_avec_objets", **scope.params())["code"])


def objets_par_departement(conn: Connection, scope: Scope, role: str, territoire: Territoire,
                           echeance: date) -> pd.DataFrame:
    """By département (column `code`): COMPTES_OBJETS (objets to recense before `echeance`
    included) and COMPTES_COMMUNES, in one pass over the objets."""
    voit = _voit_securisation(role)
    return _ints(sql.fetch_df(conn, "pilotage_objets_par_departement", voit_securisation=voit, echeance=echeance,
                              **_params(scope, territoire)), COMPTES_OBJETS + COMPTES_COMMUNES)


def activite(conn: Connection, scope: Scope, role: str, territoire: Territoire) -> Activite:
    _voit_securisation(role)
    params = _params(scope, territoire)
    return Activite(dossiers=_ints(sql.fetch_df(conn, "pilotage_dossiers", **params), ["dossiers"]),
                    recensements=_ints(sql.fetch_df(conn, "pilotage_recensements", **params), COMPTES_RECENSEMENTS))


@dataclass(frozen=True)
class Restauration:
    """The figures of /restauration, split by protection (column `protection`, NULL when
    unknown): by département and by catégorie, and the objets behind them."""
    groupes: pd.DataFrame       # par ("departement" | "categorie"), cle (code or catégorie; NULL: none), protection
    objets: pd.DataFrame        # one row per objet in mauvais état or péril, or whose état moved

    def par(self, par: str, cle: str) -> pd.DataFrame:
        """The rows of one grouping, the key renamed `cle` ("code", "categorie")."""
        rows = self.groupes[self.groupes["par"] == par].drop(columns="par")
        return rows.rename(columns={"cle": cle}).reset_index(drop=True)


def restauration(conn: Connection, scope: Scope, role: str, territoire: Territoire) -> Restauration:
    _voit_securisation(role)
    params = _params(scope, territoire)
    return Restauration(
        groupes=_ints(sql.fetch_df(conn, "restauration_par_territoire_et_categorie", **params), COMPTES_ETATS),
        objets=sql.fetch_df(conn, "restauration_objets", etats=list(etat.MAUVAIS_OU_PERIL), **params),
    )
