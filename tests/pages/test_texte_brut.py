"""Imported and typed text is shown as text: an objet whose title, édifice and notes, a
commune whose name and note, a département and a conservateur whose names hold Markdown
links, images, HTML and emphasis open /objet, /commune, /carte (the commune's panel),
/urgences and the home page, as the administrator and as the conservateur, and no element
that renders Markdown receives a construct Streamlit would render (titles, captions,
alerts, labels, metrics…). A refusal that quotes a name (a save conflict) too."""
import re

import pytest

from dashboard.app.texte import sans_markdown
from tests.pages.apptest import open_page, q
from tests.pages.visible import texts

PIEGE = ("[clic](javascript:alert(1)) ![x](http://evil/x.png) <img src=x onerror=alert(1)> **gras** "
         "<http://evil/> www.evil.example")
# What Streamlit would render of PIEGE if it reached an element that renders Markdown unescaped
# (the app's own links, such as the sidebar's "[Crédits et sources](/donnees)", are not in it).
CONSTRUCTIONS = ("[clic](", "![x](", "<img", "<http", "**gras**", "www.evil", "http://evil")
# Elements that show their value as plain text: the check is for the others.
TEXTE_BRUT = ("text", "code", "dataframe", "table", "text_input (valeur)", "text_area (valeur)", "(option)")


def rendered_markdown(at) -> list[tuple[str, str]]:
    """(where, text) of every text the page gives to an element that renders Markdown."""
    return [(where, text) for where, text in texts(at)
            if not any(where.split(" › ")[-1].startswith(k) or k in where for k in TEXTE_BRUT)]


def constructions(at) -> list[tuple[str, str]]:
    found = []
    for where, text in rendered_markdown(at):
        syntax = re.sub(r"\\.", "", text)  # an escaped character is shown as itself
        found += [(where, text[:120]) for c in CONSTRUCTIONS if c in syntax]
    return found


@pytest.fixture(scope="module")
def piege(fresh_database, demo_template) -> dict:
    url = fresh_database(demo_template)
    row = q(url, """
        SELECT o.ref, o.commune_code, o.departement_code, c.id
        FROM objet o
        JOIN recensement_courant c ON c.objet_ref = o.ref
        JOIN recensement r ON r.id = c.id
        JOIN dossier d ON d.id = r.dossier_id
        WHERE d.statut = 'submitted' AND c.recensable AND o.departement_code IN ('62', '59')
        ORDER BY o.ref LIMIT 1""")[0]
    ref, commune, departement, recensement = row
    q(url, "UPDATE objet SET titre = :p, edifice_nom = :p, edifice_id = NULL, emplacement = :p WHERE ref = :r",
      p=PIEGE, r=ref)
    q(url, "UPDATE recensement SET notes = :p WHERE id = :i", p=PIEGE, i=recensement)
    q(url, "UPDATE dossier SET notes_commune = :p WHERE id = (SELECT dossier_id FROM recensement WHERE id = :i)",
      p=PIEGE, i=recensement)
    q(url, "UPDATE commune SET nom = :p WHERE code_insee = :c", p=PIEGE, c=commune)
    q(url, "UPDATE departement SET nom = :p WHERE code = :d", p=PIEGE, d=departement)
    q(url, "UPDATE app_user SET nom = :p WHERE demo AND role = 'conservateur'", p=PIEGE)
    return {"url": url, "ref": ref, "commune": commune, "departement": departement, "recensement": recensement}


PAGES = [("objet.py", "ref"), ("commune.py", "code"), ("carte.py", "commune"), ("urgences.py", None),
         ("accueil.py", None)]


@pytest.mark.parametrize("role", ["admin", "conservateur"])
@pytest.mark.parametrize("page, param", PAGES)
def test_no_markdown_reaches_the_page(piege, use_database, role, page, param):
    use_database(piege["url"])
    query = {}
    if param == "ref":
        query = {"ref": piege["ref"]}
    elif param:
        query = {param: piege["commune"]}
    at = open_page(piege["url"], role, page, **query)
    assert not constructions(at), constructions(at)
    if page == "objet.py":
        assert at.title[0].value == sans_markdown(PIEGE)                     # the title, escaped
        assert PIEGE in [t.value for t in at.text] or any(PIEGE in t.value for t in at.text)  # notes: plain text
    if page == "commune.py":
        assert at.title[0].value == sans_markdown(PIEGE)
        assert any(m.value.startswith("**" + sans_markdown(PIEGE) + "**") for m in at.markdown)  # the édifice


def test_a_refusal_quoting_a_name_is_escaped(piege, use_database):
    """A conflict names who saved meanwhile: that name is shown as text."""
    use_database(piege["url"])
    at = open_page(piege["url"], "conservateur", "objet.py", ref=piege["ref"])
    q(piege["url"], "UPDATE recensement SET version = version + 1, "
      "analyse_par = (SELECT id FROM app_user WHERE demo AND role = 'conservateur') WHERE id = :i",
      i=piege["recensement"])
    next(b for b in at.button if b.label == "Enregistrer l'analyse").click().run()
    assert not at.exception
    refus = [e.value for e in at.error if "modifié" in e.value]
    assert refus and sans_markdown(PIEGE) in refus[0]
    assert not constructions(at), constructions(at)
