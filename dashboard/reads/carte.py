"""The /carte page's data: what a view is (from the URL), figures by commune and by
département, their colour classes and legends, the compact geometry, the side panel of a
commune, the charts and the downloads.

Figures come from queries/carte.sql (the shared views of migration 0001, scoped and
filtered in SQL); geometry from the display geometries computed at load (geo.simplify),
encoded by geo.encode. The map itself is built by geo.maps.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
import shapely
from sqlalchemy.engine import Connection

from dashboard.domain.vocabulary import ETAT_SANITAIRE, PROTECTION, STATUT_COMMUNE
from dashboard.db import sql
from dashboard.domain.identity import Scope
from geo import encode, insets

# --- what a view is ----------------------------------------------------------------------

INDICATEURS_DEPARTEMENTS = {
    "couverture": "Part des objets recensés (objectif : tous les 5 ans)",
    "dossiers": "Part des communes ayant transmis un dossier",
    "etat": "Part des objets recensés en péril ou en mauvais état",
    "prioritaires": "Nombre d'objets prioritaires (péril ou disparus)",
}
INDICATEURS_COMMUNES = {
    "statut": "Statut du recensement de la commune",
    "etat": "Pire état sanitaire actuel des objets",
}
MAILLES = {"departements": "Départements", "communes": "Communes"}
PROTECTIONS = {c: PROTECTION.pluriel(c) for c in ("classe", "inscrit")}
SIECLES = list(range(1, 22))
PREMIERE_ANNEE = 2000

# Grid of the coordinates sent to the browser: coarser when more is drawn at once.
QUANTUM = {"france": 1e-3, "region_departements": 5e-4, "departement": 1e-4, "region_communes": 2e-4}


@dataclass(frozen=True)
class Referentiel:
    """Territories and vocabularies the user may choose from (their scope only)."""
    regions: tuple[tuple[str, str], ...]
    departements: tuple[tuple[str, str, str | None], ...]
    categories: tuple[str, ...]

    @property
    def nom_region(self) -> dict[str, str]:
        return dict(self.regions)

    @property
    def nom_departement(self) -> dict[str, str]:
        return {code: nom for code, nom, _ in self.departements}

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


@dataclass(frozen=True)
class Vue:
    region: str | None = None
    departement: str | None = None
    maille: str = "departements"
    indicateur: str = "couverture"
    protection: str | None = None
    categorie: str | None = None
    siecle: int | None = None
    periode: tuple[int, int] | None = None
    commune: str | None = None

    @property
    def niveau(self) -> str:
        if self.departement:
            return "departement"
        return "region" if self.region else "france"

    @property
    def filtres(self) -> Filtres:
        return Filtres(self.region if not self.departement else None, self.departement, self.protection,
                       self.categorie, self.siecle, self.periode)

    @property
    def indicateurs(self) -> dict[str, str]:
        return INDICATEURS_COMMUNES if self.maille == "communes" else INDICATEURS_DEPARTEMENTS


def _normalise(vue: Vue) -> Vue:
    maille = "communes" if vue.departement else (vue.maille if vue.region else "departements")
    indicateurs = INDICATEURS_COMMUNES if maille == "communes" else INDICATEURS_DEPARTEMENTS
    indicateur = vue.indicateur if vue.indicateur in indicateurs else next(iter(indicateurs))
    return replace(vue, maille=maille, indicateur=indicateur,
                   commune=vue.commune if maille == "communes" else None)


def _montre(valeur: str) -> str:
    """A URL value quoted in a message: short, and only harmless characters."""
    return valeur if re.fullmatch(r"[0-9A-Za-z-]{1,12}", valeur) else "(valeur illisible)"


def lire_parametres(params: dict[str, str], ref: Referentiel, commune_departement=None) -> tuple[Vue, list[str]]:
    """The view a URL asks for, and the French messages about what could not be used.

    An unknown or out-of-scope territory (région, département, commune) gives the national
    view; a bad filter is dropped. `commune_departement(code)` returns the département of
    a commune of the scope, or None.
    """
    messages: list[str] = []
    get = lambda key: (params.get(key) or "").strip() or None  # noqa: E731
    region, departement, commune = get("region"), get("departement"), get("commune")
    national = False
    if region and region not in ref.nom_region:
        messages.append(f"Région inconnue ou hors de votre périmètre : {_montre(region)}. Vue nationale affichée.")
        national = True
    if departement and departement not in ref.nom_departement:
        messages.append(f"Département inconnu ou hors de votre périmètre : {_montre(departement)}. "
                        "Vue nationale affichée.")
        national = True
    if commune and not national:
        dep = commune_departement(commune) if (commune_departement and re.fullmatch(r"[0-9][0-9AB][0-9]{3}", commune)) else None
        if dep is None:
            messages.append(f"Commune inconnue ou hors de votre périmètre : {_montre(commune)}. "
                            "Vue nationale affichée.")
            national = True
        elif departement and departement != dep:
            messages.append("La commune demandée n'est pas dans ce département : vue nationale affichée.")
            national = True
        else:
            departement = dep
    if national:
        region = departement = commune = None
    if departement:
        region = ref.region_de.get(departement)

    maille = get("maille") or "departements"
    if maille not in MAILLES:
        messages.append(f"Maille inconnue : {_montre(maille)}. Départements affichés.")
        maille = "departements"
    indicateur = get("indicateur") or ""
    if indicateur and indicateur not in INDICATEURS_DEPARTEMENTS and indicateur not in INDICATEURS_COMMUNES:
        messages.append(f"Indicateur inconnu : {_montre(indicateur)}. Indicateur par défaut affiché.")
    protection = get("protection")
    if protection and protection not in PROTECTIONS:
        messages.append(f"Protection inconnue : {_montre(protection)} (attendu : classe ou inscrit). Filtre ignoré.")
        protection = None
    categorie = get("categorie")
    if categorie and categorie not in ref.categories:
        messages.append("Catégorie inconnue : filtre ignoré.")
        categorie = None
    siecle_txt, siecle = get("siecle"), None
    if siecle_txt:
        if siecle_txt.isdigit() and int(siecle_txt) in SIECLES:
            siecle = int(siecle_txt)
        else:
            messages.append(f"Siècle invalide : {_montre(siecle_txt)} (attendu : un nombre de 1 à 21). Filtre ignoré.")
    periode_txt, periode = get("periode"), None
    if periode_txt:
        found = re.fullmatch(r"(\d{4})-(\d{4})", periode_txt)
        last = date.today().year
        if found and PREMIERE_ANNEE <= int(found[1]) <= int(found[2]) <= last:
            periode = (int(found[1]), int(found[2]))
        else:
            messages.append(f"Période invalide (attendu : AAAA-AAAA entre {PREMIERE_ANNEE} et {last}). "
                            "Objectif des 5 ans affiché.")
    vue = Vue(region=region, departement=departement, maille=maille, indicateur=indicateur,
              protection=protection, categorie=categorie, siecle=siecle, periode=periode, commune=commune)
    return _normalise(vue), messages


def vers_parametres(vue: Vue) -> dict[str, str]:
    """The URL of a view (only what differs from the defaults), so a copied URL reopens it."""
    vue = _normalise(vue)
    out = {}
    if vue.departement:
        out["departement"] = vue.departement
    elif vue.region:
        out["region"] = vue.region
        if vue.maille != "departements":
            out["maille"] = vue.maille
    if vue.indicateur != next(iter(vue.indicateurs)):
        out["indicateur"] = vue.indicateur
    for key in ("protection", "categorie"):
        if getattr(vue, key):
            out[key] = getattr(vue, key)
    if vue.siecle:
        out["siecle"] = str(vue.siecle)
    if vue.periode:
        out["periode"] = f"{vue.periode[0]}-{vue.periode[1]}"
    if vue.commune:
        out["commune"] = vue.commune
    return out


def vue_depuis_choix(region, departement, maille, indicateur, protection, categorie, siecle, periode,
                     commune) -> Vue:
    return _normalise(Vue(region=region, departement=departement, maille=maille or "departements",
                          indicateur=indicateur or "", protection=protection, categorie=categorie,
                          siecle=siecle, periode=tuple(periode) if periode else None, commune=commune))


# --- reads -----------------------------------------------------------------------------

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
    row = sql.fetch_one(conn, "carte_commune_departement", code=code, **scope.params())
    return row["departement_code"] if row else None


FIGURES = ["objets", "recenses", "avec_etat", "bon", "moyen", "mauvais", "peril", "prioritaires", "disparus"]


def figures_communes(conn: Connection, scope: Scope, filtres: Filtres) -> pd.DataFrame:
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
    return sql.fetch_one(conn, "carte_commune_fiche", code=code, **scope.params())


def _pct(num, den) -> pd.Series:
    num = pd.Series(num, dtype="float64")
    den = pd.Series(den, dtype="float64")
    return (num / den.where(den > 0) * 100).round(1)


def figures_departements(communes: pd.DataFrame, ref: Referentiel) -> pd.DataFrame:
    """Département totals from the commune rows (the objets without a commune included)."""
    rows = communes.copy()
    rows["commune_avec_objets"] = rows["code"].notna().astype("int64")
    rows["commune_dossier"] = (rows["code"].notna() & rows["dossier_transmis"]).astype("int64")
    agg = rows.groupby("departement", as_index=False)[FIGURES + ["commune_avec_objets", "commune_dossier"]].sum()
    agg = agg.rename(columns={"departement": "code", "commune_avec_objets": "communes",
                              "commune_dossier": "communes_dossier"})
    deps = pd.DataFrame(list(ref.departements), columns=["code", "nom", "region"])
    out = deps.merge(agg, on="code", how="left")
    for col in FIGURES + ["communes", "communes_dossier"]:
        out[col] = out[col].fillna(0).astype("int64")
    return out


def totaux(figures: pd.DataFrame) -> dict[str, int]:
    return {col: int(figures[col].sum()) for col in FIGURES}


# --- colours and legends (words, never colour alone) ----------------------------------------

SANS_OBJET = {"fillColor": "#ffffff", "fillOpacity": 0.0, "color": "#9a9a9a", "weight": 0.6}
_TRAIT = {"color": "#ffffff", "weight": 0.8, "fillOpacity": 0.85}


@dataclass(frozen=True)
class Legende:
    titre: str
    libelles: tuple[str, ...]
    couleurs: tuple[str, ...]

    def styles(self) -> list[dict]:
        return [{**_TRAIT, "fillColor": c} if c else dict(SANS_OBJET) for c in self.couleurs]


BLEUS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
ROUGES = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
GRIS = "#d0d0d0"
_SEUILS_PART = (5, 10, 20, 40)
_SEUILS_ETAT = (2, 5, 10, 20)
_SEUILS_PRIORITAIRES = (1, 6, 21, 51)   # counts: none, 1-5, 6-20, 21-50, more
ETAT_ORDRE = list(ETAT_SANITAIRE)


def _libelles_parts(seuils) -> list[str]:
    a, b, c, d = seuils
    return [f"moins de {a} %", f"de {a} à {b} %", f"de {b} à {c} %", f"de {c} à {d} %", f"{d} % et plus"]


def classer_departements(deps: pd.DataFrame, indicateur: str) -> tuple[pd.Series, pd.Series, Legende]:
    """(value shown, class index, legend). The last class of each legend is "no figure"."""
    if indicateur == "prioritaires":
        valeur = deps["prioritaires"].astype("float64").where(deps["objets"] > 0)
        bins = (-np.inf, *_SEUILS_PRIORITAIRES, np.inf)
        a, b, c, d = _SEUILS_PRIORITAIRES
        libelles = ["aucun", f"de {a} à {b - 1}", f"de {b} à {c - 1}", f"de {c} à {d - 1}", f"{d} et plus"]
        couleurs = ROUGES
    else:
        if indicateur == "couverture":
            valeur = _pct(deps["recenses"], deps["objets"])
            seuils, couleurs = _SEUILS_PART, BLEUS
        elif indicateur == "dossiers":
            valeur = _pct(deps["communes_dossier"], deps["communes"])
            seuils, couleurs = _SEUILS_PART, BLEUS
        else:
            valeur = _pct(deps["mauvais"] + deps["peril"], deps["avec_etat"])
            seuils, couleurs = _SEUILS_ETAT, ROUGES
        bins = (-np.inf, *seuils, np.inf)
        libelles = _libelles_parts(seuils)
    classe = pd.cut(valeur, bins=bins, labels=False, right=False)
    classe = classe.fillna(len(libelles)).astype("int64")
    legende = Legende(INDICATEURS_DEPARTEMENTS[indicateur], (*libelles, "pas de donnée"), (*couleurs, GRIS))
    return valeur, classe, legende


def pire_etat(communes: pd.DataFrame) -> pd.Series:
    out = pd.Series([None] * len(communes), index=communes.index, dtype="object")
    for etat in ETAT_ORDRE:  # the worst wins: written last
        out[communes[etat] > 0] = etat
    return out


def classer_communes(codes: list[str], figures: pd.DataFrame, indicateur: str) -> tuple[pd.DataFrame, Legende]:
    """One row per commune of the map (with or without objets): its class and figures."""
    rows = pd.DataFrame({"code": codes}).merge(figures[figures["code"].notna()], on="code", how="left")
    for col in FIGURES:
        rows[col] = rows[col].fillna(0).astype("int64")
    avec = rows["objets"] > 0
    if indicateur == "statut":
        ordre = list(STATUT_COMMUNE)
        libelles = [STATUT_COMMUNE.libelle(s) for s in ordre]
        couleurs = [STATUT_COMMUNE.couleur(s) for s in ordre]
        classe = rows["statut"].map({s: i for i, s in enumerate(ordre)})
    else:
        ordre = ETAT_ORDRE
        libelles = [f"pire état : {ETAT_SANITAIRE.libelle(e).lower()}" for e in ordre] + ["aucun état connu"]
        couleurs = [ETAT_SANITAIRE.couleur(e) for e in ordre] + [GRIS]
        classe = pire_etat(rows).map({e: i for i, e in enumerate(ordre)}).fillna(len(ordre))
    sans = len(libelles)
    rows["k"] = np.where(avec, classe.fillna(0), sans).astype("int64")
    legende = Legende(INDICATEURS_COMMUNES[indicateur], (*libelles, "sans objet protégé (selon les filtres)"),
                      (*couleurs, None))
    return rows, legende


# --- geometry ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Geometrie:
    """A layer ready for the browser: features in `codes` order, already serialised."""
    codes: tuple[str, ...]
    noms: tuple[str, ...]
    departements: tuple[str, ...]
    json: str
    quantum: float
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    points: dict = field(default_factory=dict)  # code -> (lat, lng), communes only
    frames: tuple = ()


def geometrie(conn: Connection, scope: Scope, maille: str, region: str | None, departement: str | None) -> Geometrie:
    """Display geometry of the view, compact. National départements put overseas in insets."""
    if maille == "departements":
        df = sql.fetch_df(conn, "carte_geom_departements", region=region, **{"departements": scope.params()["departements"]})
        geoms = shapely.from_wkb([bytes(w) for w in df["wkb"]]) if len(df) else np.array([], dtype=object)
        frames = ()
        if region is None:
            geoms = np.array([insets.place(c, g) for c, g in zip(df["code"], geoms)], dtype=object)
            present = [c for c in df["code"] if c in insets.ORDER]
            frames = tuple(f for c, f in zip(insets.ORDER, insets.frames()) if c in present)
            quantum = QUANTUM["france"]
        else:
            quantum = QUANTUM["region_departements"]
        deps, points = tuple(df["code"]), {}
    else:
        df = sql.fetch_df(conn, "carte_geom_communes", region=None if departement else region,
                          departement=departement, **scope.params())
        geoms = shapely.from_wkb([bytes(w) for w in df["wkb"]]) if len(df) else np.array([], dtype=object)
        quantum = QUANTUM["departement" if departement else "region_communes"]
        deps = tuple(df["departement"])
        points = {c: (round(float(la), 5), round(float(ln), 5))
                  for c, la, ln in zip(df["code"], df["lat"], df["lng"]) if la is not None and ln is not None}
        frames = ()
    features, bounds = encode.encode_layer(geoms, quantum)
    if frames and bounds:
        south, west, north, east = bounds
        for (s, w), (n, e) in frames:
            south, west, north, east = min(south, s), min(west, w), max(north, n), max(east, e)
        bounds = [south, west, north, east]
    return Geometrie(
        codes=tuple(df["code"]), noms=tuple(df["nom"]), departements=deps, json=encode.script_json(features),
        quantum=quantum,
        bounds=((bounds[0], bounds[1]), (bounds[2], bounds[3])) if bounds else None,
        points=points, frames=frames)


# --- what the map, the table and the downloads show -----------------------------------------------

@dataclass
class Couche:
    """The figures of the map's features, their classes and the legend."""
    table: pd.DataFrame       # one row per feature (map order), French column names
    props: dict[str, list]
    tooltip: list
    legende: Legende
    markers: list
    labels: list[str]         # what a tooltip's "l" fields index into


