"""Lists on a phone, and long lists in pages: what a phone is, a table's rows as cards, the
slice of rows a page shows; the cards of /urgences and of the inbox (/a-examiner), each saying
what the row is, its figures in words, and opening its fiche in the same tab.

A grid of a dozen columns does not read on a 390-pixel screen. Drawing both the grid and the
cards and letting CSS hide one cost every desktop the cards' Markdown (issue 11's profile of
/carte: 560 ms of Markdown rendering before the page was usable), and every phone the grid.
So the server chooses from the request: a browser whose User-Agent says "Mobi" (the sign
every phone browser gives, as MDN advises) gets cards, the others the grid.

Pure (no Streamlit): dashboard.app.telephone draws what this builds.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.app.urgences_vue import url_vers_la_fiche
from dashboard.domain import formats

CARTES_PAR_PAGE = 10


@dataclass(frozen=True)
class Carte:
    """One row as a card: who it is, its figures in words, where it leads."""
    titre: str                 # plain text (escaped when drawn)
    lignes: tuple[str, ...]    # plain text
    lien: str                  # the label of the link
    page: str                  # url_path of the page it opens
    params: dict = field(default_factory=dict)  # its query parameters


def est_un_telephone(user_agent: str | None) -> bool:
    """Whether a User-Agent is a phone's: "Mobi" (Android's and iOS's browsers say "Mobile";
    tablets do not, and get the grid, which fits them)."""
    return "Mobi" in (user_agent or "")


def nombre_de_pages(total: int, par_page: int) -> int:
    return max(1, -(-total // par_page))


def tranche(total: int, page: int, par_page: int) -> tuple[int, int, int]:
    """(page, first row, row after the last) of page `page` (from 0), brought back within the
    pages there are: a list that shrank under a saved page number shows its last page."""
    page = min(max(page, 0), nombre_de_pages(total, par_page) - 1)
    debut = page * par_page
    return page, debut, min(debut + par_page, total)



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
