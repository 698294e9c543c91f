"""Sign-in in chromium, outside demo mode (OBJETS_DEMO=0), against real app servers
(dashboard/app/serveur.py: the script and its sign-in routes):

- an anonymous browser sees no figure of /, /urgences, /carte: only the sign-in page;
- the conservateur of one département (a local account made with `objets users`) signs in
  with the password form, sees only it, stays signed in across a reload and a new tab,
  signs out and loses access (a replayed cookie opens nothing);
- two app processes on one database: a sign-in through one is recognised by the other.
"""
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa

from dashboard import settings
from dashboard.ops import serving
from tests import expected
from tests.browser.conftest import start_app, wait_idle

pytestmark = pytest.mark.browser

SECRET = "clé de test, pas un secret " * 2
EMAIL, MOT_DE_PASSE = "camille.test@culture.gouv.fr", "un mot de passe de test assez long"
DEP = "62"


def _env(tmp_path_factory) -> dict:
    return {"OBJETS_DEMO": "0", "OBJETS_SECRET_KEY": SECRET, "OBJETS_CONNEXION": "mot_de_passe,lien",
            "OBJETS_URL_PUBLIQUE": "http://127.0.0.1", "OBJETS_COOKIE_SECURE": "0",
            "OBJETS_SECRETS_FILE": str(tmp_path_factory.mktemp("secrets") / "absent.toml")}


def q(url, statement, **params):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).begin() as conn:
        result = conn.execute(sa.text(statement), params)
        return result.all() if result.returns_rows else None


@pytest.fixture(scope="module")
def db_url(fresh_database, demo_template):
    url = fresh_database(demo_template)
    env = {**os.environ, "DATABASE_URL": url}
    objets = [sys.executable, "-m", "dashboard.cli", "users"]
    subprocess.run(objets + ["add", EMAIL, "--nom", "Camille Test", "--role", "conservateur", "--mot-de-passe-stdin"],
                   input=MOT_DE_PASSE + "\n", env=env, check=True, capture_output=True, text=True, cwd=settings.PROJECT_ROOT)
    subprocess.run(objets + ["scope", EMAIL, "--departement", DEP], env=env, check=True, capture_output=True,
                   cwd=settings.PROJECT_ROOT)
    return url


@pytest.fixture(scope="module")
def servers(db_url, tmp_path_factory):
    """Two replicas of the app on the same database, outside demo mode."""
    env = _env(tmp_path_factory)
    started = [start_app(db_url, extra_env=env) for _ in range(2)]
    yield [base for _, base in started]
    for proc, _ in started:
        serving.stop(proc)


