"""The definitions of the pilotage's figures, in the words of a report to the ministry:
shown under each page and written as the first sheet of its XLSX report. They describe the
rules that SQL (queries/definitions/07_objet_situation.sql, 13_pilotage.sql) and
dashboard.domain.objectif compute; they compute nothing themselves.
"""
from __future__ import annotations

OBJETS = ("Objets", "Objets mobiliers protégés au titre des monuments historiques, dans le périmètre du "
          "recensement et non retirés de la base Palissy (POP), comme sur la page d'accueil. Un objet de "
          "plusieurs catégories compte une fois dans chacune de ses catégories, une seule fois dans chaque total.")
RECENSEMENT_COURANT = ("Recensement courant", "Le dernier recensement complet de l'objet dans un dossier transmis "
                       "par la commune ; les corrections du conservateur remplacent les réponses de la commune.")
RECENSE_5_ANS = ("Recensé depuis 5 ans, couverture", "Le recensement courant date de moins de cinq ans (date du "
                 "recensement, non de l'examen). Couverture : recensés depuis 5 ans / objets.")
CONTACTEE = ("Commune contactée", "Commune invitée par une campagne de recensement lancée (en cours ou terminée), "
             "ou avec laquelle un chargé de déploiement a enregistré un contact (appel, courriel, courrier, "
             "rendez-vous), quelle qu'en soit l'issue.")
PARTICIPANTE = ("Commune participante", "Commune qui a au moins un dossier de recensement, quel que soit son statut.")
TERMINEE = ("Commune terminée", "Commune dont un dossier a été examiné et accepté par un conservateur (même "
            "archivé depuis).")
COMMUNES = ("Communes avec objets", "Communes où se trouve au moins un objet compté ; les parts de communes "
            "contactées, participantes et terminées sont calculées parmi elles.")
DOSSIERS = ("Dossiers par statut", "Dossiers de recensement des communes du territoire : en construction, transmis, "
            "examiné (accepté), archivé.")
FIABILITE = ("Fiabilité", "Part des recensements des dossiers acceptés que le conservateur n'a pas corrigés "
             "(ni l'état sanitaire, ni la sécurisation).")
URGENCE = ("Prioritaire, préoccupant", "D'après le recensement courant : prioritaire, un objet disparu ou en péril ; "
           "préoccupant, un objet en mauvais état ou facile à voler (la correction du conservateur prime). Pour les "
           "responsables DRAC, le niveau est établi sans la sécurisation, comme dans la liste des cas urgents.")
TRAITE = ("Cas traité", "Un objet prioritaire ou préoccupant est traité quand un conservateur a examiné son "
          "recensement.")
RYTHME = ("Rythme actuel", "Objets recensés au cours des 12 derniers mois (un objet recensé deux fois compte une fois).")
REQUIS = ("Rythme requis (objectif)", "Objets / 5 par an (objets / 60 par mois) : recenser chaque objet tous les "
          "cinq ans.")
CYCLE = ("Cycle complet", "Objets / rythme actuel : le nombre d'années, à compter d'aujourd'hui, pour recenser "
         "chaque objet une fois, et l'année où ce cycle s'achèverait ; « jamais au rythme actuel » quand aucun "
         "objet n'a été recensé en 12 mois.")
PROJECTION = ("Couverture dans 5 ans au rythme actuel", "5 × rythme actuel / objets (au plus 100 %) : la couverture "
              "sur cinq ans glissants si le rythme actuel se maintient.")
ECHEANCE = ("Rythme mensuel requis pour une échéance", "Pour atteindre l'objectif à la date D choisie : les objets "
            "sans recensement depuis la date D moins cinq ans, divisés par le nombre de mois jusqu'à D. Comparé au "
            "rythme mensuel actuel (rythme actuel / 12).")
PAR_MOIS = ("Recensements par mois", "Tous les recensements complets des dossiers transmis (pas seulement les "
            "recensements courants), par mois de recensement.")
MAUVAIS_OU_PERIL = ("Mauvais ou péril", "État sanitaire actuel (recensement courant, correction du conservateur "
                    "comprise) mauvais ou péril ; la part est calculée parmi les objets dont l'état est connu "
                    "(recensés, trouvés et recensables). Classés et inscrits sont aussi comptés à part.")
PRECEDENT = ("Recensement précédent", "Le dernier recensement de l'objet avant son recensement courant, parmi les "
             "recensements complets des dossiers transmis (recensements supprimés exclus).")
EVOLUTION = ("Dégradé, amélioré", "L'état sanitaire (correction du conservateur comprise) a baissé (dégradé) ou "
             "monté (amélioré, par exemple après une restauration) sur l'échelle bon > moyen > mauvais > péril "
             "entre le recensement précédent et le recensement courant. Sans état connu à l'un des deux, ni l'un ni "
             "l'autre.")

COUVERTURE_PAGE = [OBJETS, RECENSEMENT_COURANT, RECENSE_5_ANS, COMMUNES, CONTACTEE, PARTICIPANTE, TERMINEE,
                   DOSSIERS, FIABILITE, URGENCE, TRAITE, RYTHME, REQUIS, CYCLE, PROJECTION, ECHEANCE, PAR_MOIS]
RESTAURATION_PAGE = [OBJETS, RECENSEMENT_COURANT, MAUVAIS_OU_PERIL, PRECEDENT, EVOLUTION]


def markdown(definitions: list[tuple[str, str]]) -> str:
    """The definitions as a Markdown list (constant text: no user input)."""
    return "\n".join(f"- **{terme}** : {texte}" for terme, texte in definitions)
