"""The ranking of /communes-a-contacter as the page shows it and as it is exported.

- affichage(): one row per commune in rank order, French columns: the score and its points
  by criterion (they add up to the score), the figures behind them, the latest contact, the
  mairie's e-mail, phone and address, the link to its fiche. Decimals as French text.
- publipostage(): the table of a mail merge, one row per commune: the contact, the number
  of objets, the reason in words (dashboard.domain.priorite.raisons), and the score.
  Written by dashboard.domain.tableur (CSV for a French spreadsheet, XLSX), formula-safe.

Pure pandas: no Streamlit, no database.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.domain import priorite, tableur
from dashboard.domain.vocabulary import OUI_NON, RESULTAT_CONTACT

RANG, COMMUNE, CODE, DEPARTEMENT, SCORE = "Rang", "Commune", "Code INSEE", "Département", "Score (sur 100)"
OBJETS, RAISON, FICHE = "Objets protégés", "Pourquoi", "Fiche"
COURRIEL, TELEPHONE, ADRESSE = "Courriel de la mairie", "Téléphone", "Adresse"
DERNIER_CONTACT = "Dernier contact"


def points_colonne(critere: priorite.Critere) -> str:
    return f"Points : {critere.libelle.lower()}"


def decimal(valeur: float) -> str:
    """One decimal, French comma ("—" for none)."""
    return "—" if valeur is None or pd.isna(valeur) else f"{float(valeur):.1f}".replace(".", ",")


def _date(valeur) -> str:
    return "—" if valeur is None or pd.isna(valeur) else pd.Timestamp(valeur).strftime("%d/%m/%Y")


def dernier_contact(classement: pd.DataFrame) -> list[str]:
    return [("—" if pd.isna(d) or d is None else f"{_date(d)} : {RESULTAT_CONTACT.libelle(r)}")
            + (f", à rappeler le {_date(rp)}" if rp is not None and not pd.isna(rp) else "")
            for d, r, rp in zip(classement["dernier_contact_le"], classement["dernier_resultat"],
                                classement["rappeler_le"])]


def _texte(series: pd.Series) -> list[str]:
    return ["—" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in series]


def affichage(classement: pd.DataFrame) -> pd.DataFrame:
    """The ranking as the page shows it (classement: dashboard.domain.priorite.classer())."""
    c = classement
    out = {RANG: c["rang"].astype("int64"), COMMUNE: _texte(c["nom"]), CODE: c["code"],
           DEPARTEMENT: c["departement"], SCORE: [decimal(v) for v in c["score"]]}
    for critere in priorite.CRITERES:
        out[points_colonne(critere)] = [decimal(v) for v in c[f"points_{critere.code}"]]
    out |= {
        OBJETS: c["objets"].astype("int64"),
        "Classés jamais recensés": c["classes_jamais_recenses"].astype("int64"),
        "En péril ou disparus": c["peril_ou_disparus"].astype("int64"),
        "Dernier recensement ou récolement": ["jamais" if pd.isna(a) else str(int(a)) for a in c["derniere_annee"]],
        "Dossier de recensement": [OUI_NON[bool(a)] for a in c["a_un_dossier"]],
        "Population": ["—" if pd.isna(p) else f"{int(p):,}".replace(",", "\u202f") for p in c["population"]],
        DERNIER_CONTACT: dernier_contact(c),
        "Campagne active": [OUI_NON[bool(a)] for a in c["en_campagne_active"]],
        COURRIEL: _texte(c["courriel"]), TELEPHONE: _texte(c["telephone"]),
        ADRESSE: [_une_ligne(a) or "—" for a in c["adresse"]],
        FICHE: "commune?code=" + c["code"],
    }
    return pd.DataFrame(out)


def _une_ligne(adresse: str | None) -> str:
    if adresse is None or (not isinstance(adresse, str) and pd.isna(adresse)):
        return ""
    return ", ".join(ligne.strip() for ligne in adresse.splitlines() if ligne.strip())


def _lignes_adresse(adresse: str | None) -> tuple[str, str]:
    """(street lines, "postcode town" line) of the mairie's address: its last line when it
    starts with a postcode, as the reference data writes it."""
    lignes = [ligne.strip() for ligne in (adresse or "").splitlines() if ligne.strip()] \
        if isinstance(adresse, str) else []
    if len(lignes) >= 2 and lignes[-1][:5].isdigit():
        return ", ".join(lignes[:-1]), lignes[-1]
    return ", ".join(lignes), ""


def publipostage(classement: pd.DataFrame, raisons: list[str]) -> pd.DataFrame:
    """One row per commune, ready for a mail merge."""
    c = classement
    adresses = [_lignes_adresse(a) for a in c["adresse"]]
    return pd.DataFrame({
        RANG: c["rang"].astype("int64"), CODE: c["code"], COMMUNE: c["nom"], DEPARTEMENT: c["departement"],
        "EPCI": c["epci_nom"], COURRIEL: c["courriel"], TELEPHONE: c["telephone"],
        ADRESSE: [a for a, _ in adresses], "Code postal et commune": [v for _, v in adresses],
        OBJETS: c["objets"].astype("int64"), "Objets classés": c["classes"].astype("int64"),
        "Classés jamais recensés": c["classes_jamais_recenses"].astype("int64"),
        "En péril ou disparus": c["peril_ou_disparus"].astype("int64"),
        SCORE: c["score"].round(1), RAISON: raisons,
    })


def csv_bytes(classement: pd.DataFrame) -> bytes:
    return tableur.csv_bytes(publipostage(classement, priorite.raisons(classement)))


def xlsx_bytes(classement: pd.DataFrame) -> bytes:
    return tableur.xlsx_bytes(publipostage(classement, priorite.raisons(classement)), "Communes à contacter",
                              largeurs=(6, 10, 28, 8, 30, 32, 16, 36, 26, 10, 10, 12, 12, 10, 90))


def nom_fichier(url: dict[str, str], aujourd_hui: date) -> str:
    """The downloads' name, after the view (territory, EPCI) and the day."""
    parts = [f"{k}-{url[k]}" for k in ("region", "departement", "epci") if k in url]
    return "-".join(["communes-a-contacter", *parts, aujourd_hui.isoformat()])
