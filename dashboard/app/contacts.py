"""The address a commune's sign-in links go to, on its fiche (/commune): shown to whoever
may set it (GERER_CONTACTS_COMMUNES: conservateurs, administrateurs), with the form to set,
change or remove it. Text shown as text: an address never becomes a link or markup."""
from __future__ import annotations

import streamlit as st

from dashboard import db, settings
from dashboard.app import formulaires, ui
from dashboard.domain import formats
from dashboard.domain.identity import User
from dashboard.reads import connexion as lectures
from dashboard.writes import contacts


def section(user: User, code: str) -> None:
    if not contacts.peut_gerer(user):
        return
    fiche = ui.read(lectures.contact, user.scope, code)
    if fiche is None:
        return
    st.subheader("Adresse de connexion de la commune")
    if fiche["contact"]:
        st.text(f"Les liens de connexion partent à : {fiche['contact']} (enregistrée par "
                f"{fiche['defini_par'] or '—'} le {formats.date_fr(fiche['defini_le'])}).")
    elif fiche["mairie_email"]:
        st.text(f"Les liens de connexion partent à l'adresse de la mairie : {fiche['mairie_email']}.")
    else:
        st.warning("Aucune adresse connue : la commune ne peut pas recevoir de lien de connexion.")
    with st.form(f"contact_{code}"):
        email = st.text_input("Adresse électronique de la commune pour la connexion", value=fiche["contact"] or "",
                              max_chars=254, help="Laissez vide pour revenir à l'adresse de la mairie.")
        envoye = st.form_submit_button("Enregistrer l'adresse")
    if envoye:
        try:
            with db.engine_for(settings.database_url()).begin() as conn:
                contacts.definir(conn, user, code, email)
        except contacts.ContactRefuse as exc:
            st.error(str(exc))
        else:
            formulaires.annoncer(st.session_state, "Adresse de connexion enregistrée.")
            st.rerun()