def couche(vue: Vue, geo: Geometrie, communes: pd.DataFrame, ref: Referentiel) -> Couche:
    if vue.maille == "departements":
        deps = figures_departements(communes, ref)
        deps = deps[deps["code"].isin(geo.codes) | (deps["objets"] > 0)]
        if vue.region:
            deps = deps[deps["region"] == vue.region]
        valeur, classe, legende = classer_departements(deps, vue.indicateur)
        deps = deps.assign(valeur=valeur, k=classe)
        by_code = deps.set_index("code")
        ordre = [c for c in geo.codes]
        sub = by_code.reindex(ordre)
        props = {
            "code": list(geo.codes), "nom": list(geo.noms), "k": _ints(sub["k"], len(legende.libelles) - 1),
            "o": _ints(sub["objets"]), "r": _floats(_pct(sub["recenses"], sub["objets"])),
            "d": _floats(_pct(sub["communes_dossier"], sub["communes"])),
            "e": _floats(_pct(sub["mauvais"] + sub["peril"], sub["avec_etat"])),
            "p": _ints(sub["prioritaires"]), "x": _ints(sub["disparus"]),
        }
        periode = "dans la période" if vue.periode else "depuis 5 ans"
        tooltip = [["Classe", "k", "l"], ["Objets", "o", "n"], [f"Recensés {periode}", "r", "p"],
                   ["Communes ayant transmis un dossier", "d", "p"], ["Péril ou mauvais état", "e", "p"],
                   ["Prioritaires", "p", "n"], ["Disparus", "x", "n"]]
        table = pd.DataFrame({
            "Département": deps["code"], "Nom": deps["nom"], "Objets": deps["objets"],
            f"Recensés {periode}": deps["recenses"], "Part recensée (%)": _pct(deps["recenses"], deps["objets"]),
            "Communes concernées": deps["communes"], "Communes ayant transmis un dossier": deps["communes_dossier"],
            "Part des communes (%)": _pct(deps["communes_dossier"], deps["communes"]),
            "Objets à l'état connu": deps["avec_etat"], "Péril": deps["peril"], "Mauvais": deps["mauvais"],
            "Péril ou mauvais (%)": _pct(deps["mauvais"] + deps["peril"], deps["avec_etat"]),
            "Prioritaires": deps["prioritaires"], "Disparus": deps["disparus"],
            "Classe sur la carte": [legende.libelles[k] for k in deps["k"]],
        }).reset_index(drop=True)
        return Couche(table, props, tooltip, legende, [], list(legende.libelles))

    rows, legende = classer_communes(list(geo.codes), communes, vue.indicateur)
    rows["nom"] = list(geo.noms)
    rows["departement"] = list(geo.departements)
    statut = rows["statut"].fillna("non_recense")
    pire = pire_etat(rows)
    etats = [*ETAT_ORDRE, None]
    props = {
        "code": list(geo.codes), "nom": list(geo.noms), "k": _ints(rows["k"]),
        "o": _ints(rows["objets"]), "r": _ints(rows["recenses"]),
        "s": [STATUT_COMMUNE.index(s) for s in statut],
        "w": [etats.index(e) if e in etats else 4 for e in pire],
        "x": _ints(rows["disparus"]), "p": _ints(rows["prioritaires"]),
    }
    periode = "dans la période" if vue.periode else "depuis 5 ans"
    labels = list(legende.libelles)
    n = len(labels)
    # Tooltip labels: legend classes, then statuses, then worst états, by offset.
    statut_labels = list(STATUT_COMMUNE.libelles.values())
    etat_labels = [ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE] + ["aucun"]
    props["s"] = [n + i for i in props["s"]]
    props["w"] = [n + len(statut_labels) + i for i in props["w"]]
    tooltip = [["Objets", "o", "n"], [f"Recensés {periode}", "r", "n"], ["Statut", "s", "l"],
               ["Pire état actuel", "w", "l"], ["Objets disparus", "x", "n"], ["Prioritaires", "p", "n"]]
    markers = [[*geo.points[c], int(x), c, nom] for c, nom, x in zip(geo.codes, geo.noms, rows["disparus"])
               if x > 0 and c in geo.points]
    avec = rows[rows["objets"] > 0]
    table = pd.DataFrame({
        "Code INSEE": avec["code"], "Commune": avec["nom"], "Département": avec["departement"],
        "Objets": avec["objets"], f"Recensés {periode}": avec["recenses"],
        "Part recensée (%)": _pct(avec["recenses"], avec["objets"]),
        "Statut": [STATUT_COMMUNE.libelle(s, s) for s in avec["statut"].fillna("non_recense")],
        "Pire état actuel": [ETAT_SANITAIRE.libelle(e) for e in pire_etat(avec)],
        "Péril": avec["peril"], "Mauvais": avec["mauvais"], "Disparus": avec["disparus"],
        "Prioritaires": avec["prioritaires"],
    }).reset_index(drop=True)
    return Couche(table, props, tooltip, legende, markers, labels + statut_labels + etat_labels)


