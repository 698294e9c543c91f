"""Who may do what: one table, role -> capabilities. Navigation (which pages a role can
open), pages (which controls they show), exports and the data layer (the parameters its
SQL takes, such as whether sécurisation leaves the database) all read it; nothing else
decides a right.

Scopes (which territory a user sees) are a separate matter: dashboard.domain.identity.
"""
from __future__ import annotations

from enum import StrEnum

from dashboard.domain.vocabulary import ROLE


class Capacite(StrEnum):
    VOIR_URGENCES = "voir_urgences"                  # /urgences and the weekly digest
    # The answer "en danger" (easy to steal): lists of such objets must never be public
    # (domain.md). Whoever lacks it gets urgency judged without it, in SQL.
    VOIR_SECURISATION = "voir_securisation"
    EXAMINER = "examiner"                            # analyse recensements, decide on dossiers
    IMPORTER = "importer"                            # start imports of POP exports
    VOIR_QUALITE_DONNEES = "voir_qualite_donnees"    # imports, their reports, POP corrections
    VOIR_CONTACTS_MAIRIE = "voir_contacts_mairie"    # the mairie's e-mail, phone, address
    VOIR_DONNEES_PERSONNELLES = "voir_donnees_personnelles"  # who did a recensement
    # Record contacts with communes, create campaigns and change them (issue 14).
    GERER_CAMPAGNES = "gerer_campagnes"
    # Read the déploiement pages (/communes-a-contacter, /campagnes, /a-rappeler): the ranking,
    # the contacts' history, the campaigns; conservateurs follow it for their départements.
    VOIR_DEPLOIEMENT = "voir_deploiement"
    REPONDRE_QUESTIONNAIRE = "repondre_questionnaire"  # a commune recensing its objets
    # Open /recensement: a commune (its own, to answer), a conservateur (a commune's, read-only).
    VOIR_QUESTIONNAIRE = "voir_questionnaire"
    # Set the address a commune's sign-in links go to, and list the communes without one.
    GERER_CONTACTS_COMMUNES = "gerer_contacts_communes"
    # /couverture and /restauration: coverage against the five-year objective, pace,
    # restoration needs and what changed, each in the user's scope (issue 13).
    VOIR_PILOTAGE = "voir_pilotage"


C = Capacite
DROITS: dict[str, frozenset[Capacite]] = {
    "admin": frozenset(Capacite),
    "conservateur": frozenset({C.VOIR_URGENCES, C.VOIR_SECURISATION, C.EXAMINER, C.VOIR_QUALITE_DONNEES,
                               C.VOIR_CONTACTS_MAIRIE, C.VOIR_DONNEES_PERSONNELLES, C.GERER_CONTACTS_COMMUNES,
                               C.VOIR_PILOTAGE, C.VOIR_DEPLOIEMENT, C.VOIR_QUESTIONNAIRE}),
    # DRAC managers follow their région's urgent cases, without the objets easy to steal.
    "drac": frozenset({C.VOIR_URGENCES, C.VOIR_QUALITE_DONNEES, C.VOIR_CONTACTS_MAIRIE, C.VOIR_PILOTAGE}),
    "deploiement": frozenset({C.VOIR_CONTACTS_MAIRIE, C.GERER_CAMPAGNES, C.VOIR_DEPLOIEMENT}),
    # A commune sees sécurisation on its own objets only: its scope is its commune.
    "commune": frozenset({C.VOIR_SECURISATION, C.VOIR_CONTACTS_MAIRIE, C.REPONDRE_QUESTIONNAIRE,
                          C.VOIR_QUESTIONNAIRE}),
}
del C

assert set(DROITS) == set(ROLE.codes), "every role of the vocabulary has a line in the rights table"


def peut(role: str, capacite: Capacite) -> bool:
    """Whether a role has a capability (an unknown role has none)."""
    return capacite in DROITS.get(role, frozenset())


def roles_avec(capacite: Capacite) -> frozenset[str]:
    return frozenset(role for role, capacites in DROITS.items() if capacite in capacites)
