"""The commune's questionnaire in chromium at phone size (390 × 844), outside demo mode
(issue 15's "Must hold"):

- a commune signs in through its link, starts its dossier, fills in two objets (one with a
  photo, one introuvable), the page reloaded midway (the saved steps are kept: it resumes
  where it was), then submits;
- bad photos on the way (20 MB, a PDF renamed .jpg, a corrupt JPEG, a decompression bomb):
  each refused with a French message, nothing already saved lost;
- the conservateur of the département then sees the introuvable objet on /urgences and the
  photo on /objet;
- the connection lost: the page says so in French.
Photos go to a temporary directory (OBJETS_PHOTOS), never into the repository."""
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from dashboard import db, settings
from dashboard.domain import connexion as regles
from dashboard.ops import serving
from dashboard.writes import connexion
from tests import questionnaire_aide as aide
from tests.browser import axe
from tests.browser.conftest import start_app, wait_idle
from tests.browser.test_connexion import SECRET, q
from tests.domain.test_photos import PDF, png_declarant

pytestmark = pytest.mark.browser

EMAIL, MOT_DE_PASSE = "conservateur.recensement@culture.gouv.fr", "un mot de passe de test assez long"
TELEPHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def donnees(fresh_database, demo_template):
    url = fresh_database(demo_template)
    with db.engine_for(url).begin() as conn:
        code = aide.commune_a_recenser(conn)
        refs = aide.objets(conn, code)
        dep = conn.execute(sa.text("SELECT departement_code FROM commune WHERE code_insee = :c"), {"c": code}).scalar()
        jeton = regles.nouveau_jeton()
        connexion.enregistrer_lien(conn, jeton, code, "mairie@example.org", None)
    env = {**os.environ, "DATABASE_URL": url}
    objets = [sys.executable, "-m", "dashboard.cli", "users"]
    subprocess.run(objets + ["add", EMAIL, "--nom", "Camille Recensement", "--role", "conservateur",
                             "--mot-de-passe-stdin"], input=MOT_DE_PASSE + "\n", env=env, check=True,
                   capture_output=True, text=True, cwd=settings.PROJECT_ROOT)
    subprocess.run(objets + ["scope", EMAIL, "--departement", dep], env=env, check=True, capture_output=True,
                   cwd=settings.PROJECT_ROOT)
    return {"url": url, "code": code, "refs": refs, "jeton": jeton}


@pytest.fixture(scope="module")
def serveur(donnees, tmp_path_factory):
    photos = tmp_path_factory.mktemp("photos")
    env = {"OBJETS_DEMO": "0", "OBJETS_SECRET_KEY": SECRET, "OBJETS_CONNEXION": "mot_de_passe,lien",
           "OBJETS_URL_PUBLIQUE": "http://127.0.0.1", "OBJETS_COOKIE_SECURE": "0", "OBJETS_PHOTOS": str(photos),
           "OBJETS_SECRETS_FILE": str(tmp_path_factory.mktemp("secrets") / "absent.toml")}
    proc, base = start_app(donnees["url"], extra_env=env)
    yield {"proc": proc, "base": base, "photos": photos}
    serving.stop(proc)


def _accessible(page, ou: str) -> None:
    """axe-core (WCAG 2.1 AA) on the page as it is: nothing of the project's own markup."""
    comptent, _ = axe.run(page)
    assert not comptent, f"{ou} : " + " ; ".join(str(v) for v in comptent)


