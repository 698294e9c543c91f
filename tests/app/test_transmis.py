"""The words about a recensement's photos beside the examen (dashboard.app.transmis): where
they are, stored by the dashboard (the questionnaire's) or kept by the recensement platform."""
from dashboard.app.transmis import legende_photos


def test_photos_stored_here_are_pointed_to():
    assert legende_photos(2, 2, "ci-dessous") == "2 photos transmises, ci-dessous."
    assert legende_photos(1, 1, "ci-dessous") == "1 photo transmise, ci-dessous."


def test_photos_kept_by_the_platform_are_said_to_be_elsewhere():
    assert legende_photos(3, 0, "ci-dessous") == ("3 photos transmises, conservées par la plateforme de recensement "
                                                  "(hors de ce tableau de bord).")
    assert legende_photos(1, 0, "ci-dessous") == ("1 photo transmise, conservée par la plateforme de recensement "
                                                  "(hors de ce tableau de bord).")


def test_some_here_some_there_and_none():
    assert legende_photos(5, 4, "sur la fiche de chaque objet") == (
        "5 photos transmises : 4 sur la fiche de chaque objet, 1 conservée par la plateforme de recensement "
        "(hors de ce tableau de bord).")
    assert legende_photos(0, 0, "ci-dessous") == "Aucune photo transmise."
    # A count behind the stored photos (a recensement being filled in) never says fewer than shown.
    assert legende_photos(0, 2, "ci-dessous") == "2 photos transmises, ci-dessous."
