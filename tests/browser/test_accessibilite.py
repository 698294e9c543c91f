"""Accessibility measured, not assumed (issue 11): axe-core, WCAG 2.1 A and AA, on every page
of the app as the administrator sees it in demo mode (each page the navigation offers, the
fiches with a real objet and commune, /carte with a commune's panel open), and on the
sign-in pages outside demo mode. On the same pages, no English word of Streamlit's that the
app can replace, no label cut with an ellipsis, and no CSV download of Streamlit's own in a
table's toolbar. No violation may come from the project's own markup or colours; those of the
framework's navigation are left out by a precise rule (tests/browser/axe.py, EXCLUSIONS) and
counted apart."""
import re

import pytest
import sqlalchemy as sa

from dashboard.app import navigation
from dashboard.ops import serving
from tests.browser import axe
from tests.browser.conftest import start_app, wait_idle

pytestmark = pytest.mark.browser


def _one(url, query):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as conn:
        return conn.execute(sa.text(query)).scalar()


def _chemins(url) -> list[str]:
    ref = _one(url, "SELECT ref FROM objet WHERE dans_perimetre AND retire_le IS NULL ORDER BY ref LIMIT 1")
    commune = _one(url, "SELECT commune_code FROM objet WHERE departement_code = '62' AND commune_code IS NOT NULL "
                        "ORDER BY commune_code LIMIT 1")
    chemins = ["/" + e.url_path for entries in navigation.visible("admin").values() for e in entries]
    assert {"/", "/carte", "/urgences", "/objet", "/commune", "/donnees", "/accessibilite"} <= set(chemins)
    chemins = [c for c in chemins if c not in ("/objet", "/commune")]
    return chemins + [f"/objet?ref={ref}", f"/commune?code={commune}", f"/recensement?commune={commune}",
                      "/carte?departement=62", "/carte?maille=communes",
                      f"/carte?departement=62&commune={commune}", "/se-connecter"]


# Streamlit's own English words that the app can replace, and must (the UI speaks French): a
# choice's placeholder (dashboard.app.choix.avec_aucun), the navigation's "View 7 more", a file
# field's instructions (assets/style.css; its button shows "Choisir un fichier", its name for a
# screen reader stays "Upload", at size 0, which innerText still counts: checked apart).
ANGLAIS = re.compile(r"Choose an option|Choose options|No options to select|View \d+ more|View less|"
                     r"Browse files|Drag and drop|per file")


# Where Streamlit cuts words to one line: labels (with "…"), page links' words (clipped).
LIBELLES = '.stMarkdownEllipsis, [data-testid="stPageLink-NavLink"] > span:last-child'


def _feuille_appliquee(page) -> None:
    """Wait for the app's style sheet (assets/style.css, sent by each run through st.html) to
    be in effect: on a loaded machine the page's words were seen before it, cut as without it.
    Its mark: the header's 4 px top border."""
    page.wait_for_function(
        "() => { const h = document.querySelector('[data-testid=\"stHeader\"]');"
        " return h && getComputedStyle(h).borderTopWidth === '4px'; }", timeout=30_000)


def _coupes(page) -> list[str]:
    return page.eval_on_selector_all(
        LIBELLES,   # shown ones: a closed sidebar's are 0 px wide
        "ls => ls.filter(l => l.clientWidth > 0 && l.scrollWidth > l.clientWidth + 1).map(l => l.innerText)")


def _verifier(page, url) -> tuple[list, list]:
    page.goto(url)
    wait_idle(page)
    if page.locator('iframe[src*="streamlit_folium"]').count():
        # A rerun can replace the map's frame while we wait in the old one (seen once under
        # load): look the frame up again rather than wait on a detached one.
        for essai in range(3):
            frame = page.locator('iframe[src*="streamlit_folium"]').first.element_handle().content_frame()
            try:
                frame.wait_for_function("window.map !== undefined", timeout=20_000)
                break
            except Exception:  # noqa: BLE001 - a frame detached or still loading: look again
                if essai == 2:
                    raise
                wait_idle(page)
        page.wait_for_timeout(300)
    if page.locator('iframe[src*="carte_communes"]').count():   # France by commune (issue 16)
        frame = page.locator('iframe[src*="carte_communes"]').first.element_handle().content_frame()
        frame.wait_for_function("window.carteDessin && window.carteDessin.total > 0", timeout=60_000)
    _feuille_appliquee(page)
    return axe.run(page)