def _ints(series, fill: int = 0) -> list[int]:
    return [int(v) for v in pd.Series(series).fillna(fill)]


def _floats(series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in pd.Series(series)]


# --- charts -----------------------------------------------------------------------------

def graphique_etats(t: dict[str, int]):
    import plotly.graph_objects as go

    inconnus = max(t["objets"] - t["avec_etat"] - t["disparus"], 0)
    libelles = [*(ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE), "Disparus", "Non recensés ou état inconnu"]
    valeurs = [t["bon"], t["moyen"], t["mauvais"], t["peril"], t["disparus"], inconnus]
    couleurs = [*(ETAT_SANITAIRE.couleur(e) for e in ETAT_ORDRE), "#161616", GRIS]
    fig = go.Figure(go.Bar(x=valeurs, y=libelles, orientation="h", marker_color=couleurs,
                           text=[f"{v:,}".replace(",", "\u202f") for v in valeurs], textposition="auto",
                           hovertemplate="%{y} : %{x}<extra></extra>"))
    fig.update_layout(template="none", title="État sanitaire actuel des objets", height=300,
                      margin=dict(l=10, r=10, t=40, b=30), yaxis=dict(autorange="reversed", automargin=True))
    return fig


def graphique_recensements(mois: pd.DataFrame):
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=pd.to_datetime(mois["mois"]), y=mois["recensements"], marker_color="#000091",
                           hovertemplate="%{x|%m/%Y} : %{y} recensements<extra></extra>"))
    fig.update_layout(template="none", title="Recensements par mois", height=300,
                      margin=dict(l=40, r=10, t=40, b=30), xaxis=dict(type="date"))
    return fig


