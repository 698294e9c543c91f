"""What a fiche page (/objet?ref=, /commune?code=) is about: the code in its URL, checked
against its form before anything uses or shows it, and the words of the page when the
code is missing, malformed, unknown or outside the user's scope.

Pure: no Streamlit (dashboard.app.recherche.fiche_de_l_url runs it in a page).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dashboard.domain import palissy


@dataclass(frozen=True)
class Demande:
    param: str                      # the URL parameter
    titre: str                      # the page's title until the fiche is known
    libelle: str                    # the field where the code can be typed
    exemple: str
    aide: str
    bonne_forme: Callable[[str], bool]
    mal_forme: str                  # no code quoted: it did not pass the check
    introuvable: str                # {code}: a well-formed code
    hors_perimetre: str             # {code}, {perimetre}


OBJET = Demande(
    "ref", "Fiche objet", "Rechercher un objet : référence Palissy, mots du titre ou de l'édifice",
    "PM62000123, calice, vierge à l'enfant…",
    "Saisissez une référence Palissy ou des mots du titre ou de l'édifice, puis choisissez l'objet ; ou ouvrez "
    "une fiche depuis la liste des cas urgents ou la fiche d'une commune.",
    lambda code: palissy.ref_from(code)[0] == code,
    "Aucun objet ne porte la référence demandée, qui n'a pas la forme d'une référence Palissy "
    "(deux lettres puis huit chiffres ou lettres, par exemple PM62000123).",
    "Aucun objet ne porte la référence « {code} ». Vérifiez la référence Palissy (par exemple PM62000123).",
    "L'objet {code} n'est pas dans votre périmètre ({perimetre}).",
)

COMMUNE = Demande(
    "code", "Fiche commune", "Rechercher une commune : nom ou code INSEE", "courcelles les lens, 62041…",
    "Saisissez le nom de la commune (accents, majuscules et tirets facultatifs) ou son code INSEE, puis "
    "choisissez-la ; ou ouvrez une fiche commune depuis la fiche d'un objet.",
    palissy.est_code_insee,
    "Aucune commune ne porte le code INSEE demandé, qui n'a pas la forme d'un code INSEE "
    "(cinq caractères, par exemple 62041 ou 2A004).",
    "Aucune commune ne porte le code INSEE « {code} » (cinq caractères, par exemple 62041 ou 2A004).",
    "La commune {code} n'est pas dans votre périmètre ({perimetre}).",
)


def normaliser(valeur: str | None) -> str:
    """As typed or linked: upper case, no spaces around."""
    return (valeur or "").strip().upper()


def code_demande(demande: Demande, valeur: str | None, commune_du_perimetre: str | None) -> str:
    """The code a fiche page shows: the URL's; without one, a commune's user opens its own
    commune's fiche (its one commune, not a search among communes it may not open)."""
    code = normaliser(valeur)
    if not code and demande is COMMUNE and commune_du_perimetre:
        return commune_du_perimetre
    return code


def message_absent(demande: Demande, code: str, raison: str, perimetre: str) -> str:
    """Why a well-formed code opens nothing: outside the scope, or unknown."""
    modele = demande.hors_perimetre if raison == "hors_perimetre" else demande.introuvable
    return modele.format(code=code, perimetre=perimetre)
