"""Urgent cases (/urgences): who may see them, the rows of a scope, filters, the table shown
and its CSV/XLSX export, and the user's previous visit.

Rows come from recensement_courant and niveau_urgence() (migration 0001), read by
queries/urgences.sql. Lists of objets easy to steal are sensitive (domain.md): only the
roles that may see sécurisation (dashboard.domain.rights) receive the sécurisation answer
from the database; for the others the query judges each case as if sécurisation were
unknown, so a case listed only because it is "en danger" never leaves the database.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.domain import rights
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import DIT_PAR, ETAT_SANITAIRE, OUI_NON, PROTECTION, SECURISATION, URGENCE
from dashboard.db import sql
from dashboard.domain.identity import Scope

NIVEAUX = URGENCE.codes

COLONNES = ["Niveau", "Objet", "REF", "Catégorie", "Protection", "Commune", "Département", "Constat",
            "Recensé le", "Transmis le", "Dit par", "Examiné", "Nouveau"]
LIEN = "Fiche"
_TRANSMIS = "_transmis_le"


class AccesRefuse(Exception):
    """The user's role may not see this list."""


def cas_urgents(conn: Connection, scope: Scope, role: str) -> pd.DataFrame:
    """Every urgent case of the scope, prioritaires first, newest first within a level."""
    if not rights.peut(role, Capacite.VOIR_URGENCES):
        raise AccesRefuse("La liste des cas urgents est réservée aux conservateurs, administrateurs et DRAC.")
    return sql.fetch_df(conn, "urgences", voit_securisation=rights.peut(role, Capacite.VOIR_SECURISATION),
                        **scope.params())


def normaliser(conn: Connection, texte: str) -> str:
    """Lower case, no accents: the database's normalise_texte(), the one used on commune names."""
    return sql.fetch_scalar(conn, "normalise", texte=texte) or ""


@dataclass(frozen=True)
class Filtres:
    departements: tuple[str, ...] = ()
    commune: str = ""                   # normalised with normaliser()
    niveaux: tuple[str, ...] = ()
    protections: tuple[str, ...] = ()
    categorie: str | None = None
    examine: bool | None = None
    nouveaux: bool = False


def nouveaux(cas: pd.DataFrame, depuis: datetime | None) -> pd.Series:
    """Cases whose dossier was transmitted after the previous visit (none on a first visit)."""
    if depuis is None or cas.empty:
        return pd.Series(False, index=cas.index)
    return pd.to_datetime(cas["transmis_le"], utc=True) > pd.Timestamp(depuis).tz_convert("UTC")


def filtrer(cas: pd.DataFrame, filtres: Filtres, depuis: datetime | None = None) -> pd.DataFrame:
    keep = pd.Series(True, index=cas.index)
    if filtres.departements:
        keep &= cas["departement_code"].isin(filtres.departements)
    if filtres.commune:
        keep &= cas["commune_norm"].fillna("").str.contains(filtres.commune, regex=False)
    if filtres.niveaux:
        keep &= cas["niveau"].isin(filtres.niveaux)
    if filtres.protections:
        keep &= cas["protection"].isin(filtres.protections)
    if filtres.categorie:
        keep &= cas["categorie"].map(lambda cats: filtres.categorie in (cats or ()))
    if filtres.examine is not None:
        keep &= cas["analyse"] == filtres.examine
    if filtres.nouveaux:
        keep &= nouveaux(cas, depuis)
    return cas[keep]


def _constat(row) -> str:
    parts = []
    if row["localisation"] == "absent":
        parts.append("Introuvable (disparu)")
    if row["etat_sanitaire"] in ("peril", "mauvais"):
        parts.append(f"État : {ETAT_SANITAIRE.libelle(row['etat_sanitaire']).lower()}")
    if row["securisation"] == "en_danger":
        parts.append(SECURISATION.libelle("en_danger"))
    return " · ".join(parts)


