"""The e-mail of an agent from userinfo (dashboard.app.connexion.userinfo), against a local
OpenID provider (oidc-provider-mock), with a real access token of the code flow."""
import urllib.parse

import httpx
import pytest

from dashboard.app.connexion import userinfo


@pytest.fixture
def provider(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        base = f"http://localhost:{server.server_port}"
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f'[auth]\nredirect_uri = "http://127.0.0.1:1/oauth2callback"\ncookie_secret = "x"\n'
                           f'[auth.test]\nclient_id = "app"\nclient_secret = "s"\n'
                           f'server_metadata_url = "{base}/.well-known/openid-configuration"\n', encoding="utf-8")
        monkeypatch.setenv("OBJETS_SECRETS_FILE", str(secrets))
        yield base


def _access_token(base, sub, scope):
    redirect = "http://127.0.0.1:1/oauth2callback"
    with httpx.Client() as client:
        answer = client.post(f"{base}/oauth2/authorize", params={
            "response_type": "code", "client_id": "app", "redirect_uri": redirect, "scope": scope, "state": "s" * 32,
            "nonce": "n" * 32}, data={"sub": sub})
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["location"]).query)["code"][0]
        token = client.post(f"{base}/oauth2/token", data={"grant_type": "authorization_code", "code": code,
                                                           "redirect_uri": redirect}, auth=("app", "s"))
        return token.json()["access_token"]


def test_the_email_comes_from_userinfo_for_the_same_sub_only(provider):
    httpx.put(f"{provider}/users/agent-7", json={"email": "agent.7@culture.gouv.fr"}).raise_for_status()
    token = _access_token(provider, "agent-7", "openid email")
    assert userinfo.email("test", token, "agent-7") == "agent.7@culture.gouv.fr"
    assert userinfo.email("test", token, "quelqu-un-d-autre") is None
    assert userinfo.email("test", "jeton-invente", "agent-7") is None
    assert userinfo.email("absent", token, "agent-7") is None


def test_a_signed_userinfo_is_trusted_only_when_its_signature_verifies(tmp_path, monkeypatch):
    """ProConnect answers userinfo with a JWT signed by keys of its JWKS."""
    from joserfc import jwt
    from joserfc.jwk import KeySet, RSAKey

    cle, autre = RSAKey.generate_key(2048, parameters={"kid": "k1"}), RSAKey.generate_key(2048, parameters={"kid": "k1"})
    signe = {"valide": jwt.encode({"alg": "RS256", "kid": "k1"}, {"sub": "a1", "email": "a1@culture.gouv.fr"}, cle),
             "falsifie": jwt.encode({"alg": "RS256", "kid": "k1"}, {"sub": "a1", "email": "pirate@x.fr"}, autre)}
    base = "https://idp.test"

    def repondre(request):
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"userinfo_endpoint": f"{base}/userinfo", "jwks_uri": f"{base}/jwks"})
        if request.url.path == "/jwks":
            return httpx.Response(200, json=KeySet([cle]).as_dict(private=False))
        jeton = request.headers["authorization"].removeprefix("Bearer ")
        return httpx.Response(200, text=signe[jeton], headers={"content-type": "application/jwt"})

    vrai_client = httpx.Client
    monkeypatch.setattr(httpx, "Client", lambda **kw: vrai_client(transport=httpx.MockTransport(repondre), **kw))
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[auth.pc]\nclient_id = "app"\nserver_metadata_url = "{base}/.well-known/openid-configuration"\n')
    monkeypatch.setenv("OBJETS_SECRETS_FILE", str(secrets))
    assert userinfo.email("pc", "valide", "a1") == "a1@culture.gouv.fr"
    assert userinfo.email("pc", "falsifie", "a1") is None
