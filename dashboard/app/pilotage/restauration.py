"""The tables of /restauration: by département and by catégorie, the objets in mauvais état
or péril (classés and inscrits apart) and their share of the objets recensés with a known
état, and the évolution since the previous recensement (dégradés, améliorés); then the
objets behind every figure, for one measure and one row.

"Mauvais ou péril" and its share are dashboard.domain.etat's rules; the évolution is the
view objet_evolution's. An objet with several catégories counts in each catégorie row, once
in the total (the total row is the départements' total).

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.app.pilotage.tableaux import CODE, NOM, TOTAL, Tableau, avec_total, lignes_departements
from dashboard.domain import etat
from dashboard.domain.vocabulary import ETAT_SANITAIRE, EVOLUTION_ETAT, PROTECTION
from dashboard.reads.carte import Referentiel
from dashboard.reads.pilotage import Restauration

A_PART = ("classe", "inscrit")          # the protections shown apart
PAR_PROTECTION = ["avec_etat", "mauvais", "peril"]
COMPTES = ["avec_etat", "bon", "moyen", "mauvais", "peril", "degrade", "ameliore"] + [
    f"{c}_{p}" for p in A_PART for c in PAR_PROTECTION]

CATEGORIE = "Catégorie"
SANS_CATEGORIE = "Sans catégorie"
AVEC_ETAT = "Recensés à l'état connu"
MAUVAIS_OU_PERIL = "Mauvais ou péril"
PART = "Part mauvais ou péril"
MAUVAIS, PERIL = (ETAT_SANITAIRE.libelle(e) for e in etat.MAUVAIS_OU_PERIL)
DEGRADES, AMELIORES = (f"{EVOLUTION_ETAT.libelle(e)}s" for e in EVOLUTION_ETAT)


def colonnes_protection(protection: str) -> tuple[str, str, str]:
    """(recensés à l'état connu, mauvais ou péril, share) of a protection shown apart."""
    nom = PROTECTION.pluriel(protection)
    return f"{nom} : état connu", f"{nom} : mauvais ou péril", f"{nom} : part mauvais ou péril"


def _par_protection(long: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per `key` (NULL kept): the counts of every protection, and those of the
    protections shown apart under their own columns."""
    if long.empty:
        return pd.DataFrame(columns=[key, *COMPTES])
    base = ["avec_etat", "bon", "moyen", "mauvais", "peril", "degrade", "ameliore"]
    out = long.groupby(key, dropna=False)[base].sum()
    for protection in A_PART:
        sub = long[long["protection"] == protection].groupby(key, dropna=False)[PAR_PROTECTION].sum()
        out = out.join(sub.add_suffix(f"_{protection}"), how="left")
    return out.reindex(columns=COMPTES).fillna(0).astype("int64").reset_index()


def _colonnes(lignes: pd.DataFrame) -> dict:
    out = {AVEC_ETAT: lignes["avec_etat"], MAUVAIS: lignes["mauvais"], PERIL: lignes["peril"],
           MAUVAIS_OU_PERIL: etat.nombre_mauvais_ou_peril(lignes),
           PART: etat.part_mauvais_ou_peril(lignes.astype({e: "float64" for e in etat.MAUVAIS_OU_PERIL}),
                                            lignes["avec_etat"])}
    for protection in A_PART:
        connu, nombre, part = colonnes_protection(protection)
        sub = pd.DataFrame({c: lignes[f"{c}_{protection}"] for c in PAR_PROTECTION})
        out |= {connu: sub["avec_etat"], nombre: etat.nombre_mauvais_ou_peril(sub),
                part: etat.part_mauvais_ou_peril(sub.astype("float64"), sub["avec_etat"])}
    out |= {DEGRADES: lignes["degrade"], AMELIORES: lignes["ameliore"]}
    return out


def _parts() -> tuple[str, ...]:
    return (PART, *(colonnes_protection(p)[2] for p in A_PART))


@dataclass(frozen=True)
class PageRestauration:
    departements: Tableau
    categories: Tableau
    totaux: dict[str, float]    # the total row of the département table, by column

    @property
    def tableaux(self) -> list[Tableau]:
        return [self.departements, self.categories]


def page(ref: Referentiel, codes: list[str], r: Restauration) -> PageRestauration:
    deps = _par_protection(r.par("departement", "code"), "code")
    lignes = avec_total(lignes_departements(ref, codes, deps, COMPTES), COMPTES)
    departements = Tableau("restauration-departements", "Par département",
                           pd.DataFrame({CODE: lignes["code"], NOM: lignes["nom"], **_colonnes(lignes)}),
                           parts=_parts())

    cats = _par_protection(r.par("categorie", "categorie"), "categorie")
    cats["cle"] = cats["categorie"].isna()
    cats = cats.sort_values(["cle", "categorie"], kind="stable").drop(columns="cle")
    total = lignes.iloc[[-1]][COMPTES]   # objets once in the total, whatever their catégories
    cat_lignes = pd.concat([cats, total.assign(categorie=TOTAL)], ignore_index=True)
    noms = [SANS_CATEGORIE if not isinstance(c, str) else c for c in cat_lignes["categorie"]]
    categories = Tableau("restauration-categories", "Par catégorie",
                         pd.DataFrame({CATEGORIE: noms, **_colonnes(cat_lignes)}), parts=_parts())
    totaux = departements.donnees.iloc[-1].to_dict()
    return PageRestauration(departements, categories, totaux)


# --- the objets behind a figure ---------------------------------------------------------

MESURE_DEFAUT = "mauvais_ou_peril"
MESURES = {MESURE_DEFAUT: "En mauvais état ou en péril",
           **{e: f"État actuel : {ETAT_SANITAIRE.libelle(e).lower()}" for e in etat.MAUVAIS_OU_PERIL},
           **{e: f"État {EVOLUTION_ETAT.libelle(e).lower()} depuis le recensement précédent"
              for e in EVOLUTION_ETAT}}

LIEN = "Fiche"


@dataclass(frozen=True)
class Selection:
    """Which objets to list: a measure (MESURES), and optionally a protection, a département
    and a catégorie (SANS_CATEGORIE for the objets without one). Hashable."""
    mesure: str = MESURE_DEFAUT
    protection: str | None = None
    departement: str | None = None
    categorie: str | None = None

    @property
    def par_defaut(self) -> bool:
        return self == Selection()


def objets_de(objets: pd.DataFrame, s: Selection) -> pd.DataFrame:
    """The rows of restauration_objets behind one figure."""
    if s.mesure == MESURE_DEFAUT:
        garde = objets["etat_sanitaire"].isin(etat.MAUVAIS_OU_PERIL)
    elif s.mesure in EVOLUTION_ETAT:
        garde = objets["evolution"] == s.mesure
    else:
        garde = objets["etat_sanitaire"] == s.mesure
    if s.protection:
        garde &= objets["protection"] == s.protection
    if s.departement:
        garde &= objets["departement_code"] == s.departement
    if s.categorie == SANS_CATEGORIE:
        garde &= objets["categorie"].map(lambda cats: not cats)
    elif s.categorie:
        garde &= objets["categorie"].map(lambda cats: s.categorie in (cats or ()))
    return objets[garde]


def _date_locale(values: pd.Series) -> list:
    dates = pd.to_datetime(values, utc=True).dt.tz_convert("Europe/Paris").dt.date
    return [None if pd.isna(d) else d for d in dates]


def tableau_objets(objets: pd.DataFrame) -> Tableau:
    """The list of objets as shown and exported (the page adds the link to each fiche)."""
    frame = pd.DataFrame({
        "Objet": objets["titre"].fillna(""), "REF": objets["ref"],
        "Catégories": objets["categorie"].map(lambda cats: ", ".join(cats or ()) or SANS_CATEGORIE),
        "Protection": objets["protection"].map(PROTECTION.libelles).fillna("Inconnue"),
        "Commune": objets["commune_nom"].fillna("") + " (" + objets["commune_code"].fillna("?") + ")",
        "Département": objets["departement_code"].fillna("") + " " + objets["departement_nom"].fillna(""),
        "État actuel": objets["etat_sanitaire"].map(ETAT_SANITAIRE.libelle),
        "Recensé le": _date_locale(objets["recense_le"]),
        "État précédent": objets["precedent_etat"].map(ETAT_SANITAIRE.libelle),
        "Recensement précédent le": _date_locale(objets["precedent_le"]),
        "Évolution": objets["evolution"].map(EVOLUTION_ETAT.libelle),
    }).reset_index(drop=True)
    return Tableau("restauration-objets", "Objets", frame,
                   dates={"Recensé le": "%d/%m/%Y", "Recensement précédent le": "%d/%m/%Y"})


def liens(tableau: Tableau) -> list[str]:
    """Each row's link to its objet's fiche, relative to the current page (works under a prefix)."""
    return ["objet?ref=" + ref for ref in tableau.donnees["REF"]]
