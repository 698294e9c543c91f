"""What the commune sent, beside the examen (issue 11), and the acceptance that tells the
mairie, under AppTest: /commune and /objet as the demo conservateur."""
import pytest

from tests.pages import apptest
from tests.pages.apptest import q
from tests.pages.visible import tel_quel

NOTES_COMMUNE = "Le calice est rangé à la sacristie.\n<b>pas du HTML</b>"


@pytest.fixture
def dossier(writable_demo_db_url, use_database):
    """A submitted dossier of the conservateur's départements, every recensement analysed
    (it may be accepted), with the commune's notes on the dossier and on one recensement."""
    url = use_database(writable_demo_db_url)
    did, code = q(url, """
        SELECT d.id, d.commune_code FROM dossier d JOIN commune c ON c.code_insee = d.commune_code
        WHERE d.statut = 'submitted' AND c.departement_code IN ('59', '62')
          AND EXISTS (SELECT 1 FROM recensement_effectif e WHERE e.dossier_id = d.id)
        ORDER BY d.id LIMIT 1""")[0]
    q(url, "UPDATE dossier SET notes_commune = :n WHERE id = :d", n=NOTES_COMMUNE, d=did)
    rid, ref = q(url, "SELECT e.id, e.objet_ref FROM recensement_effectif e WHERE e.dossier_id = :d ORDER BY e.id "
                      "LIMIT 1", d=did)[0]
    q(url, "UPDATE recensement SET notes = 'Fissure au pied', nb_photos = 3 WHERE id = :r", r=rid)
    q(url, "UPDATE recensement SET analyse_le = now(), analyse_par = (SELECT id FROM app_user WHERE demo AND "
           "role = 'conservateur') WHERE dossier_id = :d AND statut = 'completed'", d=did)
    return url, did, code, ref


def test_the_commune_sends_beside_the_dossier_form(dossier):
    url, did, code, ref = dossier
    at = apptest.open_page(url, "conservateur", "commune.py", code=code)
    assert any(t.value == NOTES_COMMUNE for t in at.text)              # as written, plain text
    recensements = next(t.value for t in at.dataframe if "Notes de la commune" in t.value.columns)
    row = recensements[recensements["Objet"].str.endswith(f"({ref})")].iloc[0]
    assert row["Notes de la commune"] == "Fissure au pied" and row["Photos"] == 3
    assert at.text_area(key=f"dossier_{did}_notes")                   # the form is there, beside


def test_the_commune_answers_beside_the_objet_examen(dossier):
    url, _, _, ref = dossier
    q(url, "UPDATE dossier SET statut = 'submitted' WHERE id = (SELECT dossier_id FROM recensement_effectif "
           "WHERE objet_ref = :r ORDER BY recense_le DESC LIMIT 1)", r=ref)
    at = apptest.open_page(url, "conservateur", "objet.py", ref=ref)
    reponses = next(t.value for t in at.dataframe if "Réponse de la commune" in t.value.columns)
    assert {"Localisation", "État sanitaire", "Sécurisation"} <= set(reponses["Question"])
    assert any("3 photos transmises" in tel_quel(c.value) for c in at.caption)


def test_accepting_tells_the_mairie_and_the_conservateur_where_it_went(dossier):
    url, did, code, _ = dossier
    q(url, "UPDATE commune SET mairie_email = 'mairie@exemple.fr' WHERE code_insee = :c", c=code)
    at = apptest.open_page(url, "conservateur", "commune.py", code=code)
    at.text_area(key=f"dossier_{did}_notes").input("Bravo pour ce travail.")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    next(b for b in at.button if b.label == "Accepter le dossier").click().run()
    assert not at.exception
    assert any("mairie@exemple.fr" in tel_quel(s.value) for s in at.success)
    ((destinataire, corps),) = q(url, "SELECT destinataire, corps FROM courriel WHERE motif = 'examen_dossier'")
    assert destinataire == "mairie@exemple.fr" and "Bravo pour ce travail." in corps


def test_without_an_address_the_conservateur_is_told(dossier):
    url, did, code, _ = dossier
    q(url, "UPDATE commune SET mairie_email = NULL WHERE code_insee = :c", c=code)
    q(url, "DELETE FROM commune_contact WHERE commune_code = :c", c=code)
    at = apptest.open_page(url, "conservateur", "commune.py", code=code)
    next(b for b in at.button if b.label == "Accepter le dossier").click().run()
    assert not at.exception
    assert any("aucun courriel n'est parti" in w.value for w in at.warning)
    assert q(url, "SELECT statut::text FROM dossier WHERE id = :d", d=did)[0][0] == "accepted"
    assert q(url, "SELECT count(*) FROM courriel WHERE motif = 'examen_dossier'")[0][0] == 0
