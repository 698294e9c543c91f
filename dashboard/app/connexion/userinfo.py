"""The e-mail of an OIDC agent from the provider's userinfo endpoint, when the ID token does
not carry it: ProConnect's ID token holds sub, iss, acr… and the e-mail comes from userinfo,
as a signed JWT. st.login keeps only the ID token's claims, so the first sign-in of such an
agent asks userinfo with the access token st.login exposes (`expose_tokens = "access"` in
[auth]; ProConnect's lives 60 s: the first script run comes seconds after the sign-in).

The answer is trusted only when its signature verifies against the provider's keys (JWKS)
or, for an HS256 provider, the client secret; and only for the same `sub`.
"""
from __future__ import annotations

import logging

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey

from dashboard import settings

log = logging.getLogger(__name__)
_ALGORITHMES = ["RS256", "ES256", "PS256", "HS256"]


def email(fournisseur: str, access_token: str, sub: str) -> str | None:
    """The e-mail userinfo gives for this agent, or None (no endpoint, bad signature, another sub)."""
    section = ((settings.secrets().get("auth") or {}).get(fournisseur) or {}) if fournisseur != "default" \
        else (settings.secrets().get("auth") or {})
    metadata_url = section.get("server_metadata_url")
    if not metadata_url or not access_token:
        return None
    try:
        with httpx.Client(timeout=5) as client:
            metadata = client.get(metadata_url).raise_for_status().json()
            reponse = client.get(metadata["userinfo_endpoint"],
                                 headers={"Authorization": f"Bearer {access_token}"}).raise_for_status()
            if reponse.headers.get("content-type", "").startswith("application/jwt"):
                cles = KeySet.import_key_set(client.get(metadata["jwks_uri"]).raise_for_status().json())
                if section.get("client_secret"):  # an HS256 provider signs with the client secret
                    cles.keys.append(OctKey.import_key(section["client_secret"]))
                claims = jwt.decode(reponse.text, cles, algorithms=_ALGORITHMES).claims
            else:
                claims = reponse.json()
    except (httpx.HTTPError, KeyError, ValueError, JoseError):
        log.warning("userinfo of provider %s unavailable", fournisseur, exc_info=True)
        return None
    if claims.get("sub") != sub:
        return None
    return claims.get("email")
