"""Campaign rules (dashboard.domain.campagnes): dates, every status on its date, the
invitations and reminders due, the messages."""
from datetime import date, timedelta

import pytest

from dashboard.domain import campagnes as c

D = c.Dates(date(2027, 3, 1), date(2027, 5, 31), (date(2027, 3, 16), date(2027, 4, 1), date(2027, 4, 15)))


def test_dates():
    assert c.erreurs_dates(D) == []
    assert c.erreurs_dates(c.Dates(date(2027, 3, 1), date(2027, 3, 2))) == []
    assert c.erreurs_dates(c.Dates(date(2027, 3, 1), date(2027, 3, 1))) == [
        "La date de fin doit suivre la date de lancement."]
    assert c.erreurs_dates(c.Dates(date(2027, 3, 1), date(2027, 5, 1), (date(2027, 3, 1),))) == [
        "La relance 1 doit venir après le lancement."]
    assert c.erreurs_dates(c.Dates(date(2027, 3, 1), date(2027, 5, 1), (date(2027, 4, 1), date(2027, 3, 20)))) == [
        "La relance 2 doit venir après la relance 1."]
    assert c.erreurs_dates(c.Dates(date(2027, 3, 1), date(2027, 5, 1), (date(2027, 5, 1),))) == [
        "La relance 1 doit venir avant la fin de la campagne."]
    assert "Au plus 3 relances." in c.erreurs_dates(c.Dates(date(2027, 1, 1), date(2027, 12, 1), tuple(
        date(2027, m, 1) for m in (2, 3, 4, 5))))
    assert c.relances_de(date(2027, 3, 16), None, None) == (date(2027, 3, 16),)
    assert c.erreurs_relances_saisies(None, date(2027, 3, 16), None) != []
    assert c.erreurs_relances_saisies(date(2027, 3, 16), None, None) == []


@pytest.mark.parametrize("statut, jour, attendu", [
    # A draft never moves on its own, whatever the day.
    ("draft", date(2027, 2, 28), "draft"), ("draft", date(2027, 3, 1), "draft"), ("draft", date(2027, 6, 1), "draft"),
    # Planned: the day before its launch, planned; on its launch day, ongoing.
    ("planned", date(2027, 2, 28), "planned"), ("planned", date(2027, 3, 1), "ongoing"),
    # Ongoing on its end day; finished the day after.
    ("ongoing", date(2027, 5, 31), "ongoing"), ("ongoing", date(2027, 6, 1), "finished"),
    ("ongoing", date(2027, 3, 10), "ongoing"),
    # A run that missed the whole campaign: planned to finished at once.
    ("planned", date(2027, 6, 1), "finished"),
    ("finished", date(2027, 4, 1), "finished"),
])
def test_every_status_on_its_date(statut, jour, attendu):
    assert c.statut_le(statut, D, jour) == attendu


def test_active_and_overlap():
    assert c.active("planned") and c.active("ongoing") and not c.active("draft") and not c.active("finished")
    assert c.chevauchent(D, c.Dates(date(2027, 5, 31), date(2027, 7, 1)))        # one day in common
    assert not c.chevauchent(D, c.Dates(date(2027, 6, 1), date(2027, 7, 1)))     # the day after
    assert c.chevauchent(D, c.Dates(date(2027, 1, 1), date(2027, 12, 31)))       # inside


def test_invitation_due():
    assert c.invitation_due("ongoing", None)
    assert not c.invitation_due("ongoing", date(2027, 3, 1))
    assert not c.invitation_due("planned", None) and not c.invitation_due("draft", None)


@pytest.mark.parametrize("jour, invitee, envoyees, repondu, attendu", [
    (date(2027, 3, 15), date(2027, 3, 1), set(), False, None),       # the day before reminder 1
    (date(2027, 3, 16), date(2027, 3, 1), set(), False, 1),          # reminder 1 on its date
    (date(2027, 3, 17), date(2027, 3, 1), {1}, False, None),         # already sent
    (date(2027, 4, 1), date(2027, 3, 1), {1}, False, 2),             # reminder 2 on its date
    (date(2027, 4, 20), date(2027, 3, 1), set(), False, 3),          # days missed: only the latest due
    (date(2027, 4, 20), date(2027, 3, 1), {3}, False, None),
    (date(2027, 4, 1), date(2027, 3, 1), {1}, True, None),           # answered: no reminder
    (date(2027, 3, 20), date(2027, 3, 18), set(), False, None),      # invited after reminder 1's date
    (date(2027, 4, 1), date(2027, 3, 18), set(), False, 2),          # but before reminder 2's
    (date(2027, 3, 16), None, set(), False, None),                   # never invited (no address)
    (date(2027, 6, 1), date(2027, 3, 1), set(), False, None),        # after the end
])
def test_reminders_due(jour, invitee, envoyees, repondu, attendu):
    assert c.relance_due("ongoing", D, jour, invitee, envoyees, repondu) == attendu
    assert c.relance_due("finished", D, jour, invitee, envoyees, repondu) is None


def test_the_message_carries_the_link():
    texte = c.texte(commune="Arras", code="62041", nom_campagne="Recensement 2027", d=D,
                    lien="https://objets.example/lien?t=abc", url_publique="https://objets.example/",
                    validite=timedelta(hours=48))
    assert "https://objets.example/lien?t=abc" in texte and "48 heures" in texte and "31/05/2027" in texte
    assert "fait suite" not in texte
    relance = c.texte(commune="Arras", code="62041", nom_campagne="Recensement 2027", d=D, lien="L",
                      url_publique="https://objets.example", validite=timedelta(hours=48), relance=2)
    assert "fait suite à notre invitation" in relance
    assert c.sujet("Recensement 2027", 2).startswith("Relance 2 : Recensement 2027")
