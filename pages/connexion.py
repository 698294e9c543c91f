"""Connexion: the sign-in page (OIDC providers, password form, communes' one-time links)."""
from dashboard.app.connexion import page

page.afficher()
