"""The product's vocabulary: every enumerated value, with its French label and its colour,
written once (domain.md). Pages, exports, maps and messages read labels from here; the
database's enums are checked against it by a test (tests/domain/test_vocabulary.py).

A colour never carries meaning alone: wherever one is shown, its label is shown too.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Terme:
    code: str
    libelle: str
    couleur: str | None = None
    pluriel: str | None = None   # "Classés", for filters that pick a set of objets


class Vocabulaire:
    """An ordered enum: codes in their natural order (for états: from best to worst)."""

    def __init__(self, nom: str, *termes: Terme, enum_sql: str | None = None):
        self.nom = nom
        self.termes = termes
        self.enum_sql = enum_sql      # the PostgreSQL enum type holding the same codes, if any
        self._par_code = {t.code: t for t in termes}

    def __iter__(self):
        return iter(self.codes)

    def __contains__(self, code) -> bool:
        return code in self._par_code

    def __len__(self) -> int:
        return len(self.termes)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.termes)

    @property
    def libelles(self) -> dict[str, str]:
        return {t.code: t.libelle for t in self.termes}

    @property
    def couleurs(self) -> dict[str, str | None]:
        return {t.code: t.couleur for t in self.termes}

    def libelle(self, code, defaut: str = "—") -> str:
        """The label of a code; `defaut` for None, NULL or an unknown code."""
        terme = self._par_code.get(code) if isinstance(code, str) else None
        return terme.libelle if terme else defaut

    def pluriel(self, code) -> str:
        terme = self._par_code[code]
        return terme.pluriel or terme.libelle

    def couleur(self, code) -> str | None:
        terme = self._par_code.get(code) if isinstance(code, str) else None
        return terme.couleur if terme else None

    def index(self, code) -> int:
        return self.codes.index(code)


ETAT_SANITAIRE = Vocabulaire(
    "état sanitaire",
    Terme("bon", "Bon", "#1a9850"),
    Terme("moyen", "Moyen", "#fee08b"),
    Terme("mauvais", "Mauvais", "#f46d43"),
    Terme("peril", "Péril", "#a50026"),
    enum_sql="etat_sanitaire",
)

SECURISATION = Vocabulaire(
    "sécurisation",
    Terme("en_securite", "En sécurité (difficile à voler)"),
    Terme("en_danger", "En danger (facile à voler)"),
    enum_sql="securisation",
)

LOCALISATION = Vocabulaire(
    "localisation",
    Terme("edifice_initial", "Dans l'édifice prévu"),
    Terme("autre_edifice", "Dans un autre édifice de la commune"),
    Terme("deplacement_autre_commune", "Déplacé dans une autre commune"),
    Terme("deplacement_temporaire", "Déplacé temporairement"),
    Terme("absent", "Introuvable"),
    enum_sql="localisation",
)

PROTECTION = Vocabulaire(
    "protection",
    Terme("classe", "Classé", pluriel="Classés"),
    Terme("inscrit", "Inscrit", pluriel="Inscrits"),
    Terme("non_protege", "Non protégé", pluriel="Non protégés"),
    enum_sql="protection",
)

PROPRIETAIRE = Vocabulaire(
    "propriétaire",
    Terme("commune", "Commune"),
    Terme("etat", "État"),
    Terme("public", "Autre personne publique"),
    Terme("prive", "Propriétaire privé"),
    Terme("autre", "Autre"),
    Terme("inconnu", "Inconnu"),
    enum_sql="proprietaire",
)

# Urgency (niveau_urgence() in SQL): prioritaire first.
URGENCE = Vocabulaire(
    "urgence",
    Terme("prioritaire", "Prioritaire", "#a50026"),
    Terme("preoccupant", "Préoccupant", "#f46d43"),
)

# Status of a commune (view commune_statut), in the order of its progress. Colours: the
# service running today's (domain.md), plus two for the stages it does not tell apart.
STATUT_COMMUNE = Vocabulaire(
    "statut de la commune",
    Terme("non_recense", "Non recensé", "#dddddd"),
    Terme("en_cours", "En cours", "#6b6af4"),
    Terme("a_examiner", "À examiner", "#f2a900"),
    Terme("en_cours_examen", "En cours d'examen", "#2ca4b8"),
    Terme("examine", "Examiné", "#99c221"),
)

STATUT_DOSSIER = Vocabulaire(
    "statut du dossier",
    Terme("construction", "En construction"),
    Terme("submitted", "Transmis"),
    Terme("accepted", "Examiné (accepté)"),
    Terme("archived", "Archivé"),
    enum_sql="dossier_statut",
)

STATUT_RECENSEMENT = Vocabulaire(
    "statut du recensement",
    Terme("draft", "Brouillon"),
    Terme("completed", "Complet"),
    Terme("deleted", "Supprimé"),
    enum_sql="recensement_statut",
)

STATUT_CAMPAGNE = Vocabulaire(
    "statut de la campagne",
    Terme("draft", "Brouillon"),
    Terme("planned", "Planifiée"),
    Terme("ongoing", "En cours"),
    Terme("finished", "Terminée"),
    enum_sql="campagne_statut",
)

SOUHAIT_VISITE = Vocabulaire(
    "souhait de visite",
    Terme("aucune", "Aucune"),
    Terme("souhaitable", "Souhaitable"),
    Terme("prioritaire", "Prioritaire"),
    enum_sql="souhait_visite",
)

# The conservateur's advice sheets (the CHECK constraint recensement_fiches_connues).
FICHE_CONSEIL = Vocabulaire(
    "fiche conseil",
    Terme("depot_plainte", "Dépôt de plainte"),
    Terme("securisation", "Sécurisation"),
    Terme("restauration", "Restauration"),
    Terme("entretien_edifices", "Entretien des édifices"),
    Terme("entretien_objets", "Entretien des objets"),
)

ROLE = Vocabulaire(
    "rôle",
    Terme("admin", "Administrateur"),
    Terme("conservateur", "Conservateur"),
    Terme("drac", "Responsable DRAC"),
    Terme("deploiement", "Chargé de déploiement"),
    Terme("commune", "Commune"),
    enum_sql="role",
)
# The role of the account a commune's sign-in link opens (one per commune, created at its
# first sign-in; dashboard.writes.connexion).
ROLE_COMMUNE = "commune"

NIVEAU_PERIMETRE = Vocabulaire(
    "niveau de périmètre",
    Terme("commune", "Commune"),
    Terme("departement", "Département"),
    Terme("region", "Région"),
    Terme("national", "National"),
    enum_sql="niveau_perimetre",
)

OUI_NON = {True: "Oui", False: "Non"}

# Who answered what an urgent case says: the commune, or the conservateur's override.
DIT_PAR = {True: "Conservateur (correction)", False: "Commune"}

TOUS = (ETAT_SANITAIRE, SECURISATION, LOCALISATION, PROTECTION, PROPRIETAIRE, URGENCE, STATUT_COMMUNE,
        STATUT_DOSSIER, STATUT_RECENSEMENT, STATUT_CAMPAGNE, SOUHAIT_VISITE, FICHE_CONSEIL, ROLE,
        NIVEAU_PERIMETRE)
