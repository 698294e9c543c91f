"""The one search under AppTest: words typed on /objet and /commune list what holds them (each a
link to its fiche, in the same tab), a wrong code in the URL is corrected in place."""
from urllib.parse import parse_qs

from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.visible import tel_quel


def liens(at) -> list[tuple[str, dict, str]]:
    """The page links shown: (page, query, label as written)."""
    return [(p.proto.page, {k: v[0] for k, v in parse_qs(p.proto.query_string).items()}, tel_quel(p.proto.label))
            for p in at.get("page_link")]


def test_words_typed_on_objet_list_objets_not_a_bad_reference(demo_db_url, use_database):
    """Issue 11: typing "calice" answered "no objet has the reference CALICE"."""
    use_database(demo_db_url)
    at = apptest.open_page(demo_db_url, "conservateur", "objet.py")
    at.text_input(key="recherche_ref").input("calice").run()
    assert not at.exception and not at.error
    trouves = [(query["ref"], label) for page, query, label in liens(at) if page == "objet"]
    assert trouves and all("calice" in label.lower() for _, label in trouves)
    deps = {r[0] for r in q(demo_db_url, "SELECT DISTINCT departement_code FROM objet WHERE ref = ANY(:r)",
                            r=[ref for ref, _ in trouves])}
    assert deps <= {"59", "62"}


def test_a_ref_typed_opens_the_fiche(demo_db_url, use_database):
    use_database(demo_db_url)
    ref, titre = q(demo_db_url, "SELECT ref, titre FROM objet WHERE departement_code = '62' ORDER BY ref LIMIT 1")[0]
    at = apptest.open_page(demo_db_url, "conservateur", "objet.py")
    at.text_input(key="recherche_ref").input(f" {ref.lower()} ").run()
    assert tel_quel(at.title[0].value) == titre


def test_a_wrong_ref_in_the_url_is_corrected_in_place(demo_db_url, use_database):
    use_database(demo_db_url)
    ref, titre = q(demo_db_url, "SELECT ref, titre FROM objet WHERE departement_code = '59' ORDER BY ref LIMIT 1")[0]
    at = apptest.open_page(demo_db_url, "conservateur", "objet.py", ref="PM00000000")
    assert any("Aucun objet ne porte la référence" in e.value for e in at.error)
    field = at.text_input(key="recherche_ref")  # the field stays offered beside the error
    field.input(ref).run()
    assert not at.exception and not at.error
    assert tel_quel(at.title[0].value) == titre and at.query_params["ref"] in (ref, [ref])


def test_commune_found_by_a_name_without_accents_nor_hyphens(demo_db_url, use_database):
    use_database(demo_db_url)
    at = apptest.open_page(demo_db_url, "conservateur", "commune.py", code="99999")
    assert any("Aucune commune ne porte le code INSEE" in e.value for e in at.error)
    at.text_input(key="recherche_code").input("courcelles les lens").run()
    assert not at.exception
    assert liens(at)[0][:2] == ("commune", {"code": "62249"}) and "Courcelles-lès-Lens" in liens(at)[0][2]
    # Outside the scope: nothing suggested.
    at.text_input(key="recherche_code").input("marseille").run()
    assert not [link for link in liens(at) if link[0] == "commune"]
    # A code typed opens the fiche.
    at.text_input(key="recherche_code").input("62249").run()
    assert tel_quel(at.title[0].value) == "Courcelles-lès-Lens"


def test_the_url_names_the_fiche_shown(demo_db_url, use_database):
    """A suggestion is a link to this same page, which Streamlit 1.67 follows without
    writing its parameters in the address bar: the page writes the code back (normalised),
    so the URL can be copied (tests/browser/test_recherche_urgences.py follows the click)."""
    use_database(demo_db_url)
    ref, titre = q(demo_db_url, "SELECT ref, titre FROM objet WHERE departement_code = '62' ORDER BY ref LIMIT 1")[0]
    at = apptest.open_page(demo_db_url, "conservateur", "objet.py", ref=f" {ref.lower()}")
    assert tel_quel(at.title[0].value) == titre
    assert at.query_params["ref"] in (ref, [ref])