# --- downloads ----------------------------------------------------------------------------

def csv_bytes(table: pd.DataFrame) -> bytes:
    # Semicolons and a BOM: what a French spreadsheet opens without asking.
    return table.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def geojson_bytes(geo: Geometrie, c: Couche) -> bytes:
    """The view's features with their figures (coordinates as sent to the map)."""
    features = []
    polys = json.loads(geo.json)
    rows = {str(r[0]): r for r in c.table.itertuples(index=False)}
    columns = list(c.table.columns)
    for i, parts in enumerate(polys):
        if not parts:
            continue
        code = geo.codes[i]
        props = {"code": code, "nom": geo.noms[i], "classe": c.legende.libelles[c.props["k"][i]]}
        if code in rows:
            props.update({col: _plain(v) for col, v in zip(columns, rows[code])})
        coords = [[_closed(encode.decode_ring(r, geo.quantum)) for r in poly] for poly in parts]
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    buf = io.StringIO()
    json.dump({"type": "FeatureCollection", "features": features}, buf, ensure_ascii=False)
    return buf.getvalue().encode("utf-8")


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if pd.isna(value) else float(value)
    return value


def _closed(points):
    return [list(p) for p in points] + [list(points[0])]


# --- the map --------------------------------------------------------------------------------

def construire_carte(geo: Geometrie, c: Couche):
    """The folium map of a view. Same inputs, same map: Streamlit does not send it again."""
    from dashboard import settings
    from geo.maps import CompactLayer, base_map

    fmap = base_map(tiles_url=settings.tiles_url())
    CompactLayer(None, geo.quantum, c.props, c.legende.styles(), c.tooltip, labels=c.labels,
                 markers=c.markers, frames=[[list(a), list(b)] for a, b in geo.frames],
                 geometry_json=geo.json).add_to(fmap)
    if geo.bounds:
        fmap.fit_bounds([list(geo.bounds[0]), list(geo.bounds[1])])
    return fmap


