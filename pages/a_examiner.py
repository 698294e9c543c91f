"""Dossiers à examiner: the inbox of the user's scope, prioritaires first, then the oldest
transmitted. A row selected opens the commune's fiche (its examen) in this tab; the "Fiche"
column opens it in a new one."""
from datetime import date

import streamlit as st

from dashboard.app import listes, navigation, telephone, ui
from dashboard.domain import formats
from dashboard.reads import dossiers

user = ui.current_user()
if st.query_params:  # the page takes none: back from a fiche, st.switch_page left its ?code= here
    st.query_params.clear()
st.title("Dossiers à examiner")
st.caption("Dossiers transmis par les communes et pas encore acceptés : ceux qui signalent un objet prioritaire "
           "(disparu ou en péril) d'abord, puis les plus anciens · périmètre : "
           + ui.sans_markdown(user.scope.libelle))

liste = ui.read(dossiers.a_examiner, user.scope, user.role)
col1, col2, col3 = st.columns(3)
col1.metric("Dossiers à examiner", ui.fmt_int(len(liste)))
col2.metric("Dont avec un objet prioritaire", ui.fmt_int(int((liste["prioritaires"] > 0).sum())),
            help="Un objet du dossier est disparu ou en péril.")
col3.metric("Objets prioritaires à analyser", ui.fmt_int(int(liste["prioritaires_non_analyses"].sum())),
            help="Un dossier ne peut être accepté qu'une fois ses objets prioritaires analysés.")
if liste.empty:
    st.success("Aucun dossier n'attend d'examen dans votre périmètre.")
    st.stop()

table = dossiers.tableau(liste)
ui.telecharger_csv("Télécharger la liste (CSV)", table.drop(columns=dossiers.LIEN),
                   formats.nom_de_fichier("dossiers-a-examiner", user.scope.nom_fichier, jour=date.today()))
if telephone.sur_telephone():
    # A phone gets cards, a page at a time (ten columns do not read at 390 px).
    zone = st.container()
    debut, fin = telephone.pagination("a_examiner_pages", len(table), listes.CARTES_PAR_PAGE)
    with zone:
        telephone.afficher_cartes(listes.cartes_a_examiner(table.iloc[debut:fin],
                                                           list(liste["commune_code"].iloc[debut:fin])),
                                  "a_examiner_cartes")
    st.stop()
selection = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key="a_examiner_table",
    column_config={
        "Transmis le": st.column_config.DateColumn(format=formats.FORMAT_DATE_COLONNE),
        dossiers.LIEN: st.column_config.LinkColumn("Fiche (nouvel onglet)", display_text="Ouvrir dans un nouvel onglet",
                                                   help="La fiche de la commune et l'examen du dossier, dans un "
                                                        "nouvel onglet"),
    })
rows = selection.selection.rows if selection else []
if rows:
    st.switch_page(navigation.script("commune"), query_params={"code": liste.iloc[rows[0]]["commune_code"]})
st.caption(ui.SELECTIONNER_UNE_LIGNE + " pour ouvrir la fiche de la commune et l'examen de son dossier dans "
           "cet onglet ; la colonne « Fiche » l'ouvre dans un nouvel onglet.")