def tableau(cas: pd.DataFrame, filtres: Filtres = Filtres(), depuis: datetime | None = None) -> pd.DataFrame:
    """The table the page shows (French column names, in order), plus the link column."""
    rows = filtrer(cas, filtres, depuis)
    neuf = nouveaux(rows, depuis)
    table = pd.DataFrame({
        "Niveau": rows["niveau"].map(URGENCE.libelles),
        "Objet": rows["titre"].fillna(""),
        "REF": rows["ref"],
        "Catégorie": rows["categorie"].map(lambda cats: ", ".join(cats or ())),
        "Protection": rows["protection"].map(PROTECTION.libelles).fillna("Inconnue"),
        "Commune": rows["commune_nom"].fillna("") + " (" + rows["commune_code"].fillna("?") + ")",
        "Département": rows["departement_code"].fillna("") + " " + rows["departement_nom"].fillna(""),
        "Constat": rows.apply(_constat, axis=1) if len(rows) else pd.Series(dtype=object),
        "Recensé le": pd.to_datetime(rows["recense_le"], utc=True).dt.tz_convert("Europe/Paris").dt.date,
        "Transmis le": pd.to_datetime(rows["transmis_le"], utc=True).dt.tz_convert("Europe/Paris").dt.date,
        "Dit par": rows["corrige"].map(DIT_PAR),
        "Examiné": rows["analyse"].map(OUI_NON),
        "Nouveau": neuf.map({True: "Nouveau", False: ""}),
        # Relative to the current page, so it also works under a URL prefix.
        LIEN: "objet?ref=" + rows["ref"],
    }, columns=COLONNES + [LIEN])
    return table.reset_index(drop=True)


def table_affichee(conn: Connection, scope: Scope, role: str, filtres: Filtres) -> pd.DataFrame:
    """cas_urgents() then tableau() without the user's previous visit: one cached read per
    filter state (ui.read), shared by every session; marquer_nouveaux() then adds the
    per-user column cheaply."""
    cas = filtrer(cas_urgents(conn, scope, role), replace(filtres, nouveaux=False))
    table = tableau(cas)
    table[_TRANSMIS] = pd.to_datetime(cas["transmis_le"], utc=True).to_numpy()
    return table


def marquer_nouveaux(table: pd.DataFrame, depuis: datetime | None, seulement: bool = False) -> pd.DataFrame:
    """The table shown: 'Nouveau' for cases transmitted since the previous visit."""
    neuf = (table[_TRANSMIS] > pd.Timestamp(depuis).tz_convert("UTC")) if depuis is not None and len(table) else \
        pd.Series(False, index=table.index)
    out = table.drop(columns=[_TRANSMIS])
    out["Nouveau"] = neuf.map({True: "Nouveau", False: ""})
    if seulement:
        out = out[neuf.to_numpy()]
    return out.reset_index(drop=True)


def choix_filtres(conn: Connection, scope: Scope, role: str) -> dict[str, list]:
    return options(cas_urgents(conn, scope, role))


def comptes(table: pd.DataFrame) -> dict[str, int]:
    counts = table["Niveau"].value_counts()
    out = {n: int(counts.get(URGENCE.libelle(n), 0)) for n in NIVEAUX}
    out["nouveaux"] = int((table["Nouveau"] != "").sum())
    return out


def options(cas: pd.DataFrame) -> dict[str, list]:
    """Values the filters offer: what the scope holds."""
    deps = (cas[["departement_code", "departement_nom"]].drop_duplicates().dropna(subset=["departement_code"])
            .sort_values("departement_code"))
    categories = sorted({c for cats in cas["categorie"] for c in (cats or ())})
    protections = [p for p in PROTECTION if p in set(cas["protection"])]
    return {
        "departements": [(r.departement_code, f"{r.departement_code} {r.departement_nom or ''}".strip())
                         for r in deps.itertuples()],
        "categories": categories,
        "protections": protections,
    }


# --- export: exactly the table shown, without the link column ---------------------------

def export_table(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=[LIEN], errors="ignore")


def export_csv(table: pd.DataFrame) -> bytes:
    # UTF-8 with BOM and ";" so that a spreadsheet in French opens it as columns.
    return export_table(table).to_csv(index=False, sep=";").encode("utf-8-sig")


def export_xlsx(table: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        export_table(table).to_excel(writer, index=False, sheet_name="Cas urgents")
        sheet = writer.sheets["Cas urgents"]
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEFGHIJKLM", (12, 40, 13, 20, 12, 28, 22, 30, 12, 12, 24, 9, 9)):
            sheet.column_dimensions[column].width = width
    return out.getvalue()


# --- the previous visit -----------------------------------------------------------------

def enregistrer_visite(conn: Connection, user_id: int, page: str) -> datetime | None:
    """Record a visit now; returns the previous one (None the first time)."""
    from dashboard.writes import examen

    examen.en_tant_que(conn, user_id)
    return sql.fetch_one(conn, "visite_enregistrer", user_id=user_id, page=page)["precedente"]


def visite_precedente(user_id: int, page: str = "urgences") -> datetime | None:
    """The visit before this session's, recorded once per session (Streamlit glue)."""
    import streamlit as st

    from dashboard import db

    key = f"_visite_precedente_{page}_{user_id}"
    if key not in st.session_state:
        try:
            with db.connect() as conn:
                st.session_state[key] = enregistrer_visite(conn, user_id, page)
        except db.DatabaseError:
            return None
    return st.session_state[key]
