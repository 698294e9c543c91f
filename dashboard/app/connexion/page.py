"""The sign-in page, in the script: the only page of a visitor who is not signed in outside
demo mode (and a page of the demo). Agents: one button per OIDC provider (st.login), the
link to the password form (/connexion) when local accounts are open. Communes: choose the
commune, and a one-time link goes to its address, shown masked.
"""
from __future__ import annotations

import logging

import streamlit as st

from dashboard import db, settings
from dashboard.app.connexion import identite
from dashboard.writes import connexion

log = logging.getLogger(__name__)


def afficher() -> None:
    st.title("Connexion")
    courante = identite.connexion_courante()
    if courante.refus:
        st.error(courante.refus)
        if identite.oidc_connecte() and st.button("Se déconnecter du fournisseur d'identité"):
            st.logout()
    methodes = settings.methodes_locales()
    fournisseurs = settings.oidc_providers()
    if fournisseurs or "mot_de_passe" in methodes:
        st.subheader("Agents : conservateurs, DRAC, chargés de déploiement")
        for nom, libelle in fournisseurs.items():
            if st.button(f"Se connecter avec {libelle}", key=f"oidc_{nom}", type="primary"):
                st.login(None if nom == "default" else nom)
        if "mot_de_passe" in methodes:
            st.html('<p><a href="/connexion" target="_self">Se connecter avec une adresse électronique et un mot de '
                    'passe</a></p>')
    if "lien" in methodes:
        _commune()
    if not fournisseurs and not methodes:
        st.info("Aucune méthode de connexion n'est configurée sur ce service.")


def _commune() -> None:
    st.subheader("Vous représentez une commune")
    st.caption("Un lien de connexion, valable 48 heures et utilisable une fois, est envoyé à l'adresse électronique "
               "de la mairie (ou à celle que le conservateur a enregistrée pour la commune).")
    from dashboard.app import recherche

    # The one commune search of the app (dashboard.app.recherche), without a scope: public data.
    code = recherche.choisir_commune("Votre commune", "connexion_commune", aucune="Choisissez votre commune")
    if code is None:
        return
    if st.button("Recevoir un lien de connexion", key="connexion_commune_envoyer"):
        try:
            with db.engine_for(settings.database_url()).begin() as conn:
                try:
                    masque = connexion.demander_lien(conn, code, identite.adresse(),
                                                     settings.url_publique() or "")
                except connexion.ConnexionRefusee as refus:
                    masque, message = None, str(refus)
        except Exception:  # the database: logged, one French sentence shown
            log.exception("sign-in link request failed")
            masque, message = None, "Le service ne répond pas. Réessayez dans un instant."
        if masque:
            st.success(f"Un lien de connexion a été envoyé à {masque}. Il est valable 48 heures.")
        else:
            st.error(message)