def code_clique(valeur) -> str | None:
    """The code of the feature clicked on the map (st_folium's last_active_drawing)."""
    if not isinstance(valeur, dict):
        return None
    dessin = valeur.get("last_active_drawing") or {}
    code = (dessin.get("properties") or {}).get("code") if isinstance(dessin, dict) else None
    return code if isinstance(code, str) and re.fullmatch(r"[0-9][0-9AB][0-9]{0,3}", code) else None


def legende_markdown(legende: Legende, disparus: bool) -> str:
    """The legend in words, each with its colour swatch (constant text: no user input)."""
    lignes = [f"**{legende.titre}**"]
    for libelle, couleur in zip(legende.libelles, legende.couleurs):
        fond = couleur or "#ffffff"
        bord = "#9a9a9a" if couleur is None else "#666666"
        lignes.append(f'<span style="display:inline-block;width:1em;height:1em;background:{fond};'
                      f'border:1px solid {bord};vertical-align:middle"></span> {libelle}')
    if disparus:
        lignes.append('<span style="display:inline-block;width:0.8em;height:0.8em;border-radius:50%;'
                      'background:#161616;border:2px solid #fff;outline:1px solid #161616;vertical-align:middle">'
                      '</span> commune avec au moins un objet disparu (point noir)')
    return "  \n".join(lignes)


