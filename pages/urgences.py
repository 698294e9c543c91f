"""Cas urgents: prioritaires then préoccupants of the user's scope, filters, export."""
from dataclasses import replace
from functools import partial

import streamlit as st

from dashboard.app import navigation, ui, visites
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import PROTECTION, URGENCE
from dashboard.reads import urgences

user = ui.current_user()
st.title("Cas urgents")
st.caption(f"Objets disparus ou en péril (prioritaires), puis en mauvais état ou faciles à voler (préoccupants), "
           f"d'après le recensement courant de chaque objet · périmètre : {ui.sans_markdown(user.scope.libelle)}")

if not user.peut(Capacite.VOIR_URGENCES):
    st.info("Cette liste est réservée aux conservateurs, aux administrateurs et aux responsables DRAC : "
            "elle signale des objets vulnérables.")
    st.stop()

depuis = visites.visite_precedente(user.id, "urgences")
if not user.peut(Capacite.VOIR_SECURISATION):
    st.caption("La sécurisation des objets (objets faciles à voler) n'est visible que des conservateurs : "
               "les cas signalés pour ce seul motif ne figurent pas ici.")

choix = ui.read(urgences.choix_filtres, user.scope, user.role)
deps = dict(choix["departements"])
with st.expander("Filtres", expanded=True):
    col1, col2, col3 = st.columns(3)
    f_deps = col1.multiselect("Département", options=list(deps), format_func=deps.get, placeholder="Tous")
    f_commune = col2.text_input("Commune", placeholder="Nom, sans se soucier des accents ni des majuscules",
                                max_chars=urgences.NOM_COMMUNE_MAX)
    f_niveaux = col3.multiselect("Niveau", options=list(urgences.NIVEAUX), format_func=URGENCE.libelle,
                                 placeholder="Tous")
    col1, col2, col3 = st.columns(3)
    f_protections = col1.multiselect("Protection", options=choix["protections"],
                                     format_func=PROTECTION.libelle, placeholder="Toutes")
    f_categorie = col2.selectbox("Catégorie", options=[None] + choix["categories"], placeholder="Toutes",
                                 format_func=lambda c: "Toutes" if c is None else c)
    f_examine = col3.radio("Examen", options=[None, False, True], horizontal=True,
                           format_func={None: "Tous", False: "Non examinés", True: "Examinés"}.get)
    f_nouveaux = st.checkbox("Seulement les nouveaux depuis ma dernière visite", disabled=depuis is None)

filtres = urgences.Filtres(
    departements=tuple(f_deps),
    commune=f_commune.strip(),
    niveaux=tuple(f_niveaux),
    protections=tuple(f_protections),
    categorie=f_categorie,
    examine=f_examine,
    nouveaux=f_nouveaux,
)
# One cached read per view, shared by every session; what is new is marked for this user.
table = urgences.marquer(ui.read(urgences.table_partagee, user.scope, user.role, replace(filtres, nouveaux=False)),
                         depuis, filtres.nouveaux)
compte = urgences.comptes(table)

col1, col2, col3 = st.columns(3)
col1.metric("Prioritaires", ui.fmt_int(compte["prioritaire"]), help="Objets disparus ou en péril "
            "(la correction du conservateur prime sur la réponse de la commune).")
col2.metric("Préoccupants", ui.fmt_int(compte["preoccupant"]), help="Objets en mauvais état"
            + (" ou faciles à voler." if user.peut(Capacite.VOIR_SECURISATION) else "."))
col3.metric("Nouveaux depuis votre dernière visite", ui.fmt_int(compte["nouveaux"]) if depuis else "—",
            help="Cas dont le dossier a été transmis depuis votre visite précédente de cette page.")
if depuis is None:
    st.caption("Première visite de cette page : les prochains cas transmis seront signalés « Nouveau ».")
else:
    st.caption(f"Votre visite précédente : {depuis.astimezone().strftime('%d/%m/%Y à %H:%M')}.")

if table.empty:
    st.info("Aucun cas urgent ne correspond à ces critères.")
    st.stop()

selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        urgences.LIEN: st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche",
                                                   help="La fiche de l'objet (nouvel onglet)"),
        "Recensé le": st.column_config.DateColumn(format="DD/MM/YYYY"),
        "Transmis le": st.column_config.DateColumn(format="DD/MM/YYYY"),
    },
    on_select="rerun",
    selection_mode="single-row",
    key="urgences_table",
)
rows = selection.selection.rows if selection else []
if rows:
    ref = table.iloc[rows[0]]["REF"]
    st.page_link(navigation.script("objet"), label=f"Ouvrir la fiche de {ui.sans_markdown(ref)}",
                 query_params={"ref": ref}, icon="➡️")
else:
    st.caption("Sélectionnez une ligne pour ouvrir la fiche de l'objet dans cet onglet.")

col1, col2 = st.columns(2)
# Generated on click: an XLSX of every case of France takes seconds to build.
col1.download_button("Exporter en CSV", data=partial(urgences.export_csv, table), file_name="cas_urgents.csv",
                     mime="text/csv", icon="⬇️")
col2.download_button("Exporter en XLSX", data=partial(urgences.export_xlsx, table), file_name="cas_urgents.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon="⬇️")