def test_every_page_of_the_administrator_in_demo_mode(demo_app, page, demo_db_url):
    fautes, exclues = {}, {}
    for chemin in _chemins(demo_db_url):
        comptent, hors = _verifier(page, demo_app + chemin)
        if comptent:
            fautes[chemin] = [str(v) for v in comptent]
        montre = page.locator("body").inner_text() + "\n".join(page.eval_on_selector_all(
            "[placeholder]", "champs => champs.map(c => c.getAttribute('placeholder'))"))
        anglais = sorted(set(ANGLAIS.findall(montre)))
        if anglais:
            fautes.setdefault(chemin, []).append(f"en anglais : {anglais}")
        # The tables' own CSV (English, formulas left as they are): off (.streamlit/config.toml).
        exports = page.eval_on_selector_all('[data-testid="stElementToolbar"] button',
                                            "bs => bs.map(b => b.getAttribute('aria-label'))")
        if "Download as CSV" in exports:
            fautes.setdefault(chemin, []).append("téléchargement CSV de Streamlit dans la barre d'un tableau")
        boutons_de_fichier = page.eval_on_selector_all(
            '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
            "ps => ps.map(p => getComputedStyle(p, '::after').content + ' ' + getComputedStyle(p).fontSize)")
        if any(b != '"Choisir un fichier" 0px' for b in boutons_de_fichier):
            fautes.setdefault(chemin, []).append(f"bouton de fichier : {boutons_de_fichier}")
        coupes = _coupes(page)
        if coupes:
            fautes.setdefault(chemin, []).append(f"libellés coupés : {coupes}")
        exclues[chemin] = sorted({v.regle for v in hors})
    assert not fautes, "\n".join(f"{c} :\n  " + "\n  ".join(v) for c, v in fautes.items())
    # The framework's violations left out are those named, on the navigation only.
    assert set().union(*exclues.values()) <= {e.regle for e in axe.EXCLUSIONS}


def test_no_words_cut_on_a_phone(demo_app, browser):
    """The home page holds the most page links (every role's part, for the administrator):
    at 390 px Streamlit clipped "Communes sans adresse électronique (liens de connexion
    impossibles)" and the like mid-word."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(demo_app + "/")
        wait_idle(page)
        page.get_by_text("Voir les dossiers à examiner").first.wait_for()
        _feuille_appliquee(page)
        assert page.locator('[data-testid="stPageLink-NavLink"]').count() >= 8
        assert not _coupes(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.fixture(scope="module")
def hors_demo(demo_db_url, tmp_path_factory):
    env = {"OBJETS_DEMO": "0", "OBJETS_SECRET_KEY": "clé de test, pas un secret " * 2,
           "OBJETS_CONNEXION": "mot_de_passe,lien", "OBJETS_URL_PUBLIQUE": "http://127.0.0.1",
           "OBJETS_COOKIE_SECURE": "0", "OBJETS_SECRETS_FILE": str(tmp_path_factory.mktemp("secrets") / "absent.toml")}
    proc, base = start_app(demo_db_url, extra_env=env)
    yield base
    serving.stop(proc)


def test_the_sign_in_pages_outside_demo_mode(hors_demo, page, browser):
    for chemin in ("/", "/carte"):
        comptent, _ = _verifier(page, hors_demo + chemin)
        assert page.locator("h1").first.inner_text().strip() == "Connexion"
        assert not comptent, "\n".join(str(v) for v in comptent)
    # The password form, served beside the app (dashboard/app/connexion/routes.py). Its
    # Content-Security-Policy forbids inline scripts, axe's too: this browser alone ignores it.
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    try:
        formulaire = context.new_page()
        formulaire.goto(hors_demo + "/connexion")
        formulaire.wait_for_selector("form")
        comptent, exclues = axe.run(formulaire)
    finally:
        context.close()
    assert not comptent and not exclues, "\n".join(str(v) for v in comptent)
