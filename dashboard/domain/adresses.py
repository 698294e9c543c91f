"""Web addresses kept or shown by the product, without the credentials they may carry.

An export can be fetched from `https://utilisateur:secret@hote/export.csv`; what is
recorded (the import's source, its report, its task, its error message) and what is shown
is `https://hote/export.csv`. The credentials live only in the request that uses them
(dashboard.importer.telechargement).

Pure: text in, text out.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

# scheme://userinfo@ : the userinfo runs to the last "@" before the path, query or fragment
# (a password may hold an unencoded "@").
_IDENTIFIANTS = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s]*@")


def sans_identifiants(texte: str | None) -> str | None:
    """The text with the credentials of every URL in it removed (`scheme://user:pw@host`
    becomes `scheme://host`); a URL or a sentence quoting one. None stays None."""
    if texte is None:
        return None
    return _IDENTIFIANTS.sub(r"\1", texte)


def identifiants(url: str) -> tuple[str, tuple[str, str] | None]:
    """(the URL without credentials, (user, password) or None): what a download sends as
    HTTP Basic authentication instead of leaving it in the address."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    bare = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return bare, (unquote(parts.username or ""), unquote(parts.password or ""))
