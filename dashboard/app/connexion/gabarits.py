"""The HTML pages of the sign-in routes: plain HTML, in French, without JavaScript, readable
and usable with a keyboard (labels, visible focus, messages announced by role="alert",
contrast above 7:1 with the State's blue). Every value from a request or the database is
escaped. The style is inline and allowed by its hash in the Content-Security-Policy.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#161616;background:#fff;
margin:0;line-height:1.5}
main{max-width:32rem;margin:3rem auto;padding:0 1rem}
h1{font-size:1.75rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;
border:1px solid #3a3a3a;border-radius:.25rem}
button{margin-top:1.5rem;font-size:1rem;padding:.6rem 1.2rem;background:#000091;color:#fff;border:0;
border-radius:.25rem;cursor:pointer}
button:hover{background:#1212ff}
a{color:#000091}
:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
.alerte{border-left:4px solid #ce0500;background:#fff4f4;padding:.75rem 1rem;margin:1rem 0}
.info{border-left:4px solid #000091;background:#f5f5fe;padding:.75rem 1rem;margin:1rem 0}
.marque{font-weight:700;color:#000091}
"""
_STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
# No script, nothing from elsewhere, forms post here only, never framed.
CSP = (f"default-src 'none'; style-src '{_STYLE_HASH}'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def page(titre: str, corps: str) -> str:
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="referrer" content="no-referrer">'
            f"<title>{escape(titre)} — Collectif Objets</title><style>{STYLE}</style></head>"
            f'<body><main><p class="marque">Collectif Objets</p><h1>{escape(titre)}</h1>{corps}</main></body></html>')


def _alerte(message: str | None, classe: str = "alerte") -> str:
    return f'<div class="{classe}" role="alert" id="message">{escape(message)}</div>' if message else ""


def connexion(csrf: str, email: str = "", message: str | None = None) -> str:
    erreur = ' aria-invalid="true" aria-describedby="message"' if message else ""
    return page("Se connecter", f"""{_alerte(message)}
<form method="post" action="/connexion">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<label for="email">Adresse électronique</label>
<input type="email" id="email" name="email" autocomplete="username" required value="{escape(email)}"{erreur}>
<label for="mot_de_passe">Mot de passe</label>
<input type="password" id="mot_de_passe" name="mot_de_passe" autocomplete="current-password" required{erreur}>
<button type="submit">Se connecter</button>
</form>
<p><a href="/">Retour à l'accueil</a> (autres façons de se connecter : agents de l'État, communes)</p>""")


def lien(jeton: str, csrf: str, commune: str) -> str:
    return page("Connexion de votre commune", f"""
<p>Ce lien vous connecte au tableau de bord Collectif Objets pour la commune de <strong>{escape(commune)}</strong>.
Il ne sert qu'une fois.</p>
<form method="post" action="/lien">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<input type="hidden" name="t" value="{escape(jeton)}">
<button type="submit">Se connecter</button>
</form>""")


def message(titre: str, texte: str, alerte: bool = True) -> str:
    return page(titre, _alerte(texte, "alerte" if alerte else "info") +
                '<p><a href="/">Aller à la page de connexion</a></p>')
