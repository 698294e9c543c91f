"""Contacts with a commune, on the page: the form that records one (from the ranking of
/communes-a-contacter or from /commune), a commune's history, and the correction of a contact
(the version read is kept: a concurrent correction is refused, the form offers to reload).

A refused save (a bad e-mail address, a date in the future…) says why in French and the
form keeps what was typed. Notes and names are shown as text (st.text, table cells): a note
holding Markdown or a script shows its characters.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.app import choix, formulaires, ui
from dashboard.domain import suivi as regles
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import CANAL_CONTACT, RESULTAT_CONTACT
from dashboard.reads import deploiement
from dashboard.writes import examen, suivi

S = st.session_state
CHAMPS = ("le", "canal", "resultat", "interlocuteur", "courriel", "etape", "rappel", "note")


def _valeurs_initiales(cle: str, contact: dict | None, aujourd_hui: date) -> None:
    """Fill the form's fields once (a correction: the contact's values)."""
    if f"{cle}_le" in S:
        return
    c = contact or {}
    S.update({f"{cle}_le": c.get("contacte_le") or aujourd_hui, f"{cle}_canal": c.get("canal") or "telephone",
              f"{cle}_resultat": c.get("resultat") or "pas_de_reponse",
              f"{cle}_interlocuteur": c.get("interlocuteur") or "", f"{cle}_courriel": c.get("courriel") or "",
              f"{cle}_etape": c.get("prochaine_etape") or "", f"{cle}_rappel": c.get("rappeler_le"),
              f"{cle}_note": c.get("note") or ""})


def _oublier(cle: str) -> None:
    for champ in CHAMPS:
        S.pop(f"{cle}_{champ}", None)


def formulaire(user: User, code: str, nom: str, cle: str, contact: dict | None = None) -> None:
    """The form of a contact with the commune `code`: a new one, or the correction of `contact`
    (a row of the history, with its id and version)."""
    aujourd_hui = date.today()
    _valeurs_initiales(cle, contact, aujourd_hui)
    version_key = f"{cle}_version"
    version = formulaires.version_formulaire(S, version_key, int(contact["version"])) if contact else None
    with st.form(f"{cle}_form"):
        col = st.columns(3)
        col[0].date_input("Date du contact", key=f"{cle}_le", max_value=aujourd_hui, format="DD/MM/YYYY")
        col[1].selectbox("Canal", list(CANAL_CONTACT), placeholder=choix.CHOISIR, key=f"{cle}_canal",
                         format_func=CANAL_CONTACT.libelle)
        col[2].selectbox("Résultat", list(RESULTAT_CONTACT), placeholder=choix.CHOISIR, key=f"{cle}_resultat",
                         format_func=RESULTAT_CONTACT.libelle)
        col = st.columns(2)
        col[0].text_input("Interlocuteur (nom, fonction)", key=f"{cle}_interlocuteur",
                          max_chars=regles.INTERLOCUTEUR_MAX)
        col[1].text_input("Adresse électronique de l'interlocuteur", key=f"{cle}_courriel", max_chars=254,
                          placeholder="nom@domaine.fr")
        col = st.columns([2, 1])
        col[0].text_input("Prochaine étape", key=f"{cle}_etape", max_chars=regles.PROCHAINE_ETAPE_MAX)
        col[1].date_input("À rappeler le", key=f"{cle}_rappel", format="DD/MM/YYYY", min_value=date(2000, 1, 1))
        st.text_area("Note", key=f"{cle}_note", max_chars=regles.NOTE_MAX,
                     help="Gardée telle que vous l'écrivez, et affichée comme du texte.")
        envoye = st.form_submit_button("Enregistrer la correction" if contact else "Enregistrer le contact",
                                       type="primary")
    formulaires.afficher_refus(st, cle, version_key)
    if not envoye:
        return
    saisi = regles.Contact(S[f"{cle}_le"], S[f"{cle}_canal"], S[f"{cle}_resultat"], S[f"{cle}_interlocuteur"],
                           S[f"{cle}_courriel"], S[f"{cle}_etape"], S[f"{cle}_rappel"], S[f"{cle}_note"])
    try:
        if contact:
            examen.ecrire(suivi.modifier, user, int(contact["id"]), version, saisi, aujourd_hui)
        else:
            examen.ecrire(suivi.ajouter, user, code, saisi, aujourd_hui)
    except examen.ExamenError as exc:
        formulaires.signaler(S, cle, exc)   # the form keeps what was typed
        st.rerun()
    _oublier(cle)
    S.pop(version_key, None)
    formulaires.annoncer(S, f"Contact avec {nom} enregistré." if not contact else "Correction enregistrée.")
    st.rerun()


def tableau_historique(contacts: pd.DataFrame) -> pd.DataFrame:
    """A commune's contacts as the page shows them: text cells (a note as typed)."""
    date_fr = lambda d: "—" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y")  # noqa: E731
    texte = lambda v: "—" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)  # noqa: E731
    return pd.DataFrame({
        "Date": [date_fr(d) for d in contacts["contacte_le"]],
        "Canal": [CANAL_CONTACT.libelle(c) for c in contacts["canal"]],
        "Résultat": [RESULTAT_CONTACT.libelle(r) for r in contacts["resultat"]],
        "Interlocuteur": [texte(v) for v in contacts["interlocuteur"]],
        "Son courriel": [texte(v) for v in contacts["courriel"]],
        "Prochaine étape": [texte(v) for v in contacts["prochaine_etape"]],
        "À rappeler le": [date_fr(d) for d in contacts["rappeler_le"]],
        "Note": [texte(v) for v in contacts["note"]],
        "Par": [texte(a) + (f" (corrigé par {m})" if m else "") for a, m in zip(contacts["auteur"],
                                                                               contacts["modifie_par"])],
    })


def section(user: User, code: str, nom: str) -> None:
    """The contacts of a commune on its fiche (/commune): history, record one, correct one."""
    if not user.peut(Capacite.VOIR_DEPLOIEMENT):
        return
    st.subheader("Contacts avec la commune (déploiement)")
    contacts = ui.read(deploiement.historique, user.scope, user.role, code)
    if contacts.empty:
        st.caption("Aucun contact enregistré.")
    else:
        st.dataframe(tableau_historique(contacts), hide_index=True, width="stretch")
        dernier = contacts.iloc[0]
        if dernier["note"]:
            st.caption(f"Note du dernier contact ({pd.Timestamp(dernier['contacte_le']):%d/%m/%Y}) :")
            st.text(dernier["note"])
    if not suivi.peut_enregistrer(user):
        return
    with st.expander("Enregistrer un contact"):
        formulaire(user, code, nom, f"contact_{code}")
    if not contacts.empty:
        with st.expander("Corriger un contact"):
            ids = [int(i) for i in contacts["id"]]
            libelles = {int(r.id): f"{pd.Timestamp(r.contacte_le):%d/%m/%Y} — {CANAL_CONTACT.libelle(r.canal)} — "
                                   f"{RESULTAT_CONTACT.libelle(r.resultat)}" for r in contacts.itertuples()}
            choisi = st.selectbox("Contact à corriger", ids, placeholder=choix.CHOISIR, format_func=libelles.get,
                                  key=f"corriger_{code}")
            contact = contacts[contacts["id"] == choisi].iloc[0].to_dict()
            formulaire(user, code, nom, f"correction_{code}_{choisi}", contact)
