"""The pilotage pages' reads (queries/pilotage.sql): /couverture (coverage, communes,
dossiers, fiabilité, urgent cases, recensements per month, the objets to recense before a
date) and /restauration (états by protection, their évolution, the objets behind them).

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

COMPTES_OBJETS = ["objets", "recenses_5_ans", "recenses_12_mois", "prioritaires", "prioritaires_traites",
                  "preoccupants", "preoccupants_traites"]
COMPTES_COMMUNES = ["communes", "contactees", "participantes", "terminees"]
COMPTES_FIABILITE = ["acceptes", "acceptes_sans_correction"]
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
class Couverture:
    """The figures of /couverture, by département (column `code`)."""
    objets: pd.DataFrame        # COMPTES_OBJETS
    communes: pd.DataFrame      # COMPTES_COMMUNES
    dossiers: pd.DataFrame      # code, statut, dossiers
    fiabilite: pd.DataFrame     # COMPTES_FIABILITE


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


def couverture(conn: Connection, scope: Scope, role: str, territoire: Territoire) -> Couverture:
    """The tables of /couverture: one grouped statement each."""
    voit = _voit_securisation(role)
    params = _params(scope, territoire)
    return Couverture(
        objets=_ints(sql.fetch_df(conn, "pilotage_objets_par_departement", voit_securisation=voit, **params),
                     COMPTES_OBJETS),
        communes=_ints(sql.fetch_df(conn, "pilotage_communes", **params), COMPTES_COMMUNES),
        dossiers=_ints(sql.fetch_df(conn, "pilotage_dossiers", **params), ["dossiers"]),
        fiabilite=_ints(sql.fetch_df(conn, "pilotage_fiabilite", **params), COMPTES_FIABILITE),
    )


def a_recenser(conn: Connection, scope: Scope, role: str, territoire: Territoire, echeance: date) -> pd.DataFrame:
    """By département, the objets with no recensement since `echeance` minus five years."""
    _voit_securisation(role)
    return _ints(sql.fetch_df(conn, "pilotage_a_recenser", echeance=echeance, **_params(scope, territoire)),
                 ["a_recenser"])


def recensements_par_mois(conn: Connection, scope: Scope, role: str, territoire: Territoire) -> pd.DataFrame:
    _voit_securisation(role)
    return _ints(sql.fetch_df(conn, "pilotage_recensements_par_mois", **_params(scope, territoire)),
                 ["recensements"])


@dataclass(frozen=True)
class Restauration:
    """The figures of /restauration: by département and by catégorie, each split by
    protection (column `protection`, NULL when unknown), and the objets behind them."""
    departements: pd.DataFrame  # code, protection, COMPTES_ETATS
    categories: pd.DataFrame    # categorie (NULL: without catégorie), protection, COMPTES_ETATS
    objets: pd.DataFrame        # one row per objet in mauvais état or péril, or whose état moved


def restauration(conn: Connection, scope: Scope, role: str, territoire: Territoire) -> Restauration:
    _voit_securisation(role)
    params = _params(scope, territoire)
    return Restauration(
        departements=_ints(sql.fetch_df(conn, "restauration_par_departement", **params), COMPTES_ETATS),
        categories=_ints(sql.fetch_df(conn, "restauration_par_categorie", **params), COMPTES_ETATS),
        objets=sql.fetch_df(conn, "restauration_objets", etats=list(etat.MAUVAIS_OU_PERIL), **params),
    )
