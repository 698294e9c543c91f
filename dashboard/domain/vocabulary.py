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

    @classmethod
    def de(cls, nom: str, libelles: dict, enum_sql: str | None = None) -> "Vocabulaire":
        """From {code: label} or {code: (label, colour)}, in that order."""
        termes = [Terme(code, *(v if isinstance(v, tuple) else (v,))) for code, v in libelles.items()]
        return cls(nom, *termes, enum_sql=enum_sql)

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


ETAT_SANITAIRE = Vocabulaire.de("état sanitaire", {
    "bon": ("Bon", "#1a9850"), "moyen": ("Moyen", "#fee08b"), "mauvais": ("Mauvais", "#f46d43"),
    "peril": ("Péril", "#a50026"),
}, enum_sql="etat_sanitaire")

SECURISATION = Vocabulaire.de("sécurisation", {
    "en_securite": "En sécurité (difficile à voler)", "en_danger": "En danger (facile à voler)",
}, enum_sql="securisation")

LOCALISATION = Vocabulaire.de("localisation", {
    "edifice_initial": "Dans l'édifice prévu", "autre_edifice": "Dans un autre édifice de la commune",
    "deplacement_autre_commune": "Déplacé dans une autre commune",
    "deplacement_temporaire": "Déplacé temporairement", "absent": "Introuvable",
}, enum_sql="localisation")

PROTECTION = Vocabulaire(
    "protection",
    Terme("classe", "Classé", pluriel="Classés"), Terme("inscrit", "Inscrit", pluriel="Inscrits"),
    Terme("non_protege", "Non protégé", pluriel="Non protégés"),
    enum_sql="protection",
)

PROPRIETAIRE = Vocabulaire.de("propriétaire", {
    "commune": "Commune", "etat": "État", "public": "Autre personne publique", "prive": "Propriétaire privé",
    "autre": "Autre", "inconnu": "Inconnu",
}, enum_sql="proprietaire")

# Urgency (niveau_urgence() in SQL): prioritaire first.
URGENCE = Vocabulaire.de("urgence", {
    "prioritaire": ("Prioritaire", "#a50026"), "preoccupant": ("Préoccupant", "#f46d43"),
})

# What makes a case urgent (a filter of /urgences, the words of its "Constat" column): the
# objet is missing, its état is péril or mauvais, it is easy to steal. Colours: those of the
# urgency levels and of the états.
CONSTAT = Vocabulaire.de("constat", {
    "disparu": ("Introuvable (disparu)", "#a50026"), "peril": ("État : péril", "#a50026"),
    "mauvais": ("État : mauvais", "#f46d43"), "en_danger": ("En danger (facile à voler)", "#f46d43"),
})

# Status of a commune (view commune_statut), in the order of its progress. Colours: the
# service running today's (domain.md), plus two for the stages it does not tell apart.
STATUT_COMMUNE = Vocabulaire.de("statut de la commune", {
    "non_recense": ("Non recensé", "#dddddd"), "en_cours": ("En cours", "#6b6af4"),
    "a_examiner": ("À examiner", "#f2a900"), "en_cours_examen": ("En cours d'examen", "#2ca4b8"),
    "examine": ("Examiné", "#99c221"),
})

# How an objet's état sanitaire moved between its previous and its current recensement
# (view objet_evolution): down the scale bon > moyen > mauvais > péril, or up.
EVOLUTION_ETAT = Vocabulaire.de("évolution de l'état", {
    "degrade": ("Dégradé", "#d73027"), "ameliore": ("Amélioré", "#1a9850"),
})

STATUT_DOSSIER = Vocabulaire.de("statut du dossier", {
    "construction": "En construction", "submitted": "Transmis", "accepted": "Examiné (accepté)",
    "archived": "Archivé",
}, enum_sql="dossier_statut")

STATUT_RECENSEMENT = Vocabulaire.de("statut du recensement", {
    "draft": "Brouillon", "completed": "Complet", "deleted": "Supprimé",
}, enum_sql="recensement_statut")

STATUT_CAMPAGNE = Vocabulaire.de("statut de la campagne", {
    "draft": "Brouillon", "planned": "Planifiée", "ongoing": "En cours", "finished": "Terminée",
}, enum_sql="campagne_statut")

# A contact a deployment officer records with a commune (contact_commune, issue 14): how,
# and what came of it.
CANAL_CONTACT = Vocabulaire.de("canal du contact", {
    "telephone": "Téléphone", "courriel": "Courriel", "courrier": "Courrier", "rendez_vous": "Rendez-vous",
    "autre": "Autre",
}, enum_sql="canal_contact")

