"""/urgences and its URL under AppTest: a URL opens the view it names (widgets and table), a bad
value is said in French and the good ones kept, a commune is chosen by name with the app's
search, a selected row opens the fiche in this tab, a selection never outlives its view."""
from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.visible import tel_quel


def open_page(url, role="admin", **query):
    return apptest.open_page(url, role, "urgences.py", **query)


def param(at, key: str) -> str | None:
    """A URL parameter after the run (AppTest keeps a list once the page has written it)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def widget(at, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


def test_a_url_opens_the_view_it_names(demo_db_url, use_database):
    use_database(demo_db_url)
    dep, niveau, categorie = q(demo_db_url, """
        SELECT s.departement_code, s.urgence, cat FROM objet_situation s CROSS JOIN unnest(s.categorie) cat
        WHERE s.urgence IS NOT NULL AND NOT coalesce(s.analyse, false)
        GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 1, 3 LIMIT 1""")[0]
    constat = "peril,disparu" if niveau == "prioritaire" else "mauvais,en_danger"
    at = open_page(demo_db_url, departement=dep, niveau=niveau, constat=constat, examen="non", categorie=categorie)
    assert not at.warning
    assert widget(at, "multiselect", "Département").value == [dep]
    assert widget(at, "multiselect", "Niveau").value == [niveau]
    assert widget(at, "multiselect", "Constat").value == constat.split(",")
    assert widget(at, "radio", "Examen").value is False
    assert widget(at, "selectbox", "Catégorie").value == categorie   # bound: Streamlit read it from the URL
    table = at.dataframe[0].value
    want = {r[0] for r in q(demo_db_url, """
        SELECT s.ref FROM objet_situation s WHERE s.urgence = :n AND s.departement_code = :d
          AND NOT coalesce(s.analyse, false) AND CAST(:c AS text) = ANY (s.categorie)""", n=niveau, d=dep, c=categorie)}
    assert set(table["REF"]) == want and want
    # The page keeps the URL it was given (the same view once the run is over).
    assert {k: param(at, k) for k in ("departement", "niveau", "constat", "examen")} == {
        "departement": dep, "niveau": niveau, "constat": constat, "examen": "non"}


def test_bad_values_are_said_in_french_and_the_good_ones_kept(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "conservateur", departement="62", commune="99999", niveau="urgentissime",
                   examen="<b>x</b>")
    messages = " ".join(w.value for w in at.warning)
    assert "Commune inconnue ou hors de votre périmètre : 99999" in messages and "le département est gardé" in messages
    assert "Niveau inconnu" in messages and "oui ou non" in messages and "<b>" not in messages
    assert widget(at, "multiselect", "Département").value == ["62"]
    assert {d.split()[0] for d in at.dataframe[0].value["Département"]} == {"62"}
    # A commune outside the scope is refused the same way.
    at = open_page(demo_db_url, "conservateur", commune="75056")
    assert any("hors de votre périmètre" in w.value for w in at.warning)


def test_a_commune_typed_without_accents_filters_and_goes_in_the_url(demo_db_url, use_database):
    use_database(demo_db_url)
    code, nom = q(demo_db_url, """
        SELECT c.code_insee, c.nom FROM objet_situation s JOIN commune c ON c.code_insee = s.commune_code
        WHERE s.urgence IS NOT NULL AND c.nom ~ '[-éèÉ]' AND s.departement_code IN ('59', '62')
        GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1""")[0]
    typed = nom.lower().replace("-", " ").replace("é", "e").replace("è", "e")
    at = open_page(demo_db_url, "conservateur")
    at.text_input(key="urgences_commune_texte").input(typed).run()
    assert not at.exception
    assert at.selectbox(key="urgences_commune_choix").value == code
    assert set(at.dataframe[0].value["Commune"]) == {f"{nom} ({code})"}
    assert param(at, "commune") == code
    # Reloading that URL gives the same view: the commune is chosen again.
    again = open_page(demo_db_url, "conservateur", commune=code)
    assert again.selectbox(key="urgences_commune_choix").value == code and not again.warning
    assert set(again.dataframe[0].value["Commune"]) == {f"{nom} ({code})"}


def test_a_selected_row_opens_the_fiche_in_this_tab(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, niveau="preoccupant")
    table = at.dataframe[0]
    ref, titre = table.value.iloc[2][["REF", "Objet"]]
    at.session_state[table.key] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert tel_quel(at.title[0].value) == titre and param(at, "ref") == ref
    # The view's filters went along: the URL /urgences is given as it leaves keeps them, so the
    # back button returns to this view (tests/browser/test_recherche_urgences.py).
    assert param(at, "niveau") == "preoccupant"


def test_a_selection_does_not_outlive_its_view(demo_db_url, use_database):
    """Rows are positions: a row picked in one view, kept when the filters change, would name
    another objet of the next view."""
    use_database(demo_db_url)
    at = open_page(demo_db_url)
    before = at.dataframe[0].key
    widget(at, "multiselect", "Niveau").select("preoccupant").run()
    after = at.dataframe[0].key
    assert before != after and before not in at.session_state
    assert tel_quel(at.title[0].value) == "Cas urgents"