def _main(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def _clic(page, key: str, attendre: str | None = None) -> None:
    """Click a button; with `attendre`, until that text is shown (a script run may not have
    started yet when the page is first seen idle)."""
    page.locator(f".st-key-{key} button:visible").first.click()
    if attendre:
        page.locator('[data-testid="stMain"]').get_by_text(attendre).first.wait_for(timeout=60_000)
    wait_idle(page)


def _choisir(page, libelle: str) -> None:
    page.locator('[data-testid="stRadio"] label').filter(has_text=libelle).first.click()
    wait_idle(page)


def _envoyer(page, ref: str, nom: str, contenu: bytes, mime: str = "image/jpeg") -> None:
    """A file chosen, then "Enregistrer cette photo" (shown once the file is uploaded; the
    field is emptied after each attempt, so the button is always this file's)."""
    bouton = page.locator(f"[class*='st-key-envoyer_{ref}'] button")
    assert bouton.count() == 0
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": nom, "mimeType": mime, "buffer": contenu}])
    bouton.first.wait_for(timeout=60_000)
    wait_idle(page)
    bouton.first.click()
    wait_idle(page)
    bouton.first.wait_for(state="detached", timeout=60_000)
    wait_idle(page)


def test_a_commune_recenses_two_objets_on_a_phone_and_the_conservateur_sees_them(browser, serveur, donnees):
    base, (ref_photo, ref_absent) = serveur["base"], donnees["refs"]
    context = browser.new_context(viewport=TELEPHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        # Signed in through its link.
        page.goto(base + f"/lien?t={donnees['jeton']}")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(base + "/")
        wait_idle(page)
        page.get_by_role("link", name="Recenser vos objets").first.click()
        wait_idle(page)
        assert "Recensement des objets" in _main(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= TELEPHONE["width"]   # no sideways scroll
        _clic(page, "commencer", "Recensement en cours")
        _accessible(page, "liste des objets")

        # The objet with a photo: where, recensable, état, sécurisation…
        _clic(page, f"ouvrir_{ref_photo}", "Étape 1 sur 7")
        _accessible(page, "étape 1")
        _choisir(page, "Dans l'édifice prévu")
        _clic(page, f"enregistrer_{ref_photo}_localisation", "Étape 2 sur 7")
        _choisir(page, "Oui")
        _clic(page, f"enregistrer_{ref_photo}_recensable", "Étape 3 sur 7")
        _choisir(page, "Mauvais")
        _clic(page, f"enregistrer_{ref_photo}_etat", "Étape 4 sur 7")
        _choisir(page, "En danger (facile à voler)")
        _clic(page, f"enregistrer_{ref_photo}_securisation", "Étape 5 sur 7")
        assert "Étape 5 sur 7 : Photos" in _main(page)
        # … the page reloaded midway (a lost tab, a phone that slept): it resumes at the photos.
        page.reload()
        wait_idle(page)
        assert "Étape 5 sur 7 : Photos" in _main(page)
        # Bad photos: refused in French, nothing lost.
        bon = aide.jpeg(1200, 900)
        mauvais = [("lourde.jpg", bon + b"\0" * (20 * 1024 * 1024 - len(bon)), "Mo"),
                   ("document.jpg", PDF, "JPEG ou PNG"),
                   ("abimee.jpg", bon[: len(bon) // 2], "abîmée"),
                   ("bombe.png", png_declarant(12_000, 12_000), "pixels")]
        for nom, contenu, attendu in mauvais:
            _envoyer(page, ref_photo, nom, contenu)
            erreur = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
            assert attendu in erreur and "déjà enregistrées sont conservées" in erreur, (nom, erreur)
        _accessible(page, "photo refusée")
        assert q(donnees["url"], "SELECT count(*) FROM recensement_photo")[0][0] == 0
        assert q(donnees["url"], "SELECT etat_sanitaire::text FROM recensement WHERE objet_ref = :r",
                 r=ref_photo)[0][0] == "mauvais"
        page.reload()
        wait_idle(page)
        _envoyer(page, ref_photo, "photo.jpg", bon)
        assert q(donnees["url"], "SELECT count(*) FROM recensement_photo WHERE deleted_at IS NULL")[0][0] == 1
        assert page.locator('[data-testid="stImage"] img').count() >= 1
        _accessible(page, "photo enregistrée")
        # A second one, then taken back: its row marked, its copies gone.
        _envoyer(page, ref_photo, "autre.jpg", aide.jpeg(800, 600, (10, 200, 30)))
        seconde = q(donnees["url"], "SELECT id, cle_grande FROM recensement_photo ORDER BY id DESC LIMIT 1")[0]
        assert (serveur["photos"] / seconde.cle_grande).is_file()
        _clic(page, f"retirer_{seconde.id}")
        page.locator(f".st-key-retirer_{seconde.id}").wait_for(state="detached", timeout=30_000)
        assert q(donnees["url"], "SELECT count(*) FROM recensement_photo WHERE deleted_at IS NULL")[0][0] == 1
        assert not (serveur["photos"] / seconde.cle_grande).exists()
        _clic(page, f"enregistrer_{ref_photo}_photos", "Étape 6 sur 7")
        page.get_by_label("Commentaire pour le conservateur (facultatif)").fill("Vermoulu au pied.")
        _clic(page, f"enregistrer_{ref_photo}_notes", "Étape 7 sur 7")
        _clic(page, f"enregistrer_{ref_photo}_validation", "Vos objets, par édifice")
        assert "« tableau" in _main(page) or "enregistré" in _main(page)

        # The introuvable one.
        _clic(page, f"ouvrir_{ref_absent}", "Étape 1 sur 7")
        _choisir(page, "Introuvable")
        page.get_by_text("Je confirme que l'objet est introuvable").click()
        wait_idle(page)
        _clic(page, f"enregistrer_{ref_absent}_localisation", "Étape 2 sur 3")
        _clic(page, f"enregistrer_{ref_absent}_notes", "Étape 3 sur 3")
        _clic(page, f"enregistrer_{ref_absent}_validation", "Transmettre le dossier au conservateur")

        # Submitted: read-only from now on.
        _clic(page, "transmettre", "Dossier transmis au conservateur")
        assert page.locator(".st-key-transmettre").count() == 0
    finally:
        context.close()

    # The conservateur: the introuvable objet on /urgences (at once), the photo on /objet.
    context = browser.new_context(viewport=TELEPHONE)
    page = context.new_page()
    try:
        page.goto(base + "/connexion")
        page.get_by_label("Adresse électronique").fill(EMAIL)
        page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(base + "/")
        wait_idle(page)
        page.goto(base + f"/urgences?commune={donnees['code']}&constat=disparu")
        wait_idle(page)
        page.locator('[data-testid="stMetricLabel"]', has_text="Prioritaires").wait_for(timeout=60_000)
        prioritaires = page.locator('[data-testid="stMetric"]').filter(has_text="Prioritaires")
        assert prioritaires.locator('[data-testid="stMetricValue"]').inner_text().strip() == "1"
        page.goto(base + f"/objet?ref={ref_photo}")
        wait_idle(page)
        assert "Photos transmises par la commune" in _main(page)
        image = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first
        image.wait_for(timeout=30_000)
        assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    finally:
        context.close()


def test_the_page_says_in_french_when_the_connection_is_lost(browser, serveur, donnees):
    """Last (it stops the server): the banner of assets/style.css over the page."""
    context = browser.new_context(viewport=TELEPHONE)
    page = context.new_page()
    try:
        page.goto(serveur["base"] + "/")
        wait_idle(page)
        serving.stop(serveur["proc"])
        app = page.locator('[data-testid="stApp"][data-test-connection-state="PINGING_SERVER"], '
                           '[data-testid="stApp"][data-test-connection-state="DISCONNECTED_FOREVER"]')
        app.wait_for(timeout=30_000)
        banniere = page.evaluate("""() => getComputedStyle(document.querySelector('[data-testid="stApp"]'),
                                                           '::before').content""")
        assert "Connexion perdue" in banniere
    finally:
        context.close()
