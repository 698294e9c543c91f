"""The inbox of a conservateur (/a-examiner): the dossiers of the scope waiting for their
examen, those that hold a prioritaire (disparu, péril) first, then the oldest transmitted;
with their figures and where their examen stands (queries/examen.sql). The home page's
"Dossiers à examiner" counts the same rows."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import formats, rights
from dashboard.domain.identity import Scope
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import SOUHAIT_VISITE, STATUT_COMMUNE

LIEN = "Fiche"
COLONNES = ["Commune", "Département", "Transmis le", "Recensements", "Analysés", "Prioritaires",
            "Prioritaires à analyser", "Statut", "Visite souhaitée", "Notes de la commune"]


class AccesRefuse(Exception):
    """The user's role may not examine dossiers."""


def a_examiner(conn: Connection, scope: Scope, role: str) -> pd.DataFrame:
    """The submitted dossiers of the scope, in the inbox's order (raises AccesRefuse for a
    role that may not examine)."""
    if not rights.peut(role, Capacite.EXAMINER):
        raise AccesRefuse("La liste des dossiers à examiner est réservée aux conservateurs et aux administrateurs.")
    return sql.fetch_df(conn, "dossiers_a_examiner_liste", **scope.params())


def statut(analyses: int) -> str:
    """Where the examen of a submitted dossier stands, in the words of the commune statuses."""
    return STATUT_COMMUNE.libelle("en_cours_examen" if analyses else "a_examiner")


def tableau(dossiers: pd.DataFrame) -> pd.DataFrame:
    """The table the inbox shows: French columns, counts as numbers, the day of submission in
    France, a link column (relative: it works under a URL prefix too)."""
    d = dossiers
    return pd.DataFrame({
        "Commune": d["commune_nom"].fillna("") + " (" + d["commune_code"] + ")",
        "Département": (d["departement_code"].fillna("") + " " + d["departement_nom"].fillna("")).str.strip(),
        "Transmis le": [formats.jour_en_france(v) for v in d["submitted_at"]],
        "Recensements": d["recensements"].astype("int64"),
        "Analysés": d["analyses"].astype("int64"),
        "Prioritaires": d["prioritaires"].astype("int64"),
        "Prioritaires à analyser": d["prioritaires_non_analyses"].astype("int64"),
        "Statut": [statut(int(a)) for a in d["analyses"]],
        "Visite souhaitée": d["visite"].map(SOUHAIT_VISITE.libelles),
        "Notes de la commune": d["notes_commune"].map(formats.oui_non),
        LIEN: "commune?code=" + d["commune_code"],
    }, columns=COLONNES + [LIEN]).reset_index(drop=True)
