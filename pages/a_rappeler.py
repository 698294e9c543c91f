"""À rappeler: the communes to call back, by date (their latest contact gives one; a later
contact, the call back itself, takes them off the list), the late ones first, with how to
reach them and the link to their fiche, where the contact is recorded.

Widgets and layout only: the read from dashboard.reads.deploiement.
"""
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.app import choix, ui
from dashboard.app.deploiement import ecran
from dashboard.domain import suivi
from dashboard.domain.vocabulary import CANAL_CONTACT, OUI_NON, RESULTAT_CONTACT
from dashboard.reads import carte, deploiement

user = ui.current_user()
st.title("Communes à rappeler")
ecran.autorise(user)
aujourd_hui = date.today()
ref = ui.read(carte.referentiel, user.scope)
col = st.columns(2)
departement = col[0].selectbox("Département", [None, *ref.nom_departement], key="rappel_departement",
                               **choix.avec_aucun(choix.code_et_nom(ref.nom_departement)))
jusqu_a = col[1].date_input("Jusqu'au (vide : toutes)", value=None, key="rappel_jusqu_a", format="DD/MM/YYYY")
rappels = ui.read(deploiement.a_rappeler, user.scope, user.role, departement, jusqu_a)
if rappels.empty:
    st.info("Aucune commune à rappeler pour ces filtres.")
    st.stop()
en_retard = [suivi.en_retard(d, aujourd_hui) for d in rappels["rappeler_le"]]
st.metric("Communes à rappeler", ui.fmt_int(len(rappels)),
          help=f"Dont {ui.fmt_int(sum(en_retard))} en retard (date de rappel passée).")
date_fr = lambda d: "—" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y")  # noqa: E731
texte = lambda v: "—" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)  # noqa: E731
tableau = pd.DataFrame({
    "À rappeler le": [date_fr(d) for d in rappels["rappeler_le"]],
    "En retard": [OUI_NON[r] for r in en_retard],
    "Commune": [texte(n) for n in rappels["nom"]], "Code INSEE": rappels["code"], "Département": rappels["departement"],
    "Dernier contact": [f"{date_fr(d)} ({CANAL_CONTACT.libelle(c).lower()}) : {RESULTAT_CONTACT.libelle(r)}"
                        for d, c, r in zip(rappels["contacte_le"], rappels["canal"], rappels["resultat"])],
    "Prochaine étape": [texte(v) for v in rappels["prochaine_etape"]],
    "Interlocuteur": [texte(v) for v in rappels["interlocuteur"]],
    "Son courriel": [texte(v) for v in rappels["courriel_interlocuteur"]],
    "Téléphone de la mairie": [texte(v) for v in rappels["telephone"]],
    "Courriel de la mairie": [texte(v) for v in rappels["courriel"]],
    "Par": [texte(v) for v in rappels["auteur"]],
    "Fiche": "commune?code=" + rappels["code"],
})
st.caption("Une commune quitte la liste dès qu'un nouveau contact est enregistré sur sa fiche (le rappel lui-même).")
st.dataframe(tableau, hide_index=True, width="stretch",
             column_config={"Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche")})
ui.telecharger_csv("Télécharger la liste (CSV)", tableau.drop(columns=["Fiche"]), f"a-rappeler-{aujourd_hui.isoformat()}")
