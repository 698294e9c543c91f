"""Campaigns' reads (queries/campagnes.sql): their progress (communes invited, reminded,
started, transmitted, accepted), one campaign and its communes.

For the déploiement pages (VOIR_DEPLOIEMENT) and /couverture (VOIR_PILOTAGE); the scope
goes to SQL as bound parameters.
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

COMPTES = ["communes", "invitees", "relancees", "commencees", "transmises", "acceptees"]


class AccesRefuse(Exception):
    """The user's role may read neither the déploiement pages nor the pilotage."""


def _autoriser(role: str) -> None:
    if not (rights.peut(role, Capacite.VOIR_DEPLOIEMENT) or rights.peut(role, Capacite.VOIR_PILOTAGE)):
        raise AccesRefuse("Les campagnes sont réservées aux chargés de déploiement, aux conservateurs, aux "
                          "responsables DRAC et aux administrateurs.")


def avancement(conn: Connection, scope: Scope, role: str, territoire: Territoire = Territoire(),
               statuts: tuple[str, ...] | None = None, depuis: date | None = None) -> pd.DataFrame:
    """One row per campaign of the scope and territory (of `statuts`, ending on or after
    `depuis`), with the counts COMPTES."""
    _autoriser(role)
    frame = sql.fetch_df(conn, "campagnes_avancement", statuts=list(statuts) if statuts else None, depuis=depuis,
                         **scope.params(), **territoire.params())
    for column in COMPTES:
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


def campagne(conn: Connection, scope: Scope, role: str, campagne_id: int) -> dict | None:
    """One campaign of the scope (None: unknown, or outside the scope)."""
    _autoriser(role)
    return sql.fetch_one(conn, "campagne_lire", id=campagne_id, **scope.params())


def communes(conn: Connection, scope: Scope, role: str, campagne_id: int) -> pd.DataFrame:
    """A campaign's communes: invited when, reminders, the dossier of the campaign, the address."""
    _autoriser(role)
    return sql.fetch_df(conn, "campagne_communes", id=campagne_id, **scope.params())
