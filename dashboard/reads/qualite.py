"""Data for the data-quality page: the last imports and their reports, the rows they did
not store, the flagged objets of a scope and the moves communes reported (exportable, to
send corrections to POP).

Who sees what: the imports, their sources, reports and rows not stored are for the roles
that may import (dashboard.domain.rights, IMPORTER: the administrators). An import is
national (a POP export spans every département) and a row it could not store often has no
usable commune or département, so it cannot be given a scope; its source is an operator's
address. The flagged objets and the reported moves are the conservateurs' and DRAC's work:
they stay, within each user's scope, and so do the changes the imports made to the objets
(objet_changement), in the scope where the objet is or was. Sources are shown without
credentials, also those recorded before imports stopped keeping them (dashboard.domain.adresses).
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import adresses, rights, tableur
from dashboard.domain.identity import Scope
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import CHANGEMENT_POP, PROTECTION

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


class AccesRefuse(Exception):
    """The user's role may not see the imports."""


def voit_imports(role: str) -> bool:
    return rights.peut(role, Capacite.IMPORTER)


def _verifier(role: str) -> None:
    if not voit_imports(role):
        raise AccesRefuse("Les imports et leurs rapports sont réservés aux administrateurs.")


def chargements(conn: Connection, role: str) -> pd.DataFrame:
    """The last imports (sources without credentials)."""
    _verifier(role)
    frame = sql.fetch_df(conn, "qualite_chargements")
    frame["source"] = frame["source"].map(adresses.sans_identifiants)
    return frame


def raisons(conn: Connection, role: str, chargement_id: int) -> pd.DataFrame:
    _verifier(role)
    frame = sql.fetch_df(conn, "qualite_raisons", chargement_id=chargement_id)
    frame["nature"] = frame["kind"].map(NATURES)
    frame["libelle"] = frame["raison"].map(libelle)
    return frame[["nature", "raison", "libelle", "nombre"]]


def rejets(conn: Connection, role: str, chargement_id: int) -> pd.DataFrame:
    _verifier(role)
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


IMPORTS_MONTRES = 10
CHANGEMENTS_MAX = 20_000


def _libelles_changements(frame: pd.DataFrame) -> pd.DataFrame:
    """Kinds and protections as their labels (the codes stay in `nature`)."""
    frame.insert(frame.columns.get_loc("nature") + 1, "changement", frame["nature"].map(CHANGEMENT_POP.libelle))
    protection = frame["nature"] == "protection"
    for column in ("avant", "apres"):
        frame.loc[protection, column] = frame.loc[protection, column].map(
            lambda code: PROTECTION.libelle(code, "inconnue"))
    return frame


def changements(conn: Connection, scope: Scope, nature: str | None = None,
                imports: int = IMPORTS_MONTRES) -> pd.DataFrame:
    """What the last `imports` Palissy imports changed (added, withdrew, title, protection,
    commune, building), in the scope; optionally one kind; at most CHANGEMENTS_MAX rows."""
    frame = sql.fetch_df(conn, "qualite_changements", nature=nature, imports=imports, limite=CHANGEMENTS_MAX,
                         **scope.params())
    return _libelles_changements(frame)


def changements_periode(conn: Connection, scope: Scope, depuis, jusqu_a) -> pd.DataFrame:
    """The changes of the imports that ended in (depuis, jusqu_a], in the scope (the digest)."""
    frame = sql.fetch_df(conn, "qualite_changements_periode", depuis=depuis, jusqu_a=jusqu_a, **scope.params())
    return _libelles_changements(frame)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """For a French spreadsheet, cells safe to open (dashboard.domain.tableur)."""
    return tableur.csv_bytes(frame)


def to_xlsx(frame: pd.DataFrame, feuille: str) -> bytes:
    return tableur.xlsx_bytes(frame, feuille)
