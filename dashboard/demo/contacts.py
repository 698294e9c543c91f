"""Contacts of the demo deployment officer with communes of the demo département (issue 14):
so that /communes-a-contacter, /a-rappeler and the fiche of a commune show a history.

About one commune in twelve holding counted objets (three at least), one to three contacts
each over the last five months, by phone mostly; the latest one decides what follows: to
call back (some of these dates already passed: late), interested, no answer, refused, or
accepted. Drawn from a stream of their own (the seed and 14), after everything else: the
rest of the demo is the same with or without them.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from dashboard.domain.connexion import HEURE_LEGALE

CANAUX = (("telephone", 0.6), ("courriel", 0.3), ("courrier", 0.05), ("rendez_vous", 0.05))
DERNIERS = (("a_rappeler", 0.4), ("interessee", 0.2), ("pas_de_reponse", 0.2), ("refuse", 0.1), ("accepte", 0.1))
INTERLOCUTEURS = ("secrétaire de mairie", "maire", "adjoint au patrimoine", "conseillère municipale")
NOTES = ("Le maire souhaite en parler en conseil municipal.", "Messagerie : message laissé.",
         "Intéressés, mais l'église est en travaux jusqu'au printemps.", "Demande la liste des objets par courriel.",
         "La secrétaire de mairie transmet au maire.")
ETAPES = {"a_rappeler": "Rappeler pour fixer une date de recensement",
          "interessee": "Envoyer la liste des objets et le guide du recensement"}


def _choix(rng, pairs, n: int) -> np.ndarray:
    codes, poids = zip(*pairs)
    return rng.choice(np.array(codes, dtype=object), size=n, p=np.array(poids) / sum(poids))


def contact_rows(seed: int, today: date, codes: list[str], auteur_id: int) -> dict:
    """The columns of demo_copie_contact_commune for communes `codes` (sorted)."""
    rng = np.random.Generator(np.random.PCG64([seed, 14]))
    codes = sorted(codes)
    if not codes:
        return {k: [] for k in ("commune_code", "contacte_le", "canal", "resultat", "interlocuteur",
                                "prochaine_etape", "rappeler_le", "note", "auteur_id", "cree_le")}
    choisies = sorted(rng.choice(np.array(codes, dtype=object), size=min(len(codes), max(3, len(codes) // 12)),
                                 replace=False))
    rows = []
    for code in choisies:
        k = int(rng.integers(1, 4))
        jours = sorted(rng.choice(np.arange(2, 150), size=k, replace=False), reverse=True)
        canaux = _choix(rng, CANAUX, k)
        dernier = _choix(rng, DERNIERS, 1)[0]
        for i, (jour, canal) in enumerate(zip(jours, canaux)):
            resultat = dernier if i == k - 1 else ("pas_de_reponse" if rng.random() < 0.6 else "a_rappeler")
            le = today - timedelta(days=int(jour))
            rappel = le + timedelta(days=int(rng.integers(3, 30))) if resultat == "a_rappeler" else None
            avec_note = rng.random() < 0.6
            rows.append((code, le, str(canal), str(resultat),
                         str(rng.choice(INTERLOCUTEURS)) if resultat != "pas_de_reponse" else None,
                         ETAPES.get(str(resultat)), rappel, str(rng.choice(NOTES)) if avec_note else None,
                         auteur_id, datetime.combine(le, time(10), HEURE_LEGALE)))
    names = ("commune_code", "contacte_le", "canal", "resultat", "interlocuteur", "prochaine_etape", "rappeler_le",
             "note", "auteur_id", "cree_le")
    return {name: [r[i] for r in rows] for i, name in enumerate(names)}
