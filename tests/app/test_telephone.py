"""Phones, pages of rows and the cards of /urgences and the inbox (dashboard/app/listes.py):
pure, no Streamlit run."""
from datetime import date

import pandas as pd

from dashboard.app import listes
from dashboard.reads import dossiers, urgences

PIXEL = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0 Mobile Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.0 Mobile/15E148 Safari/604.1")
IPAD = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Safari/605.1.15")
BUREAU = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36"


def test_phones_are_told_by_their_user_agent():
    assert listes.est_un_telephone(PIXEL) and listes.est_un_telephone(IPHONE)
    assert not listes.est_un_telephone(IPAD) and not listes.est_un_telephone(BUREAU)
    assert not listes.est_un_telephone(None) and not listes.est_un_telephone("")


def test_a_page_of_rows_stays_within_the_list():
    assert listes.nombre_de_pages(0, 10) == 1 and listes.nombre_de_pages(10, 10) == 1
    assert listes.nombre_de_pages(11, 10) == 2
    assert listes.tranche(25, 0, 10) == (0, 0, 10)
    assert listes.tranche(25, 2, 10) == (2, 20, 25)
    # A list that shrank under a saved page shows its last page; a negative page the first.
    assert listes.tranche(25, 7, 10) == (2, 20, 25)
    assert listes.tranche(25, -1, 10) == (0, 0, 10)
    assert listes.tranche(0, 3, 10) == (0, 0, 0)


def _cas(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "niveau": ["prioritaire"] * n, "titre": [None] + ["Calice *gras* <b>x</b>"] * (n - 1),
        "ref": [f"PM6200{i:04d}" for i in range(n)], "categorie": [["orfèvrerie"]] * n,
        "protection": ["classe"] * n, "commune_nom": ["Arras"] * n, "commune_code": ["62041"] * n,
        "departement_code": ["62"] * n, "departement_nom": ["Pas-de-Calais"] * n,
        "etat_sanitaire": ["peril"] * n, "localisation": ["edifice_initial"] * n, "recensable": [True] * n,
        "securisation": [None] * n, "corrige": [False] * n, "analyse": [False] * n, "nouveau": [True] * n,
        "recense_le": [pd.Timestamp("2026-03-01T23:30:00Z")] * n,
        "transmis_le": [pd.Timestamp("2026-03-02T10:00:00Z")] + [pd.NaT] * (n - 1),
    })


def test_urgences_cards_say_what_where_and_lead_to_the_fiche_with_the_view():
    table = urgences.tableau(_cas(3))
    cartes = listes.cartes_urgences(table, {"departement": "62", "niveau": "prioritaire", "categorie": "x"})
    assert len(cartes) == 3
    premiere, deuxieme = cartes[0], cartes[1]
    assert premiere.titre == "Objet sans titre (PM62000000)"
    assert deuxieme.titre == "Calice *gras* <b>x</b> (PM62000001)"   # plain text: escaped when drawn
    assert premiere.lignes[1] == "Arras (62041) · 62 Pas-de-Calais"
    assert "transmis le 02/03/2026" in premiere.lignes[2] and "transmis" not in deuxieme.lignes[2]
    assert premiere.page == "objet"
    # The view's own filters go along (Back returns to it), the bound catégorie does not.
    assert premiere.params == {"departement": "62", "niveau": "prioritaire", "ref": "PM62000000"}


def test_inbox_cards_open_the_commune_and_say_where_its_examen_stands():
    liste = pd.DataFrame({
        "commune_code": ["62041", "59350"], "commune_nom": ["Arras", "Lille"], "departement_code": ["62", "59"],
        "departement_nom": ["Pas-de-Calais", "Nord"],
        "submitted_at": [pd.Timestamp("2026-11-30T23:30:00Z"), pd.Timestamp("2026-01-05T09:00:00Z")],
        "recensements": [4, 1], "analyses": [0, 1], "prioritaires": [2, 0], "prioritaires_non_analyses": [2, 0],
        "visite": ["aucune", "souhaitee"], "notes_commune": [None, "Merci"],
    })
    cartes = listes.cartes_a_examiner(dossiers.tableau(liste), list(liste["commune_code"]))
    assert [c.params for c in cartes] == [{"code": "62041"}, {"code": "59350"}]
    assert cartes[0].titre == "Arras (62041) · 62 Pas-de-Calais"
    # 23:30 UTC on 30 November is 1 December in France.
    assert cartes[0].lignes[0].startswith("Transmis le 01/12/2026")
    assert "4 recensements · 0 analysé · 2 prioritaires (dont 2 à analyser)" == cartes[0].lignes[1]
    assert "1 recensement · 1 analysé · 0 prioritaire" in cartes[1].lignes[1]
    assert all(c.page == "commune" for c in cartes)
    assert date(2026, 1, 5).strftime("%d/%m/%Y") in cartes[1].lignes[0]
