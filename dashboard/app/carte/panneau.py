"""A commune's side panel on /carte: who it is, its statut and dossier, its objets by état
sanitaire in the view (same filters as the map), its disparus, its mairie, the link to its
page. Built from the panel's read (dashboard.reads.carte.commune_fiche) and the view's
figures by commune.

Pure: the page writes each part with st.subheader, st.markdown, st.dataframe.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pandas as pd

from dashboard.app.carte.chiffres import ligne_commune
from dashboard.app.carte.classes import ETAT_ORDRE
from dashboard.app.carte.graphiques import NON_RECENSES
from dashboard.domain.vocabulary import ETAT_SANITAIRE, STATUT_COMMUNE

MAIRIE = (("Courriel", "mairie_email"), ("Téléphone", "mairie_telephone"), ("Adresse", "mairie_adresse"))


@dataclass(frozen=True)
class Panneau:
    titre: str                # plain text (the page escapes it)
    sous_titre: str           # plain text
    statut: str               # markdown
    etats: pd.DataFrame       # objets by état sanitaire, then disparus, unknown, total
    disparus: str             # markdown
    mairie: tuple[str, ...]   # plain text lines ("—" for what is unknown)
    lien: str                 # markdown link to the commune's page


def objets_par_etat(ligne: dict[str, int]) -> pd.DataFrame:
    """The commune's objets by état; the rows before "Total" add up to the total."""
    inconnus = max(ligne["objets"] - ligne["avec_etat"] - ligne["disparus"], 0)
    return pd.DataFrame({
        "État sanitaire actuel": [ETAT_SANITAIRE.libelle(e) for e in ETAT_ORDRE]
        + ["Disparus", NON_RECENSES, "Total"],
        "Objets": [ligne[e] for e in ETAT_ORDRE] + [ligne["disparus"], inconnus, ligne["objets"]],
    })


def panneau(fiche: dict, figures: pd.DataFrame) -> Panneau:
    """The panel of the commune `fiche` (a row of commune_fiche), with its figures in the view."""
    ligne = ligne_commune(figures, fiche["code_insee"])
    transmis = fiche.get("dossier_transmis_le")
    statut = (f"Statut : **{STATUT_COMMUNE.libelle(fiche['statut'], fiche['statut'])}**"
              + (f" · dossier transmis le {transmis:%d/%m/%Y}" if transmis else ""))
    return Panneau(
        titre=fiche["nom"],
        sous_titre=f"{fiche['code_insee']} · {fiche['departement_code']} — {fiche['departement_nom']}",
        statut=statut,
        etats=objets_par_etat(ligne),
        disparus=f"Objets disparus : **{ligne['disparus']}**",
        mairie=tuple(f"{label} : {fiche.get(key) or '—'}" for label, key in MAIRIE),
        lien=f"[Fiche de la commune](/commune?code={quote(str(fiche['code_insee']), safe='')})",
    )
