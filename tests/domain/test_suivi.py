"""A contact with a commune (dashboard.domain.suivi): what is refused, in French; the note kept as typed."""
from datetime import date

from dashboard.domain import suivi

AUJOURD_HUI = date(2027, 3, 10)


def _contact(**kw) -> suivi.Contact:
    base = dict(contacte_le=date(2027, 3, 9), canal="telephone", resultat="interessee")
    return suivi.nettoyer(suivi.Contact(**{**base, **kw}))


def test_a_right_contact_and_the_note_as_typed():
    note = "  <script>alert(1)</script>\n**gras** [lien](http://x)  "
    c = _contact(interlocuteur="  Mme Dupont, secrétaire  ", courriel=" mairie@exemple.fr ", note=note,
                 prochaine_etape="", rappeler_le=date(2027, 3, 20))
    assert suivi.erreurs(c, AUJOURD_HUI) == []
    assert c.note == note and c.interlocuteur == "Mme Dupont, secrétaire" and c.courriel == "mairie@exemple.fr"
    assert c.prochaine_etape is None
    assert _contact(note="a\x00b").note == "ab" and _contact(note="   ").note is None


def test_what_is_refused():
    assert suivi.erreurs(_contact(courriel="pas une adresse"), AUJOURD_HUI) == [
        "« pas une adresse » n'est pas une adresse électronique (attendu : nom@domaine.fr)."]
    assert suivi.erreurs(_contact(contacte_le=date(2027, 3, 11)), AUJOURD_HUI) == [
        "La date du contact ne peut pas être dans le futur."]
    assert suivi.erreurs(_contact(rappeler_le=date(2027, 3, 1)), AUJOURD_HUI) == [
        "La date de rappel ne peut pas précéder la date du contact."]
    assert suivi.erreurs(_contact(resultat="a_rappeler"), AUJOURD_HUI) == [
        "Résultat « À rappeler » : indiquez la date à laquelle rappeler."]
    assert suivi.erreurs(_contact(canal="pigeon"), AUJOURD_HUI) == ["Canal du contact inconnu."]
    assert suivi.erreurs(_contact(note="x" * (suivi.NOTE_MAX + 1)), AUJOURD_HUI) == [
        f"La note est trop longue ({suivi.NOTE_MAX + 1} caractères ; au plus {suivi.NOTE_MAX})."]


def test_late_call_backs():
    assert suivi.en_retard(date(2027, 3, 9), AUJOURD_HUI)
    assert not suivi.en_retard(AUJOURD_HUI, AUJOURD_HUI) and not suivi.en_retard(None, AUJOURD_HUI)
