"""Communes sans adresse: the communes of the user's scope that hold objets and have no
e-mail at all (neither the mairie's nor one a conservateur set): no sign-in link reaches them."""
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.app import ui
from dashboard.domain import formats
from dashboard.reads import connexion

user = ui.current_user()
st.title("Communes sans adresse")
st.caption("Communes de votre périmètre qui détiennent des objets protégés et dont aucune adresse électronique "
           "n'est connue : elles ne peuvent pas recevoir de lien de connexion. Enregistrez une adresse depuis la "
           "fiche de la commune.")
communes = ui.read(connexion.communes_sans_adresse, user.scope)
if communes.empty:
    st.success("Toutes les communes de votre périmètre qui détiennent des objets ont une adresse.")
else:
    liste = pd.DataFrame({
        "Commune": communes["nom"], "Code INSEE": communes["code_insee"], "Département": communes["departement_code"],
        "Objets": communes["objets"].astype(int),
    })
    st.dataframe(liste.assign(Fiche="commune?code=" + communes["code_insee"]), hide_index=True, width="stretch",
                 column_config={"Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche")})
    # The list to look the addresses up elsewhere.
    ui.telecharger_csv("Télécharger la liste (CSV)", liste,
                       formats.nom_de_fichier("communes-sans-adresse", user.scope.nom_fichier, jour=date.today()))
