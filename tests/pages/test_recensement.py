"""/recensement under AppTest (issue 15): a commune starts its dossier, answers an objet step
by step (a refused answer says why in French and keeps what was saved), a move to a commune
that does not exist is refused, a note holding a script and Markdown is shown as text, and a
conservateur opens the commune's questionnaire read-only."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from tests import questionnaire_aide as aide
from tests.pages.apptest import APP, ROOT, q
from tests.pages.test_texte_brut import constructions
from tests.pages.visible import texts

PAGE = str(ROOT / "pages" / "recensement.py")
NOTE = '<script>alert("x")</script> **gras** [lien](http://evil.example) ![i](http://evil/x.png)'


@pytest.fixture
def ctx(writable_demo_db_url, use_database, tmp_path, monkeypatch):
    use_database(writable_demo_db_url)
    monkeypatch.setenv("OBJETS_PHOTOS", str(tmp_path / "photos"))   # never the repository's data directory
    with db.engine_for(writable_demo_db_url).begin() as conn:
        code = aide.commune_a_recenser(conn)
        user = aide.compte_commune(conn, code, demo=True)
        refs = aide.objets(conn, code)
    return {"url": writable_demo_db_url, "code": code, "user": user, "refs": refs}


def ouvrir(user_id: int, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = user_id
    at.switch_page(PAGE)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def bouton(at, key):
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def erreurs(at) -> str:
    """The error messages as shown (sans_markdown's escapes removed)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


def test_a_commune_starts_and_answers_step_by_step_with_french_refusals(ctx):
    at = ouvrir(ctx["user"].id)
    assert "Recensement des objets" in at.title[0].value
    assert any("Juger l'état" in m.value for m in at.markdown)          # the guide
    bouton(at, "commencer")
    assert q(ctx["url"], "SELECT count(*) FROM dossier WHERE commune_code = :c AND statut = 'construction'",
             c=ctx["code"])[0][0] == 1
    ref = ctx["refs"][0]
    bouton(at, f"ouvrir_{ref}")
    assert at.query_params["objet"] == [ref] or at.query_params["objet"] == ref
    assert any("Étape 1 sur" in m.value for m in at.markdown)
    # Introuvable without the confirmation: refused in French, nothing saved.
    radio = next(r for r in at.radio if r.label.startswith("Où se trouve"))
    radio.set_value("absent").run()
    bouton(at, f"enregistrer_{ref}_localisation")
    assert "Confirmez que l'objet est introuvable" in erreurs(at)
    assert q(ctx["url"], "SELECT count(*) FROM recensement r JOIN dossier d ON d.id = r.dossier_id "
                         "WHERE d.commune_code = :c", c=ctx["code"])[0][0] == 0
    next(c for c in at.checkbox if "introuvable" in c.label).check().run()
    bouton(at, f"enregistrer_{ref}_localisation")
    assert not at.error
    assert q(ctx["url"], "SELECT localisation::text FROM recensement r JOIN dossier d ON d.id = r.dossier_id "
                         "WHERE d.commune_code = :c AND r.objet_ref = :r", c=ctx["code"], r=ref)[0][0] == "absent"
    # Next step: the note, with a script and Markdown; then the check shows it as text.
    assert any("Commentaire" in m.value for m in at.markdown)
    at.text_area[0].set_value(NOTE).run()
    bouton(at, f"enregistrer_{ref}_notes")
    assert q(ctx["url"], "SELECT notes FROM recensement WHERE objet_ref = :r AND statut <> 'deleted' "
                         "ORDER BY id DESC LIMIT 1", r=ref)[0][0] == NOTE
    assert any(NOTE in t.value for t in at.text)
    assert not constructions(at), constructions(at)
    bouton(at, f"enregistrer_{ref}_validation")
    assert q(ctx["url"], "SELECT statut::text FROM recensement WHERE objet_ref = :r AND statut <> 'deleted' "
                         "ORDER BY id DESC LIMIT 1", r=ref)[0][0] == "completed"
    assert any("enregistré" in s.value for s in at.success)


def test_a_move_to_a_commune_that_does_not_exist_is_refused_and_keeps_what_was_saved(ctx):
    at = ouvrir(ctx["user"].id)
    bouton(at, "commencer")
    ref = ctx["refs"][1]
    bouton(at, f"ouvrir_{ref}")
    next(r for r in at.radio if r.label.startswith("Où se trouve")).set_value("edifice_initial").run()
    bouton(at, f"enregistrer_{ref}_localisation")
    bouton(at, f"precedente_{ref}_recensable")
    next(r for r in at.radio if r.label.startswith("Où se trouve")).set_value("deplacement_autre_commune").run()
    champ = next(t for t in at.text_input if t.label == "Commune où se trouve l'objet")
    champ.input("Zzyzx-sur-Nulle-Part").run()
    assert any("Aucune commune ne correspond" in c.value for c in at.caption)
    bouton(at, f"enregistrer_{ref}_localisation")
    assert "Choisissez la commune" in erreurs(at)
    assert q(ctx["url"], "SELECT localisation::text FROM recensement WHERE objet_ref = :r AND statut <> 'deleted'",
             r=ref)[0][0] == "edifice_initial"


def test_a_conservateur_reads_a_commune_questionnaire_without_changing_it(ctx):
    at = ouvrir(ctx["user"].id)
    bouton(at, "commencer")
    cons = q(ctx["url"], "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")[0][0]
    at = ouvrir(cons, commune=ctx["code"])
    assert "Consultation" in " ".join(i.value for i in at.info)
    assert not [b for b in at.button if b.key and re.match(r"(commencer|transmettre|enregistrer_)", b.key)]
    at = ouvrir(cons, commune="00000")
    assert "Aucune commune de code 00000" in erreurs(at)
    at = ouvrir(cons)                                  # no commune: chosen by name
    assert any(t.label == "Commune" for t in at.text_input)


def test_the_commune_home_page_leads_to_the_questionnaire(ctx):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = ctx["user"].id
    at.run()
    assert any("questionnaire" in str(getattr(e, "proto", "")) for e in at.get("page_link")) or \
        any("questionnaire" in t for _, t in texts(at))


def test_the_commune_reads_the_conservateur_s_decision_notes_and_a_sending_back(ctx):
    """Item 4 of the issue: what the conservateur wrote for the commune, as text, on its page."""
    at = ouvrir(ctx["user"].id)
    bouton(at, "commencer")
    dossier = q(ctx["url"], "SELECT id FROM dossier WHERE commune_code = :c AND statut = 'construction'",
                c=ctx["code"])[0][0]
    q(ctx["url"], "UPDATE dossier SET renvoye_le = now(), renvoi_motif = :m, renvoye_par = "
                  "(SELECT id FROM app_user WHERE demo AND role = 'conservateur') WHERE id = :d", m=NOTE, d=dossier)
    at = ouvrir(ctx["user"].id)
    assert any(NOTE == t.value for t in at.text) and "renvoyé" in " ".join(w.value for w in at.warning)
    q(ctx["url"], "UPDATE dossier SET statut = 'accepted', submitted_at = now(), accepted_at = now(), "
                  "visite = 'souhaitable', notes_conservateur = :n WHERE id = :d", n="Merci. " + NOTE, d=dossier)
    at = ouvrir(ctx["user"].id)
    assert any("Décision du conservateur : dossier accepté" in s.value for s in at.success)
    assert any(t.value == "Merci. " + NOTE for t in at.text)
    assert not constructions(at), constructions(at)


def test_a_conservateur_sends_a_submitted_dossier_back_from_the_commune_page(writable_demo_db_url, use_database):
    use_database(writable_demo_db_url)
    url = writable_demo_db_url
    did, code = q(url, "SELECT d.id, d.commune_code FROM dossier d JOIN commune c ON c.code_insee = d.commune_code "
                       "WHERE d.statut = 'submitted' AND c.departement_code IN ('62', '59') ORDER BY d.id LIMIT 1")[0]
    cons = q(url, "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")[0][0]
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = cons
    at.switch_page(str(ROOT / "pages" / "commune.py"))
    at.query_params["code"] = code
    at.run()
    bouton(at, f"dossier_{did}_renvoyer")                         # no reason given: refused, nothing changed
    assert "motif du renvoi est obligatoire" in erreurs(at)
    assert q(url, "SELECT statut::text FROM dossier WHERE id = :d", d=did)[0][0] == "submitted"
    at.text_area(key=f"dossier_{did}_motif").set_value("Il manque la photo du calice.").run()
    bouton(at, f"dossier_{did}_renvoyer")
    assert q(url, "SELECT statut::text, renvoi_motif FROM dossier WHERE id = :d", d=did)[0] == \
        ("construction", "Il manque la photo du calice.")
    assert any("renvoyé à la commune" in s.value for s in at.success)


def test_the_conservateur_sees_the_photos_on_the_fiches_thumbnails_first(ctx, tmp_path):
    from dashboard.stockage.repertoire import StockageRepertoire
    from dashboard.writes import questionnaire as ecritures
    from tests.writes import test_questionnaire as w

    aide_ctx = {**ctx, "stockage": StockageRepertoire(tmp_path / "photos")}   # OBJETS_PHOTOS of the fixture
    dossier = w.run(aide_ctx, ecritures.commencer, ctx["code"])
    w.present(aide_ctx, dossier, ctx["refs"][0])
    w.etapes(aide_ctx, dossier, ctx["refs"][1], w.ABSENT)
    version = q(ctx["url"], "SELECT version FROM dossier WHERE id = :d", d=dossier)[0][0]
    w.run(aide_ctx, ecritures.soumettre, dossier, version)
    cons = q(ctx["url"], "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")[0][0]
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = cons
    at.switch_page(str(ROOT / "pages" / "objet.py"))
    at.query_params["ref"] = ctx["refs"][0]
    at.run()
    assert not at.exception, at.exception
    assert any("Photos transmises par la commune" in m.value for m in at.markdown)
    images = at.get("image")
    assert len(images) == 1 and "Photo 1" in str(images[0].proto)
    at.toggle[0].set_value(True).run()
    assert "en grand" in str(at.get("image")[0].proto)
    at.switch_page(str(ROOT / "pages" / "commune.py"))
    at.query_params.clear()
    at.query_params["code"] = ctx["code"]
    at.run()
    assert not at.exception, at.exception
    assert any("Photos des recensements courants (1)" in e.label for e in at.expander)
