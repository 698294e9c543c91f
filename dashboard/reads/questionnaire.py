"""What the commune's questionnaire (/recensement) and the fiches read of it: the commune's
current dossier, its objets with their recensement in it, the photos (queries/questionnaire.sql),
each in the user's scope."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import Scope


def commune(conn: Connection, scope: Scope, code: str) -> dict | None:
    """The commune (code, name) if it is in the user's scope."""
    return sql.fetch_one(conn, "questionnaire_commune", code=code, **scope.params())


def dossier(conn: Connection, scope: Scope, commune_code: str) -> dict | None:
    """The commune's current dossier (its latest not archived), or None."""
    return sql.fetch_one(conn, "questionnaire_dossier", commune_code=commune_code, **scope.params())


def campagne_invitee(conn: Connection, commune_code: str) -> dict | None:
    """The ongoing campaign the commune is invited to, if any."""
    return sql.fetch_one(conn, "questionnaire_campagne_invitee", commune_code=commune_code)


def objets(conn: Connection, scope: Scope, commune_code: str, dossier_id: int | None) -> pd.DataFrame:
    """The commune's objets to recense, by édifice, with their recensement in the dossier."""
    return sql.fetch_df(conn, "questionnaire_objets", commune_code=commune_code, dossier_id=dossier_id,
                        **scope.params())


def photos(conn: Connection, scope: Scope, recensement_ids: tuple[int, ...]) -> pd.DataFrame:
    """The live photos of these recensements (a tuple: the cache keys on it)."""
    return sql.fetch_df(conn, "questionnaire_photos", ids=[int(i) for i in recensement_ids], **scope.params())


def photos_objet(conn: Connection, scope: Scope, ref: str) -> pd.DataFrame:
    """The photos of an objet's recensements that count, latest first (/objet)."""
    return sql.fetch_df(conn, "questionnaire_photos_objet", ref=ref, **scope.params())


def photos_commune(conn: Connection, scope: Scope, code: str) -> pd.DataFrame:
    """The photos of the current recensements of a commune's objets (/commune)."""
    return sql.fetch_df(conn, "questionnaire_photos_commune", code=code, **scope.params())
