"""The questionnaire's rules (dashboard/domain/questionnaire.py, domain.md "Recensement
questionnaire"), without a database: which steps apply, what each refuses, where it resumes."""
import pytest

from dashboard.domain import questionnaire as q
from dashboard.domain.questionnaire import Reponses, ReponseRefusee


def suite(*etapes, commune="62041"):
    r = Reponses()
    for etape, valeurs in etapes:
        r = q.appliquer(r, etape, valeurs, commune)
    return r


PRESENT = [("localisation", {"localisation": "edifice_initial"}), ("recensable", {"recensable": True}),
           ("etat", {"etat_sanitaire": "moyen"}), ("securisation", {"securisation": "en_danger"})]


def test_steps_follow_the_answers():
    assert q.etapes(Reponses()) == list(q.ETAPES)
    absent = suite(("localisation", {"localisation": "absent", "confirme": True}))
    assert q.etapes(absent) == ["localisation", "notes", "validation"]
    assert absent.recensable is False                      # forced to no when absent
    non = suite(("localisation", {"localisation": "edifice_initial"}), ("recensable", {"recensable": False,
                                                                                      "confirme": True}))
    assert q.etapes(non) == ["localisation", "recensable", "notes", "validation"]


def test_explicit_confirmations_are_required():
    with pytest.raises(ReponseRefusee, match="introuvable"):
        suite(("localisation", {"localisation": "absent"}))
    with pytest.raises(ReponseRefusee, match="ne peut pas être recensé"):
        suite(PRESENT[0], ("recensable", {"recensable": False}))
    with pytest.raises(ReponseRefusee, match="au moins une photo"):
        suite(*PRESENT, ("photos", {}))
    sans = suite(*PRESENT, ("photos", {"confirmation_sans_photo": True}))
    assert sans.confirmation_sans_photo and q.etape_suivante(sans) == "notes"


def test_a_move_needs_a_commune_other_than_its_own_and_a_known_value():
    with pytest.raises(ReponseRefusee, match="Choisissez la commune"):
        suite(("localisation", {"localisation": "deplacement_autre_commune", "autre_commune_code": "Lens"}))
    with pytest.raises(ReponseRefusee, match="la vôtre"):
        suite(("localisation", {"localisation": "deplacement_autre_commune", "autre_commune_code": "62041"}))
    with pytest.raises(ReponseRefusee, match="où se trouve"):
        suite(("localisation", {"localisation": "ailleurs"}))
    with pytest.raises(ReponseRefusee, match="état"):
        suite(PRESENT[0], PRESENT[1], ("etat", {"etat_sanitaire": "excellent"}))
    r = suite(("localisation", {"localisation": "deplacement_autre_commune", "autre_commune_code": "2a004"}))
    assert r.autre_commune_code == "2A004"


def test_it_resumes_where_it_stopped_and_validates_only_when_complete():
    r = suite(*PRESENT)
    assert q.etape_suivante(r) == "photos"
    with pytest.raises(ReponseRefusee, match="pas complet"):
        q.appliquer(r, "validation", {})
    r = suite(*PRESENT, ("photos", {"confirmation_sans_photo": True}), ("notes", {"notes": "  "}),
              ("validation", {}))
    assert r.complet and r.notes is None and r.etape == "validation"
    # Changed afterwards so that a step is missing: no longer complete.
    r2 = q.appliquer(r, "recensable", {"recensable": False, "confirme": True})
    assert r2.complet and r2.etat_sanitaire is None and r2.securisation is None   # still complete: fewer steps
    r3 = q.appliquer(r2, "recensable", {"recensable": True})
    assert not r3.complet and q.etape_suivante(r3) == "etat"


def test_a_step_that_does_not_apply_is_refused_and_notes_are_bounded():
    absent = suite(("localisation", {"localisation": "absent", "confirme": True}))
    with pytest.raises(ReponseRefusee, match="ne s'applique pas"):
        q.appliquer(absent, "etat", {"etat_sanitaire": "bon"})
    with pytest.raises(ReponseRefusee, match="trop long"):
        q.appliquer(absent, "notes", {"notes": "x" * (q.NOTES_MAX + 1)})
    assert q.appliquer(absent, "notes", {"notes": "a\x00b <script>"}).notes == "ab <script>"
