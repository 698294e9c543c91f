"""OIDC sign-in (st.login) in chromium against a local OpenID provider this test starts
(PyPI oidc-provider-mock), outside demo mode: an agent whose account exists (made with
`objets users`, no password) is linked by its e-mail at the first sign-in and sees its
scope; sign-out ends our session and st.login's; an agent without an account is refused
with the message naming whom to ask, and gets no role."""
import json
import os
import subprocess
import sys
import urllib.request

import pytest
import sqlalchemy as sa

from dashboard import settings
from dashboard.ops import serving
from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser

EMAIL = "agent.oidc@culture.gouv.fr"
CONTACT = "l'équipe Collectif Objets (support@exemple.fr)"


def q(url, statement, **params):
    with sa.create_engine(url, poolclass=sa.pool.NullPool).begin() as conn:
        return conn.execute(sa.text(statement), params).all()


@pytest.fixture(scope="module")
def provider():
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider is served over plain HTTP on loopback
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def _set_user(provider, sub, claims):
    request = urllib.request.Request(f"{provider}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
    assert urllib.request.urlopen(request).status == 204


@pytest.fixture(scope="module")
def app(provider, fresh_database, demo_template, tmp_path_factory):
    url = fresh_database(demo_template)
    env = {**os.environ, "DATABASE_URL": url}
    objets = [sys.executable, "-m", "dashboard.cli", "users"]
    subprocess.run(objets + ["add", EMAIL, "--nom", "Agent OIDC", "--role", "drac", "--sans-mot-de-passe"],
                   env=env, check=True, capture_output=True, cwd=settings.PROJECT_ROOT)
    subprocess.run(objets + ["scope", EMAIL, "--region", "32"], env=env, check=True, capture_output=True,
                   cwd=settings.PROJECT_ROOT)
    port = serving.free_port()
    secrets = tmp_path_factory.mktemp("oidc") / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "un secret de cookie pour les tests"

[auth.test]
client_id = "collectif-objets"
client_secret = "secret-de-test"
server_metadata_url = "{provider}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email profile", prompt = "login" }}
""", encoding="utf-8")
    extra = {"OBJETS_DEMO": "0", "OBJETS_SECRET_KEY": "clé de test " * 4, "OBJETS_SECRETS_FILE": str(secrets),
             "OBJETS_CONTACT_ADMIN": CONTACT, "OBJETS_COOKIE_SECURE": "0", "AUTHLIB_INSECURE_TRANSPORT": "1"}
    try:
        proc, base = serving.start(url, settings.PROJECT_ROOT / ".local" / "streamlit-oidc.log", extra_env=extra,
                                   port=port)
    except serving.ServerError as exc:
        pytest.fail(str(exc))
    yield base, url
    serving.stop(proc)


def _sign_in(page, base, provider, sub):
    page.goto(base + "/")
    wait_idle(page)
    page.get_by_role("button", name="Se connecter avec test").click()
    page.wait_for_url(provider + "/oauth2/authorize*")
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(base + "/*")
    wait_idle(page)


def test_an_agent_signs_in_with_oidc_is_linked_by_email_and_signs_out(app, provider, browser):
    base, url = app
    _set_user(provider, "agent-1", {"email": "Agent.OIDC@Culture.gouv.fr", "given_name": "Agent", "usual_name": "OIDC"})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _sign_in(page, base, provider, "agent-1")
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        assert "Connecté·e : Agent OIDC — Responsable DRAC · périmètre : Hauts-de-France" in \
            page.inner_text('[data-testid="stSidebar"]')
        (issuer, sub), = q(url, "SELECT oidc_issuer, oidc_sub FROM app_user WHERE email = :e", e=EMAIL)
        assert (issuer, sub) == (provider, "agent-1")
        (methode, fin), = q(url, "SELECT methode, fin_le FROM session_connexion")
        assert methode == "oidc" and fin is None
        # A new tab: st.login's cookie and our row, the same session.
        tab = context.new_page()
        tab.goto(base + "/urgences")
        wait_idle(tab)
        assert tab.locator("h1").first.inner_text().strip() == "Cas urgents"
        tab.close()
        assert q(url, "SELECT count(*) FROM session_connexion")[0][0] == 1
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(lambda u: not u.startswith(base + "/urgences"))
        assert q(url, "SELECT fin_motif FROM session_connexion")[0][0] == "deconnexion"
        page.goto(base + "/urgences")
        wait_idle(page)
        assert page.locator("h1").first.inner_text().strip() == "Connexion"
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()


def test_an_agent_without_an_account_is_refused_and_gets_no_role(app, provider, browser):
    base, url = app
    _set_user(provider, "inconnu-1", {"email": "inconnu@culture.gouv.fr"})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        _sign_in(page, base, provider, "inconnu-1")
        text = page.inner_text('[data-testid="stMain"]')
        assert "Aucun compte de Collectif Objets ne correspond à votre identité (inconnu@culture.gouv.fr)" in text
        assert CONTACT in text
        assert page.locator('[data-testid="stMetric"]').count() == 0
        page.goto(base + "/carte")
        wait_idle(page)
        assert page.locator("h1").first.inner_text().strip() == "Connexion"
        assert q(url, "SELECT count(*) FROM session_connexion s JOIN app_user u ON u.id = s.user_id "
                      "WHERE u.email <> :e", e=EMAIL)[0][0] == 0
    finally:
        context.close()
