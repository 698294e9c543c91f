"""État sanitaire rules that several pages read, written once.

"Mauvais ou péril": the états that call for action (domain.md: péril makes an objet
prioritaire, mauvais préoccupant). The constat of an urgent case names them; the map's
état share counts them among the objets whose état is known.
"""
from __future__ import annotations

from dashboard.domain import objectif
from dashboard.domain.vocabulary import ETAT_SANITAIRE

# The worst états, in the vocabulary's order (from best to worst): ("mauvais", "peril").
MAUVAIS_OU_PERIL = ETAT_SANITAIRE.codes[ETAT_SANITAIRE.index("mauvais"):]


def nombre_mauvais_ou_peril(par_etat):
    """Objets in mauvais or péril état, from counts by état: a mapping, or a frame with one
    column per état code (then a Series, row by row)."""
    return sum(par_etat[etat] for etat in MAUVAIS_OU_PERIL)


def part_mauvais_ou_peril(par_etat, avec_etat):
    """Share (fraction 0..1, see objectif.part) of mauvais or péril among the objets whose
    état is known."""
    return objectif.part(nombre_mauvais_ou_peril(par_etat), avec_etat)