def _sign_in_form(page, base, email=EMAIL, mot_de_passe=MOT_DE_PASSE):
    page.goto(base + "/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()


def _main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def _sidebar_text(page) -> str:
    return page.inner_text('[data-testid="stSidebar"]')


def _assert_sign_in_page_only(page):
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Connexion"
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator("iframe").count() == 0
    assert "Identité de démonstration" not in page.inner_text("body")
    # The sign-in page answers every URL of the app: no "page not found" for a link to /carte.
    assert page.locator('[role="dialog"]').count() == 0


def test_an_anonymous_browser_sees_no_figure(servers, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        for path in ("/", "/urgences", "/carte", "/carte?departement=62", "/commune?code=62041", "/qualite-donnees"):
            page.goto(servers[0] + path)
            _assert_sign_in_page_only(page)
        assert "Vous représentez une commune" in _main_text(page)
    finally:
        context.close()


def test_a_conservateur_signs_in_sees_only_their_departement_stays_signed_in_and_signs_out(servers, browser, db_url):
    base = servers[0]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        # A wrong password: the form again, with the message, nothing else.
        _sign_in_form(page, base, mot_de_passe="pas le bon mot de passe")
        assert "Adresse électronique ou mot de passe incorrect." in page.inner_text("[role=alert]")
        _sign_in_form(page, base)
        page.wait_for_url(base + "/")
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        wait_idle(page)
        assert "Connecté·e : Camille Test — Conservateur · périmètre : Pas-de-Calais" in _sidebar_text(page)
        metrics = {m.query_selector('[data-testid="stMetricLabel"]').inner_text().strip():
                   m.query_selector('[data-testid="stMetricValue"]').inner_text().strip()
                   for m in page.query_selector_all('[data-testid="stMetric"]')}
        want = expected.home_figures(db_url, [DEP])
        assert expected.digits(metrics["Objets protégés dans le périmètre de recensement"]) == want["objets"]
        # A reload, and a link opened in a new tab: still signed in, same scope.
        page.reload()
        wait_idle(page)
        assert "Connecté·e : Camille Test" in _sidebar_text(page)
        code, nom = q(db_url, "SELECT c.code_insee, c.nom FROM commune c WHERE departement_code = :d AND EXISTS "
                              "(SELECT 1 FROM objet o WHERE o.commune_code = c.code_insee) ORDER BY 1 LIMIT 1", d=DEP)[0]
        tab = context.new_page()
        tab.goto(base + f"/commune?code={code}")
        wait_idle(tab)
        assert tab.locator("h1").first.inner_text().strip() == nom
        assert "Connecté·e : Camille Test" in _sidebar_text(tab)
        ailleurs = q(db_url, "SELECT commune_code FROM objet WHERE departement_code <> :d ORDER BY 1 LIMIT 1", d=DEP)[0][0]
        tab.goto(base + f"/commune?code={ailleurs}")
        wait_idle(tab)
        assert "pas dans votre périmètre" in _main_text(tab)
        tab.close()
        cookie = next(c for c in context.cookies() if c["name"] == "objets_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        # Sign out: the sign-in page, the session ended in the database, no page opens any more.
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(base + "/")
        _assert_sign_in_page_only(page)
        assert q(db_url, "SELECT fin_motif FROM session_connexion WHERE methode = 'mot_de_passe' "
                         "ORDER BY cree_le DESC LIMIT 1")[0][0] == "deconnexion"
        page.goto(base + "/urgences")
        _assert_sign_in_page_only(page)
        # The old cookie, replayed, opens nothing: the row decides.
        context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
        page.goto(base + "/urgences")
        _assert_sign_in_page_only(page)
    finally:
        context.close()


def _sign_in_over_http(base) -> dict:
    """Sign in with the password form through plain HTTP: the cookie the server sets."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/connexion").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf": csrf, "email": EMAIL, "mot_de_passe": MOT_DE_PASSE}).encode()
    response = opener.open(base + "/connexion", data=data)
    assert response.geturl() == base + "/"
    return {c.name: c.value for c in jar}


def test_a_sign_in_through_one_replica_is_recognised_by_the_other(servers, browser):
    first, second = servers
    cookies = _sign_in_over_http(first)
    assert "objets_session" in cookies
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": "objets_session", "value": cookies["objets_session"], "url": second}])
    page = context.new_page()
    try:
        page.goto(second + "/urgences")
        wait_idle(page)
        assert page.locator("h1").first.inner_text().strip() == "Cas urgents"
        assert "Connecté·e : Camille Test" in _sidebar_text(page)
        # Signed out on the second, the first does not recognise the cookie either.
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(second + "/")
        context.add_cookies([{"name": "objets_session", "value": cookies["objets_session"], "url": first}])
        page.goto(first + "/urgences")
        _assert_sign_in_page_only(page)
    finally:
        context.close()


def test_sign_in_routes_send_security_headers(servers):
    response = urllib.request.urlopen(servers[0] + "/connexion")
    headers = response.headers
    assert headers["Cache-Control"] == "no-store" and headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"] and "default-src 'none'" in headers["Content-Security-Policy"]
    # A POST without the anti-forgery token opens nothing.
    data = urllib.parse.urlencode({"email": EMAIL, "mot_de_passe": MOT_DE_PASSE}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(servers[0] + "/connexion", data=data)
    assert refused.value.code == 400 and "objets_session" not in str(refused.value.headers)
