"""Urgent cases (/urgences, and the weekly digest of dashboard.ops.alertes): who may see
them, the cases of a scope that match the page's filters, what the filters offer, the table
shown and its CSV/XLSX export.

Rows come from recensement_courant and niveau_urgence() (migration 0001), read by
queries/urgences.sql, which also applies the filters (bound parameters, NULL = no filter):
one query per view, shared by every session; what is new since each user's previous visit
(dashboard.domain.nouveaute) is marked on it afterwards. Lists of objets easy to
steal are sensitive (domain.md): only the roles that may see sécurisation
(dashboard.domain.rights) receive the sécurisation answer from the database; for the others
the query judges each case as if sécurisation were unknown, so a case listed only because
it is "en danger" never leaves the database.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain import etat, formats, nouveaute, rights, tableur
from dashboard.domain.identity import Scope
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import CONSTAT, DIT_PAR, OUI_NON, PROTECTION, URGENCE

NIVEAUX = URGENCE.codes
CONSTATS = CONSTAT.codes

COLONNES = ["Niveau", "Objet", "REF", "Catégorie", "Protection", "Commune", "Département", "Constat",
            "Recensé le", "Transmis le", "Dit par", "Examiné", "Nouveau"]
LIEN = "Fiche"
NOUVEAU = "Nouveau"
_TRANSMIS = "_transmis"


class AccesRefuse(Exception):
    """The user's role may not see this list."""


@dataclass(frozen=True)
class Filtres:
    """What the user picked on /urgences (hashable: part of a cache key). An empty choice
    is no filter."""
    departements: tuple[str, ...] = ()
    commune: str | None = None          # an INSEE code (chosen with the app's commune search)
    niveaux: tuple[str, ...] = ()
    constats: tuple[str, ...] = ()      # CONSTATS: disparu, peril, mauvais, en_danger
    protections: tuple[str, ...] = ()
    categorie: str | None = None
    examine: bool | None = None         # None: examined or not
    nouveaux: bool = False              # only the cases new since `depuis` (not part of the read)

    def params(self) -> dict:
        """The bound parameters of the urgences statement (NULL: no filter)."""
        return {
            "filtre_departements": list(self.departements) or None,
            # Bound (never SQL); PostgreSQL text holds no NUL: a NUL alone is no filter.
            "filtre_commune": (self.commune or "").replace("\x00", "").strip() or None,
            "niveaux": list(self.niveaux) or None,
            "constats": list(self.constats) or None,
            "protections": list(self.protections) or None,
            "categorie": (self.categorie or "").replace("\x00", "") or None,
            "examine": self.examine,
        }


def _verifier(role: str) -> bool:
    """Raise unless the role may see the list; returns whether it may see sécurisation."""
    if not rights.peut(role, Capacite.VOIR_URGENCES):
        raise AccesRefuse("La liste des cas urgents est réservée aux conservateurs, administrateurs et DRAC.")
    return rights.peut(role, Capacite.VOIR_SECURISATION)


def cas_urgents(conn: Connection, scope: Scope, role: str, filtres: Filtres = Filtres(),
                depuis: datetime | None = None, jusqu_a: datetime | None = None) -> pd.DataFrame:
    """The urgent cases of the scope that match the filters, prioritaires first, newest first
    within a level. Column `nouveau`: the dossier was transmitted after `depuis` (and not
    after `jusqu_a` when given); never when `depuis` is None (a first visit)."""
    voit_securisation = _verifier(role)
    cas = sql.fetch_df(conn, "urgences", voit_securisation=voit_securisation, **scope.params(), **filtres.params())
    cas = cas.assign(nouveau=nouveaute.nouveau(cas["transmis_le"], depuis, jusqu_a))
    return cas[cas["nouveau"]].reset_index(drop=True) if filtres.nouveaux else cas


def table_partagee(conn: Connection, scope: Scope, role: str, filtres: Filtres) -> pd.DataFrame:
    """The table of a view before anything is marked new: the same for every session (one
    cached read), with the hidden instant of transmission that marquer() reads."""
    cas = cas_urgents(conn, scope, role, replace(filtres, nouveaux=False))
    return tableau(cas).assign(**{_TRANSMIS: pd.to_datetime(cas["transmis_le"], utc=True).to_numpy()})


def marquer(table: pd.DataFrame, depuis: datetime | None, seulement: bool = False) -> pd.DataFrame:
    """The table a user sees: "Nouveau" where the case is new since their previous visit;
    only those when `seulement`."""
    neuf = nouveaute.nouveau(table[_TRANSMIS], depuis).to_numpy()
    out = table.drop(columns=[_TRANSMIS]).assign(Nouveau=np.where(neuf, NOUVEAU, ""))
    return out[neuf].reset_index(drop=True) if seulement else out


def table(conn: Connection, scope: Scope, role: str, filtres: Filtres, depuis: datetime | None) -> pd.DataFrame:
    """The table of one view for a user whose previous visit was `depuis`."""
    return marquer(table_partagee(conn, scope, role, filtres), depuis, filtres.nouveaux)


