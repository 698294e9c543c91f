"""The déploiement pages' reads (queries/deploiement.sql): each commune's figures for the
priority score, a commune's contacts, the communes to call back.

Every read takes the user's scope (bound parameters of the SQL) and role: the pages are for
the roles with VOIR_DEPLOIEMENT (the rights table), and a read refuses the others.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import rights
from dashboard.domain.identity import Scope
from dashboard.domain.rights import Capacite
from dashboard.reads.pilotage import Territoire

ENTIERS = ["objets", "classes", "classes_jamais_recenses", "peril_ou_disparus"]


class AccesRefuse(Exception):
    """The user's role may not read the déploiement pages."""


def autoriser(role: str) -> None:
    if not rights.peut(role, Capacite.VOIR_DEPLOIEMENT):
        raise AccesRefuse("Le déploiement est réservé aux chargés de déploiement, aux conservateurs et aux "
                          "administrateurs.")


def communes(conn: Connection, scope: Scope, role: str, territoire: Territoire) -> pd.DataFrame:
    """One row per commune holding counted objets in the scope and the territory: the inputs of
    dashboard.domain.priorite, the filters' columns, the mairie's contact, the latest contact."""
    autoriser(role)
    frame = sql.fetch_df(conn, "deploiement_communes", **scope.params(), **territoire.params())
    for column in ENTIERS:
        frame[column] = frame[column].astype("int64")
    for column in ("a_un_dossier", "contactee", "en_campagne_active", "courriel_enregistre"):
        frame[column] = frame[column].astype(bool)
    return frame


def historique(conn: Connection, scope: Scope, role: str, code: str) -> pd.DataFrame:
    """A commune's contacts, the latest first (empty outside the scope)."""
    autoriser(role)
    return sql.fetch_df(conn, "suivi_historique", code=code, **scope.params())


def a_rappeler(conn: Connection, scope: Scope, role: str, departement: str | None = None,
               jusqu_a: date | None = None) -> pd.DataFrame:
    """The communes to call back, by date (their latest contact gives one)."""
    autoriser(role)
    return sql.fetch_df(conn, "suivi_a_rappeler", departement=departement, jusqu_a=jusqu_a, **scope.params())
