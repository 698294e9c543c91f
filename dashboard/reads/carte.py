"""The /carte page's reads (queries/carte.sql): the territories and vocabularies a user may
choose from, the figures by commune of a view, the recensements per month, a commune's
side panel. Every read takes the user's scope; the figures come from the shared views of
migration 0001, scoped and filtered in SQL.

The display geometry is read by dashboard.reads.geometrie; what the page makes of these
frames (classes, layer, charts, downloads) lives in dashboard.app.carte.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Connection

from dashboard.db import sql
from dashboard.domain.identity import Scope

# The counts of each row of figures_communes (integers; the département totals sum them).
FIGURES = ["objets", "recenses", "avec_etat", "bon", "moyen", "mauvais", "peril", "prioritaires", "disparus"]


@dataclass(frozen=True)
class Referentiel:
    """Territories and vocabularies the user may choose from (their scope only)."""
    regions: tuple[tuple[str, str], ...]
    departements: tuple[tuple[str, str, str | None], ...]   # (code, nom, région)
    categories: tuple[str, ...]

    @property
    def nom_region(self) -> dict[str, str]:
        return dict(self.regions)

    @property
    def nom_departement(self) -> dict[str, str]:
        return {code: nom for code, nom, _ in self.departements}

    @property
    def departement_unique(self) -> str | None:
        """The scope's département when it holds only one (a deployment officer's, a
        commune's): then there is nothing to choose, and its map is the one to draw."""
        return self.departements[0][0] if len(self.departements) == 1 else None

    @property
    def region_de(self) -> dict[str, str | None]:
        return {code: region for code, _, region in self.departements}


@dataclass(frozen=True)
class Filtres:
    """What restricts the objets counted (hashable: a cache key)."""
    region: str | None = None
    departement: str | None = None
    protection: str | None = None
    categorie: str | None = None
    siecle: int | None = None
    periode: tuple[int, int] | None = None  # years, inclusive; None: the five-year objective

    def params(self) -> dict:
        debut = date(self.periode[0], 1, 1) if self.periode else None
        fin = date(self.periode[1] + 1, 1, 1) if self.periode else None
        return {"region": self.region, "departement": self.departement, "protection": self.protection,
                "categorie": self.categorie, "siecle": str(self.siecle) if self.siecle else None,
                "debut": debut, "fin": fin}


def referentiel(conn: Connection, scope: Scope) -> Referentiel:
    regions = sql.fetch_df(conn, "carte_regions", **scope.params())
    deps = sql.fetch_df(conn, "carte_departements", **scope.params())
    cats = sql.fetch_df(conn, "carte_categories")
    return Referentiel(
        regions=tuple(zip(regions["code"], regions["nom"])),
        departements=tuple((c, n, r) for c, n, r in zip(deps["code"], deps["nom"], deps["region_code"])),
        categories=tuple(cats["categorie"]),
    )


def departement_de_commune(conn: Connection, scope: Scope, code: str) -> str | None:
    """The département of a commune of the scope; None outside it or for an unknown code."""
    row = sql.fetch_one(conn, "carte_commune_departement", code=code, **scope.params())
    return row["departement_code"] if row else None


def figures_communes(conn: Connection, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """One row per commune holding counted objets that match the filters; the objets
    without a commune give a row with no code (kept for the département totals)."""
    df = sql.fetch_df(conn, "carte_figures_communes", **scope.params(), **filtres.params())
    for col in FIGURES:
        df[col] = df[col].astype("int64")
    df["dossier_transmis"] = df["dossier_transmis"].astype(bool)
    return df


def recensements_par_mois(conn: Connection, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    df = sql.fetch_df(conn, "carte_recensements_par_mois", **scope.params(), **filtres.params())
    df["recensements"] = df["recensements"].astype("int64")
    return df


def commune_fiche(conn: Connection, scope: Scope, code: str) -> dict | None:
    """The side panel's commune: its mairie and its current dossier (None outside the scope)."""
    return sql.fetch_one(conn, "commune_fiche", code=code, **scope.params())