# --- what the filters offer -------------------------------------------------------------

def choix_filtres(conn: Connection, scope: Scope, role: str) -> dict[str, list]:
    """Values the filters offer: the départements, catégories and protections of the scope's
    urgent cases, from a small aggregate query."""
    voit_securisation = _verifier(role)
    return options(sql.fetch_df(conn, "urgences_options", voit_securisation=voit_securisation, **scope.params()))


def options(rows: pd.DataFrame) -> dict[str, list]:
    """The filters' choices from the rows (quoi, code, nom) of urgences_options: départements
    by code with their label, catégories sorted, protections in the vocabulary's order."""
    def of(quoi: str) -> pd.DataFrame:
        return rows[rows["quoi"] == quoi] if len(rows) else pd.DataFrame(columns=["quoi", "code", "nom"])

    deps = of("departement").sort_values("code")
    present = set(of("protection")["code"])
    return {
        "departements": [(code, f"{code} {nom if isinstance(nom, str) else ''}".strip())
                         for code, nom in zip(deps["code"], deps["nom"])],
        "categories": sorted(of("categorie")["code"]),
        "protections": [p for p in PROTECTION if p in present],
    }


# --- the table shown --------------------------------------------------------------------

_ETATS_CONSTAT = {code: CONSTAT.libelle(code) for code in etat.MAUVAIS_OU_PERIL}


def constat(cas: pd.DataFrame) -> pd.Series:
    """What makes each case urgent, in words (dashboard.domain.vocabulary.CONSTAT): disparu,
    état mauvais or péril, easy to steal (column by column: a France-wide list has thousands
    of rows)."""
    disparu = (cas["localisation"] == "absent").map({True: CONSTAT.libelle("disparu"), False: ""})
    etat_ = cas["etat_sanitaire"].map(_ETATS_CONSTAT).fillna("")
    danger = (cas["securisation"] == "en_danger").map({True: CONSTAT.libelle("en_danger"), False: ""})
    parts = zip(disparu.tolist(), etat_.tolist(), danger.tolist())
    return pd.Series([" · ".join(part for part in row if part) for row in parts], index=cas.index, dtype=object)


def _date_locale(values: pd.Series) -> pd.Series:
    """The day in France of each instant (never the UTC day; no time zone shown)."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(formats.FUSEAU).dt.date


def tableau(cas: pd.DataFrame) -> pd.DataFrame:
    """The table the page shows (French column names, in order), plus the link column, from
    the rows of cas_urgents() (already filtered and sorted by the database)."""
    table = pd.DataFrame({
        "Niveau": cas["niveau"].map(URGENCE.libelles),
        "Objet": cas["titre"].fillna(""),
        "REF": cas["ref"],
        "Catégorie": cas["categorie"].map(lambda cats: ", ".join(cats or ())),
        "Protection": cas["protection"].map(PROTECTION.libelles).fillna("Inconnue"),
        "Commune": cas["commune_nom"].fillna("") + " (" + cas["commune_code"].fillna("?") + ")",
        "Département": cas["departement_code"].fillna("") + " " + cas["departement_nom"].fillna(""),
        "Constat": constat(cas),
        "Recensé le": _date_locale(cas["recense_le"]),
        "Transmis le": _date_locale(cas["transmis_le"]),
        "Dit par": cas["corrige"].map(DIT_PAR),
        "Examiné": cas["analyse"].map(OUI_NON),
        "Nouveau": cas["nouveau"].map({True: NOUVEAU, False: ""}),
        # Relative to the current page, so it also works under a URL prefix.
        LIEN: "objet?ref=" + cas["ref"],
    }, columns=COLONNES + [LIEN])
    return table.reset_index(drop=True)


def comptes(table: pd.DataFrame) -> dict[str, int]:
    counts = table["Niveau"].value_counts()
    out = {n: int(counts.get(URGENCE.libelle(n), 0)) for n in NIVEAUX}
    out["nouveaux"] = int((table["Nouveau"] == NOUVEAU).sum())
    return out


# --- export: exactly the table shown, without the link column ---------------------------

def export_table(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=[LIEN], errors="ignore")


_LARGEURS = (12, 40, 13, 20, 12, 28, 22, 30, 12, 12, 24, 9, 9)  # XLSX columns, in the order of COLONNES


def export_csv(table: pd.DataFrame) -> bytes:
    """For a French spreadsheet, cells safe to open (dashboard.domain.tableur)."""
    return tableur.csv_bytes(export_table(table))


def export_xlsx(table: pd.DataFrame) -> bytes:
    return tableur.xlsx_bytes(export_table(table), "Cas urgents", _LARGEURS)


def export_csv_vue(conn: Connection, scope: Scope, role: str, filtres: Filtres, depuis: datetime | None) -> bytes:
    """export_csv of a user's view, read now (a download's data, built at the click)."""
    return export_csv(table(conn, scope, role, filtres, depuis))


def export_xlsx_vue(conn: Connection, scope: Scope, role: str, filtres: Filtres, depuis: datetime | None) -> bytes:
    return export_xlsx(table(conn, scope, role, filtres, depuis))