RESULTAT_CONTACT = Vocabulaire.de("résultat du contact", {
    "pas_de_reponse": "Pas de réponse", "a_rappeler": "À rappeler", "interessee": "Intéressée",
    "accepte": "Accepte de participer", "refuse": "Refuse", "coordonnees_erronees": "Coordonnées erronées",
}, enum_sql="resultat_contact")

SOUHAIT_VISITE = Vocabulaire.de("souhait de visite", {
    "aucune": "Aucune", "souhaitable": "Souhaitable", "prioritaire": "Prioritaire",
}, enum_sql="souhait_visite")

# The conservateur's advice sheets (the CHECK constraint recensement_fiches_connues).
FICHE_CONSEIL = Vocabulaire.de("fiche conseil", {
    "depot_plainte": "Dépôt de plainte", "securisation": "Sécurisation", "restauration": "Restauration",
    "entretien_edifices": "Entretien des édifices", "entretien_objets": "Entretien des objets",
})

ROLE = Vocabulaire.de("rôle", {
    "admin": "Administrateur", "conservateur": "Conservateur", "drac": "Responsable DRAC",
    "deploiement": "Chargé de déploiement", "commune": "Commune",
}, enum_sql="role")
# The role of the account a commune's sign-in link opens (one per commune, created at its
# first sign-in; dashboard.writes.connexion).
ROLE_COMMUNE = "commune"

NIVEAU_PERIMETRE = Vocabulaire.de("niveau de périmètre", {
    "commune": "Commune", "departement": "Département", "region": "Région", "national": "National",
}, enum_sql="niveau_perimetre")

# What an import of Palissy changed for an objet (table objet_changement, its CHECK).
CHANGEMENT_POP = Vocabulaire.de("changement dans POP", {
    "ajout": "Ajouté dans Palissy", "retrait": "Retiré de Palissy", "protection": "Protection modifiée",
    "commune": "Commune modifiée", "edifice": "Édifice modifié", "titre": "Titre modifié",
})

# The steps of the commune's questionnaire, in their order (dashboard/domain/questionnaire.py).
ETAPE_QUESTIONNAIRE = Vocabulaire.de("étape du questionnaire", {
    "localisation": "Où est l'objet ?", "recensable": "Peut-il être recensé ?", "etat": "État",
    "securisation": "Sécurisation", "photos": "Photos", "notes": "Commentaire", "validation": "Vérification",
})

# What the questionnaire says under each answer (the guide, assets/guide_recensement.md, says more).
AIDE_LOCALISATION = {
    "edifice_initial": "Là où la notice le situe.",
    "autre_edifice": "Dans la commune, mais ailleurs : donnez le nom de l'édifice.",
    "deplacement_autre_commune": "Prêté ou déposé ailleurs : choisissez la commune par son nom.",
    "deplacement_temporaire": "Par exemple chez un restaurateur, ou pour une exposition.",
    "absent": "Vous l'avez cherché sans le trouver : c'est un signalement de disparition.",
}
AIDE_ETAT = {
    "bon": "Aucun dégât visible, ou de simples salissures.",
    "moyen": "Usure, petites lacunes, fentes : à surveiller.",
    "mauvais": "Dégradations importantes : humidité, insectes, parties détachées.",
    "peril": "L'objet risque d'être perdu s'il n'est pas traité rapidement.",
}
AIDE_SECURISATION = {
    "en_securite": "Fixé, hors de portée, ou dans un lieu fermé et surveillé.",
    "en_danger": "Petit, léger, posé à portée de main dans un lieu ouvert.",
}

OUI_NON = {True: "Oui", False: "Non"}

# Who answered what an urgent case says: the commune, or the conservateur's override.
DIT_PAR = {True: "Conservateur (correction)", False: "Commune"}

TOUS = (ETAT_SANITAIRE, SECURISATION, LOCALISATION, PROTECTION, PROPRIETAIRE, URGENCE, CONSTAT, STATUT_COMMUNE,
        EVOLUTION_ETAT, STATUT_DOSSIER, STATUT_RECENSEMENT, STATUT_CAMPAGNE, CANAL_CONTACT, RESULTAT_CONTACT,
        SOUHAIT_VISITE, FICHE_CONSEIL, ROLE, NIVEAU_PERIMETRE, CHANGEMENT_POP,
        ETAPE_QUESTIONNAIRE)
