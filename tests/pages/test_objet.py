"""/objet?ref=REF under AppTest: bad URLs, what is shown, notes as plain text, the refused concurrent save."""

import pytest

from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.visible import tel_quel

HTML_NOTE = '<script>alert("x")</script><b>gras</b> **pas du markdown** <img src=x onerror=alert(1)>'


def open_page(url, role, **query):
    return apptest.open_page(url, role, "objet.py", **query)


def test_unknown_and_out_of_scope_refs_give_a_clear_message(demo_db_url, use_database):
    use_database(demo_db_url)
    at = open_page(demo_db_url, "admin", ref="PM99<script>")
    assert any("Aucun objet ne porte la référence" in e.value for e in at.error)
    outside = q(demo_db_url, "SELECT ref FROM objet WHERE departement_code NOT IN ('59', '62') ORDER BY ref LIMIT 1")[0][0]
    at = open_page(demo_db_url, "conservateur", ref=outside)
    assert any("n'est pas dans votre périmètre" in e.value for e in at.error)
    at = open_page(demo_db_url, "admin")
    assert at.text_input[0].label.startswith("Rechercher un objet")


def test_objet_shows_palissy_fields_history_and_pop_link(demo_db_url, use_database):
    use_database(demo_db_url)
    ref, titre, n = q(demo_db_url, """
        SELECT o.ref, o.titre, count(*) FROM objet o JOIN recensement r ON r.objet_ref = o.ref
        JOIN dossier d ON d.id = r.dossier_id
        WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL
        GROUP BY o.ref ORDER BY count(*) DESC, o.ref LIMIT 1""")[0]
    at = open_page(demo_db_url, "admin", ref=ref.lower())
    assert tel_quel(at.title[0].value) == titre
    history = at.dataframe[1].value
    assert len(history) == n and n >= 2
    dates = list(history["Date"])
    assert dates == sorted(dates, reverse=True)
    buttons = at.get("link_button")
    assert any(f"notice/palissy/{ref}" in b.proto.url for b in buttons)


@pytest.fixture
def absent_case(writable_demo_db_url):
    """A submitted, unanalysed absent recensement (current) in the conservateur's départements."""
    row = q(writable_demo_db_url, """
        SELECT s.ref, s.recensement_id FROM objet_situation s
        JOIN recensement r ON r.id = s.recensement_id JOIN dossier d ON d.id = r.dossier_id
        WHERE d.statut = 'submitted' AND s.departement_code IN ('59', '62') AND r.recensable
        ORDER BY s.ref LIMIT 1""")[0]
    q(writable_demo_db_url, """UPDATE recensement SET localisation = 'absent', recensable = false,
        etat_sanitaire = NULL, securisation = NULL, analyse_etat_sanitaire = NULL, analyse_securisation = NULL,
        analyse_fiches = ARRAY[]::text[], notes = :n WHERE id = :i""", n=HTML_NOTE, i=row.recensement_id)
    return writable_demo_db_url, row.ref, row.recensement_id


def test_notes_are_shown_as_plain_text(absent_case, use_database):
    url, ref, rid = absent_case
    long_note = "<i>" + "é" * 100_000 + "</i>"
    q(url, "UPDATE recensement SET analyse_notes = :n, analyse_le = now() WHERE id = :i", n=long_note, i=rid)
    use_database(url)
    at = open_page(url, "conservateur", ref=ref)
    texts = [t.value for t in at.text]
    assert HTML_NOTE in texts and long_note in texts
    rendered = [m.value for m in at.markdown] + [h.proto.body for h in at.get("html")]
    assert not any("<script" in value or "onerror" in value for value in rendered)
    assert at.text_area[0].value == long_note  # the examen form holds it verbatim too


def test_concurrent_examen_second_save_refused(absent_case, use_database):
    url, ref, rid = absent_case
    use_database(url)
    first = open_page(url, "admin", ref=ref)
    second = open_page(url, "conservateur", ref=ref)
    first.text_area[0].input("analyse de l'administratrice")
    submit_first = next(b for b in first.button if b.label == "Enregistrer l'analyse")
    submit_first.click().run()
    assert not first.exception
    assert any("Analyse enregistrée" in s.value for s in first.success)

    second.text_area[0].input("analyse de la conservatrice")
    next(b for b in second.button if b.label == "Enregistrer l'analyse").click().run()
    assert not second.exception
    assert any("modifié" in e.value and "Rechargez" in e.value for e in second.error)
    stored = q(url, "SELECT analyse_notes FROM recensement WHERE id = :i", i=rid)[0][0]
    assert stored == "analyse de l'administratrice"
    # Reloading takes the version now stored; the next save goes through.
    next(b for b in second.button if b.label == "Recharger la version actuelle").click().run()
    assert not second.error and second.text_area[0].value == "analyse de l'administratrice"
    second.text_area[0].input("analyse relue")  # form values go with the submit
    next(b for b in second.button if b.label == "Enregistrer l'analyse").click().run()
    assert q(url, "SELECT analyse_notes FROM recensement WHERE id = :i", i=rid)[0][0] == "analyse relue"


def test_disparu_follow_up_form(absent_case, use_database):
    url, ref, rid = absent_case
    use_database(url)
    at = open_page(url, "conservateur", ref=ref)
    assert any(s.value == "Suivi de la disparition" for s in at.subheader)
    by_label = {t.label: t for t in at.text_input}
    by_label["Référence OCBC"].input("OCBC-2025-9")
    dates = {d.label: d for d in at.date_input}
    dates["Signalé à l'OCBC le"].set_value(__import__("datetime").date(2025, 1, 15))
    next(b for b in at.button if b.label == "Enregistrer le suivi").click().run()
    assert not at.exception
    assert q(url, "SELECT ocbc_reference, ocbc_signale_le::text FROM suivi_disparition WHERE recensement_id = :i",
             i=rid)[0] == ("OCBC-2025-9", "2025-01-15")
