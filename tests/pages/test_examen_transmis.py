"""What the commune sent, beside the examen (issue 11), and the acceptance that tells the
mairie, under AppTest: /commune and /objet as the demo conservateur."""
import pytest

from dashboard.app.transmis import legende_photos
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


def test_beside_the_examen_the_words_say_where_the_photos_are(dossier):
    """A questionnaire's photos (issue 15) are in the dashboard: beside the examen the words
    point to them; no longer "they will show here once communes can send them"."""
    url, did, _, ref = dossier
    rid = q(url, "SELECT e.id FROM recensement_effectif e WHERE e.dossier_id = :d AND e.objet_ref = :r", d=did, r=ref)[0][0]
    for rang in (1, 2):
        q(url, """INSERT INTO recensement_photo (recensement_id, rang, cle_grande, cle_vignette, largeur, hauteur,
                                                 vignette_largeur, vignette_hauteur, format_origine, octets_origine,
                                                 empreinte)
                  VALUES (:r, :rang, :g, :v, 1200, 900, 400, 300, 'JPEG', 1000, :e)""",
          r=rid, rang=rang, g=f"test/absente-{rang}.jpg", v=f"test/absente-{rang}-v.jpg", e=f"{rang:064x}")
    q(url, "UPDATE recensement SET nb_photos = 2 WHERE id = :r", r=rid)
    at = apptest.open_page(url, "conservateur", "objet.py", ref=ref)
    captions = [tel_quel(c.value) for c in at.caption]
    assert "2 photos transmises, plus haut, sous « Photos transmises par la commune »." in captions
    assert not any("plateforme" in c or "afficheront" in c for c in captions)
    # Their files are not in this test's storage: each says so, in its place.
    assert sum("indisponible pour le moment" in c for c in captions) >= 2
    # The dossier's count on /commune: what its recensements came with, these two among them.
    code, total = q(url, """SELECT d.commune_code, sum(r.nb_photos) FROM dossier d
                            JOIN recensement_effectif e ON e.dossier_id = d.id JOIN recensement r ON r.id = e.id
                            WHERE d.id = :d GROUP BY 1""", d=did)[0]
    at = apptest.open_page(url, "conservateur", "commune.py", code=code)
    attendu = legende_photos(int(total), 2, "sur la fiche de chaque objet")
    assert ("2 sur la fiche de chaque objet" in attendu) == (total > 2)
    assert any(tel_quel(c.value).endswith(attendu) for c in at.caption), attendu


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
