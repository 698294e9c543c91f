"""The objet and commune pages' data: Palissy fields, recensement history, follow-up of a
disparu, a commune's status, dossiers and objets by édifice, and its outline for the map.

Scoped like every read (users.Scope); the current recensement and urgency come from the
shared definitions (queries/definitions/).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.domain import rights
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import ETAT_SANITAIRE, LOCALISATION, OUI_NON, SECURISATION
from dashboard.db import sql
from dashboard.domain.identity import Scope

POP_NOTICE = "https://www.pop.culture.gouv.fr/notice/palissy/{ref}"


def voit_securisation(role: str) -> bool:
    return rights.peut(role, Capacite.VOIR_SECURISATION)


class Absent(Exception):
    """The URL names nothing the user may see; the message says which case."""


def _absent(conn: Connection, query: str, **params) -> Absent:
    exists = sql.fetch_scalar(conn, query, **params)
    return Absent("hors_perimetre" if exists else "inconnu")


# --- objet ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FicheObjet:
    objet: dict
    recensements: pd.DataFrame
    suivis: pd.DataFrame

    @property
    def pop_url(self) -> str:
        return POP_NOTICE.format(ref=self.objet["ref"])


def fiche_objet(conn: Connection, scope: Scope, role: str, ref: str) -> FicheObjet:
    """The objet, its recensements and disparition follow-ups; raises Absent."""
    params = {"ref": ref, "voit_securisation": voit_securisation(role), **scope.params()}
    objet = sql.fetch_one(conn, "objet_fiche", **params)
    if objet is None:
        raise _absent(conn, "objet_existe", ref=ref)
    return FicheObjet(objet, sql.fetch_df(conn, "objet_recensements", **params),
                      sql.fetch_df(conn, "objet_suivis", ref=ref, **scope.params()))


def historique(recensements: pd.DataFrame) -> pd.DataFrame:
    """The history table: état and localisation over time."""
    if recensements.empty:
        return pd.DataFrame(columns=["Date", "Localisation", "État (commune)", "État retenu", "Sécurisation retenue",
                                     "Photos", "Examiné"])
    r = recensements
    lieux = pd.Series([lieu(row) for row in r.to_dict("records")], index=r.index, dtype=object)
    return pd.DataFrame({
        "Date": pd.to_datetime(r["recense_le"], utc=True).dt.tz_convert("Europe/Paris").dt.date,
        "Localisation": lieux,
        "État (commune)": r["etat_commune"].map(ETAT_SANITAIRE.libelle),
        "État retenu": r["etat_retenu"].map(ETAT_SANITAIRE.libelle),
        "Sécurisation retenue": r["securisation_retenue"].map(SECURISATION.libelle),
        "Photos": r["nb_photos"],
        "Examiné": r["analyse"].map(OUI_NON),
    })


def lieu(row: dict) -> str:
    label = LOCALISATION.libelle(row["localisation"])
    if row["localisation"] == "deplacement_autre_commune":
        other = row["autre_commune_nom"] or row["autre_commune_code"]
        return f"{label} : {other}" if other else label
    if row["localisation"] == "autre_edifice" and row["edifice_nom"]:
        return f"{label} : {row['edifice_nom']}"
    return label


# --- commune --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FicheCommune:
    commune: dict
    dossiers: pd.DataFrame
    objets: pd.DataFrame
    signales: pd.DataFrame


def fiche_commune(conn: Connection, scope: Scope, role: str, code: str) -> FicheCommune:
    params = {"code": code, **scope.params()}
    commune = sql.fetch_one(conn, "commune_fiche", **params)
    if commune is None:
        raise _absent(conn, "commune_existe", code=code)
    objets = sql.fetch_df(conn, "commune_objets", voit_securisation=voit_securisation(role), **params)
    dossiers = sql.fetch_df(conn, "commune_dossiers", voit_personnelles=rights.peut(
        role, Capacite.VOIR_DONNEES_PERSONNELLES), **params)
    return FicheCommune(commune, dossiers, trier_objets(objets), sql.fetch_df(conn, "commune_objets_signales", **params))


def recensements_du_dossier(conn: Connection, scope: Scope, role: str, dossier_id: int) -> pd.DataFrame:
    """What the commune sent in a dossier of the scope: each recensement with its answers,
    notes and photos (sécurisation only for the roles that may see it); not analysed first."""
    return sql.fetch_df(conn, "commune_dossier_recensements", dossier_id=dossier_id,
                        voit_securisation=voit_securisation(role), **scope.params())


def trier_objets(objets: pd.DataFrame) -> pd.DataFrame:
    """Per édifice: péril, disparu, other préoccupants, the rest; not yet examined first."""
    if objets.empty:
        return objets.assign(rang=pd.Series(dtype=int))
    rang = pd.Series(3, index=objets.index)
    rang[objets["urgence"] == "preoccupant"] = 2
    rang[objets["localisation"] == "absent"] = 1
    rang[objets["etat_sanitaire"] == "peril"] = 0
    out = objets.assign(rang=rang)
    return out.sort_values(["edifice", "rang", "analyse", "titre", "ref"], kind="stable").reset_index(drop=True)


def badges(row) -> str:
    """Badges in words (never colour alone), each with a shape of its own. The shapes are
    plain text characters: a table draws its cells on a canvas, in the system's fonts, and
    where none has colour emoji (the Debian of these machines) 🔴 and 🟠 were empty boxes."""
    out = []
    if row["etat_sanitaire"] == "peril":
        out.append("▲ Péril")
    if row["localisation"] == "absent":
        out.append("● Disparu")
    if row["urgence"] == "preoccupant":
        out.append("◆ Préoccupant")
    if not row["recense"]:
        # Not a task left undone when the objet is outside the recensement (objet_compte).
        out.append("Non recensé" if row["a_recenser"] else "Hors recensement")
    elif row["urgence"] and not row["analyse"]:
        out.append("À examiner")
    elif row["analyse"]:
        out.append("Examiné")
    return " · ".join(out)


def contour(conn: Connection, code: str) -> dict | None:
    row = sql.fetch_one(conn, "commune_contour", code=code)
    if row is None:
        return None
    return {**row, "geojson": json.loads(row["geojson"])}
