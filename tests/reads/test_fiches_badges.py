"""The badges of the fiche commune's tables (dashboard.reads.fiches.badges): words, each with a
shape that the usual text fonts carry (a table is drawn on a canvas: no colour emoji there)."""
import unicodedata

from dashboard.reads.fiches import badges

LIGNE = {"etat_sanitaire": None, "localisation": None, "urgence": None, "recense": True, "analyse": False,
         "a_recenser": True}


def test_each_case_has_its_words_and_its_own_plain_shape():
    peril = badges({**LIGNE, "etat_sanitaire": "peril", "urgence": "prioritaire"})
    disparu = badges({**LIGNE, "localisation": "absent", "urgence": "prioritaire"})
    preoccupant = badges({**LIGNE, "urgence": "preoccupant"})
    assert peril == "▲ Péril · À examiner"
    assert disparu == "● Disparu · À examiner"
    assert preoccupant == "◆ Préoccupant · À examiner"
    formes = {peril[0], disparu[0], preoccupant[0]}
    assert len(formes) == 3
    # Geometric Shapes (U+25A0–U+25FF), in the Basic Multilingual Plane: no emoji.
    assert all(0x25A0 <= ord(f) <= 0x25FF and unicodedata.category(f) == "So" for f in formes)


def test_the_state_of_the_examen_in_words():
    assert badges({**LIGNE, "recense": False}) == "Non recensé"
    # An objet outside the recensement (a sous-dossier, stolen, the State's…) is not a task left.
    assert badges({**LIGNE, "recense": False, "a_recenser": False}) == "Hors recensement"
    assert badges({**LIGNE, "analyse": True}) == "Examiné"
    assert badges(LIGNE) == ""