# --- the side panel ------------------------------------------------------------------------

def annee_courante() -> int:
    return date.today().year


def ligne_commune(figures: pd.DataFrame, code: str) -> dict[str, int]:
    """The commune's figures in the view (zeros when it holds no objet matching the filters)."""
    row = figures[figures["code"] == code]
    return {col: int(row[col].iloc[0]) if len(row) else 0 for col in FIGURES}


def objets_par_etat(ligne: dict[str, int]) -> pd.DataFrame:
    inconnus = max(ligne["objets"] - ligne["avec_etat"] - ligne["disparus"], 0)
    return pd.DataFrame({
        "État sanitaire actuel": [ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE]
        + ["Disparus", "Non recensés ou état inconnu", "Total"],
        "Objets": [ligne[e] for e in ETAT_ORDRE] + [ligne["disparus"], inconnus, ligne["objets"]],
    })


def nouveau_clic(valeur, vue: Vue, dernier) -> tuple[str, str] | None:
    """(map identity, code) of a click not handled yet. st_folium keeps returning the last
    clicked feature; a new map (another view) starts afresh."""
    code = code_clique(valeur)
    if not code:
        return None
    carte_id = str(sorted(vers_parametres(replace(vue, commune=None)).items()))
    clic = (carte_id, code)
    return None if tuple(dernier or ()) == clic else clic
