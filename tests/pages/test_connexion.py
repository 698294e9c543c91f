"""Sign-in in the script, under AppTest: no default identity outside demo mode, the commune's
link request on the sign-in page, the address a conservateur sets on /commune, and the list
of communes without an address."""
from streamlit.testing.v1 import AppTest

from tests.pages import apptest
from tests.pages.apptest import APP, ROOT, q
from tests.pages.pilotage_pages import deferred  # noqa: F401 (fixture)


def test_outside_demo_mode_there_is_no_default_identity(demo_db_url, use_database, monkeypatch):
    use_database(demo_db_url)
    monkeypatch.setenv("OBJETS_DEMO", "0")
    monkeypatch.setenv("OBJETS_SECRET_KEY", "clé de test " * 4)
    monkeypatch.setenv("OBJETS_CONNEXION", "mot_de_passe,lien")
    monkeypatch.setenv("OBJETS_URL_PUBLIQUE", "https://objets.example.fr")
    at = AppTest.from_file(APP, default_timeout=60)
    # What the demo picker would set does not choose anybody here.
    at.session_state["user_id"] = q(demo_db_url, "SELECT id FROM app_user WHERE demo AND role = 'admin'")[0][0]
    at.run()
    assert not at.exception
    assert at.title[0].value == "Connexion" and not at.metric and not at.dataframe
    assert not any(s.label == "Identité de démonstration" for s in at.selectbox)
    # Without a sign-in method the script says why and stops.
    monkeypatch.setenv("OBJETS_CONNEXION", "")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("aucune méthode de connexion" in e.value for e in at.error) and not at.title


def test_a_commune_asks_for_its_link_on_the_sign_in_page(writable_demo_db_url, use_database):
    url = use_database(writable_demo_db_url)
    code, nom, email = q(url, "SELECT code_insee, nom, mairie_email FROM commune WHERE mairie_email ~ '@' "
                              "ORDER BY code_insee LIMIT 1")[0]
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(str(ROOT / "pages" / "connexion.py")).run()
    assert at.title[0].value == "Connexion"
    # The app's one commune search: the name without its accents and hyphens finds it.
    at.text_input(key="connexion_commune_texte").input(nom.lower().replace("-", " ")).run()
    assert at.selectbox(key="connexion_commune_choix").value == code  # the best suggestion, chosen
    at.button(key="connexion_commune_envoyer").click().run()
    assert not at.exception
    message = at.success[0].value
    assert "•••" in message and email not in message
    assert q(url, "SELECT destinataire, motif FROM courriel") == [(email, "lien_connexion")]


def test_a_conservateur_sets_a_communes_address_and_sees_those_without_one(writable_demo_db_url, use_database):
    url = use_database(writable_demo_db_url)
    code = q(url, "SELECT commune_code FROM objet WHERE departement_code = '62' ORDER BY 1 LIMIT 1")[0][0]
    q(url, "UPDATE commune SET mairie_email = NULL WHERE code_insee = :c", c=code)
    at = _sans_adresse(url)
    assert at.title[0].value == "Communes sans adresse"
    assert code in list(at.dataframe[0].value["Code INSEE"])
    at = apptest.open_page(url, "conservateur", "commune.py", code=code)
    assert any("Aucune adresse connue" in w.value for w in at.warning)
    champ = next(t for t in at.text_input if t.label == "Adresse électronique de la commune pour la connexion")
    champ.input("mairie.nouvelle@exemple.fr")
    next(b for b in at.button if b.label == "Enregistrer l'adresse").click().run()
    assert not at.exception
    assert q(url, "SELECT email FROM commune_contact WHERE commune_code = :c", c=code) == [("mairie.nouvelle@exemple.fr",)]
    assert any("mairie.nouvelle@exemple.fr" in t.value for t in at.text)
    at = _sans_adresse(url)
    assert at.dataframe.len == 0 or code not in list(at.dataframe[0].value["Code INSEE"])
    # Who may not set it sees no form.
    drac = apptest.open_page(url, "drac", "commune.py", code=code)
    assert not any(t.label == "Adresse électronique de la commune pour la connexion" for t in drac.text_input)


def _sans_adresse(url):
    """The page has its own URL path (communes-sans-adresse): run once, then switch (AppTest)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["user_id"] = q(url, "SELECT id FROM app_user WHERE demo AND role = 'conservateur'")[0][0]
    at.run()
    at.switch_page(str(ROOT / "pages" / "communes_sans_adresse.py")).run()
    assert not at.exception, at.exception
    return at


def test_the_communes_without_an_address_download_as_french_csv(writable_demo_db_url, use_database, deferred):
    import csv
    import io
    url = use_database(writable_demo_db_url)
    q(url, """UPDATE commune SET mairie_email = NULL WHERE code_insee IN (
                  SELECT DISTINCT commune_code FROM objet WHERE departement_code = '62' ORDER BY 1 LIMIT 2)""")
    at = _sans_adresse(url)
    montre = list(at.dataframe[0].value["Code INSEE"])
    nom = next(k for k in deferred if k.startswith("communes-sans-adresse-") and k.endswith(".csv"))
    lignes = list(csv.DictReader(io.StringIO(deferred[nom]().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(montre) >= 2 and [ligne["Code INSEE"] for ligne in lignes] == montre
    assert set(lignes[0]) == {"Commune", "Code INSEE", "Département", "Objets"}
