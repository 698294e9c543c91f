"""The rows of /urgences and of the inbox (/a-examiner) as cards, for a phone: each says what
the row is, its figures in words, and opens its fiche in the same tab.

Pure: built from the tables the pages show (dashboard.reads.urgences.tableau,
dashboard.reads.dossiers.tableau); the pages draw them with dashboard.app.telephone.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.app.telephone import Carte
from dashboard.app.urgences_vue import url_vers_la_fiche
from dashboard.domain import formats


def _texte(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def cartes_urgences(table: pd.DataFrame, url: Mapping[str, str]) -> list[Carte]:
    """A card per case: the objet and its REF, where it is, what was found, when; it opens the
    objet's fiche with the view's filters (the back button returns to the same view)."""
    out = []
    for row in table.itertuples(index=False):
        r = dict(zip(table.columns, row))
        transmis = formats.date_fr(r.get("Transmis le"))
        lignes = (
            f"{_texte(r['Niveau'])} · {_texte(r['Constat'])}" + (f" · {r['Nouveau']}" if _texte(r.get("Nouveau")) else ""),
            f"{_texte(r['Commune'])} · {_texte(r['Département'])}",
            f"{_texte(r['Protection'])} · {_texte(r['Catégorie']) or 'catégorie inconnue'}"
            + (f" · transmis le {transmis}" if transmis != formats.VIDE else ""),
        )
        out.append(Carte(titre=f"{_texte(r['Objet']) or 'Objet sans titre'} ({r['REF']})", lignes=lignes,
                         lien="Fiche de l'objet", page="objet", params=url_vers_la_fiche(url, str(r["REF"]))))
    return out


def cartes_a_examiner(table: pd.DataFrame, codes: list[str]) -> list[Carte]:
    """A card per dossier of the inbox (`codes`: the commune codes of its rows, in order); it
    opens the commune's fiche and the examen of its dossier."""
    out = []
    for code, row in zip(codes, table.itertuples(index=False)):
        r = dict(zip(table.columns, row))
        lignes = (
            f"Transmis le {formats.date_fr(r['Transmis le'])} · {_texte(r['Statut'])}",
            f"{formats.pluriel(int(r['Recensements']), 'recensement')} · "
            f"{formats.pluriel(int(r['Analysés']), 'analysé')} · "
            f"{formats.pluriel(int(r['Prioritaires']), 'prioritaire')} "
            f"(dont {formats.fmt_int(r['Prioritaires à analyser'])} à analyser)",
            f"Visite souhaitée : {_texte(r['Visite souhaitée']) or '—'} · notes de la commune : "
            f"{_texte(r['Notes de la commune'])}",
        )
        out.append(Carte(titre=f"{r['Commune']} · {r['Département']}", lignes=lignes,
                         lien="Examiner le dossier", page="commune", params={"code": str(code)}))
    return out
