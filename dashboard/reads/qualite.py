"""Data for the data-quality page: the last imports and their reports, the rows they did
not store, the flagged objets of a scope and the moves communes reported (exportable, to
send corrections to POP)."""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import tableur
from dashboard.domain.identity import Scope

# French labels of the reason codes (reports and anomalies).
LIBELLES = {
    "insee_manquant": "INSEE manquant", "sous_dossier": "sous-dossier", "vole_ou_manquant": "volé ou manquant (POP)",
    "traitement_en_cours": "notice en traitement", "propriete_etat": "propriété de l'État",
    "declasse": "déclassé ou désinscrit", "notice_non_pm": "notice non MH (IM…)", "notice_non_mh": "notice non MH",
    "ref_manquante": "REF manquante", "ref_invalide": "REF mal formée", "ref_en_double": "REF en double",
    "nombre_de_champs": "nombre de champs incorrect", "ligne_illisible": "ligne illisible",
    "enregistrement_illisible": "enregistrement illisible", "insee_multiple": "plusieurs codes INSEE",
    "insee_sans_zero": "code INSEE sans zéro initial", "insee_invalide": "code INSEE invalide",
    "commune_ancienne": "ancienne commune (fusion)", "arrondissement": "arrondissement (Paris, Lyon, Marseille)",
    "commune_non_resolue": "commune introuvable", "web_invalide": "code WEB inutilisable",
    "deplace": "objet déplacé (DEPL)", "departement_different": "DPT différent de la commune",
    "protection_inconnue": "protection illisible",
}
NATURES = {"hors_perimetre": "Hors périmètre", "excluded": "Exclus", "rejected": "Rejetés", "anomalies": "Anomalies"}


def libelle(code: str | None) -> str:
    return LIBELLES.get(code, code or "")


def chargements(conn: Connection) -> pd.DataFrame:
    return sql.fetch_df(conn, "qualite_chargements")


def raisons(conn: Connection, chargement_id: int) -> pd.DataFrame:
    frame = sql.fetch_df(conn, "qualite_raisons", chargement_id=chargement_id)
    frame["nature"] = frame["kind"].map(NATURES)
    frame["libelle"] = frame["raison"].map(libelle)
    return frame[["nature", "raison", "libelle", "nombre"]]


def rejets(conn: Connection, chargement_id: int) -> pd.DataFrame:
    return sql.fetch_df(conn, "qualite_rejets", chargement_id=chargement_id)


def anomalies(conn: Connection, scope: Scope) -> pd.DataFrame:
    frame = sql.fetch_df(conn, "qualite_anomalies", **scope.params())
    frame["libelle"] = frame["anomalie"].map(libelle)
    return frame


def objets_signales(conn: Connection, scope: Scope, anomalie: str | None = None) -> pd.DataFrame:
    return sql.fetch_df(conn, "qualite_objets_signales", anomalie=anomalie, **scope.params())


def deplacements_signales(conn: Connection, scope: Scope) -> pd.DataFrame:
    """Objets that their current recensement says are in another commune than Palissy's."""
    return sql.fetch_df(conn, "qualite_deplacements_signales", **scope.params())


def to_csv(frame: pd.DataFrame) -> bytes:
    """For a French spreadsheet, cells safe to open (dashboard.domain.tableur)."""
    return tableur.csv_bytes(frame)
