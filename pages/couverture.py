"""Couverture: coverage against the five-year objective, communes, dossiers, fiabilité and
urgent cases by département; recensements per month against the pace required; the
projection and the pace each département needs by a target date; a ranking with a small
map; CSV of every table and one XLSX report. France, a région or a département in the URL.

Widgets and layout only: figures from dashboard.reads.pilotage, tables, chart, ranking and
exports from dashboard.app.pilotage.
"""
from functools import partial

import streamlit as st


from dashboard.app import choix, ui
from dashboard.app.carte import classes
from dashboard.app.pilotage import (campagnes, classement, couverture, definitions, ecran, exports, graphiques,
                                    tableaux, vue as vues)
from dashboard.reads import campagnes as lectures_campagnes

user = ui.current_user()
st.title("Couverture et objectif quinquennal")
ecran.autorise(user)
ctx = ecran.vue_de_la_page("couverture", user, avec_echeance=True)
vue, aujourd_hui = ctx.vue, ctx.aujourd_hui
echeance = vues.echeance_de(vue, aujourd_hui)
st.caption(f"{ctx.lieu} · objets mobiliers protégés dans le périmètre du recensement · données du "
           f"{vues.date_fr(aujourd_hui)}")

# The ranking's figure: chosen lower down, read first (the tables are built once for the view).
cle = st.session_state.get("couverture_classement") or next(iter(classement.INDICATEURS))
p, rang, carte, affiche = ecran.couverture_de(ctx, echeance, cle)
total = p.objets.donnees.iloc[-1]
r = p.rythme
col = st.columns(4)
col[0].metric("Objets", ui.fmt_int(r.objets))
col[1].metric("Couverture (recensés depuis 5 ans)", ui.fmt_pct(total[couverture.COUVERTURE]),
              help=f"{ui.fmt_int(total[couverture.RECENSES_5_ANS])} objets recensés depuis moins de cinq ans.")
col[2].metric("Rythme actuel (objets recensés sur 12 mois)", ui.fmt_int(r.par_an),
              help=f"Rythme requis par l'objectif : {ui.fmt_int(round(r.requis_par_an))} objets par an.")
col[3].metric("Cycle complet au rythme actuel", r.libelle_cycle,
              help="Objets / rythme actuel, à compter d'aujourd'hui.")
col = st.columns(4)
col[0].metric("Fin du cycle complet", str(p.annee_fin_cycle) if p.annee_fin_cycle else r.libelle_cycle)
col[1].metric("Couverture dans 5 ans au rythme actuel", ui.fmt_pct(r.couverture_plafond))
col[2].metric(f"À recenser avant le {vues.date_fr(echeance)}", ui.fmt_int(p.a_recenser),
              help="Objets sans recensement depuis l'échéance moins cinq ans.")
col[3].metric("Rythme mensuel requis pour l'échéance", tableaux.nombre(p.requis_par_mois_echeance),
              help=f"Rythme mensuel actuel : {tableaux.nombre(r.par_mois)} objets par mois.")

nom = vues.nom_fichier("couverture", vue, aujourd_hui, user.scope.nom_fichier)
st.header("Par département")
tab = st.tabs([t.titre for t in (p.objets, p.communes, p.dossiers, p.fiabilite, p.urgences)])
for onglet, t in zip(tab, (p.objets, p.communes, p.dossiers, p.fiabilite, p.urgences)):
    with onglet:
        ecran.tableau(t, nom, affiche[t.cle])

st.header("Recensements par mois")
st.plotly_chart(graphiques.graphique_mois(p.mois, vues.date_fr(echeance)), config={"displayModeBar": False})
if p.mois.donnees.empty:
    st.info("Aucun recensement dans ce territoire.")
with st.expander("Les chiffres du graphique"):
    ecran.tableau(p.mois, nom, affiche[p.mois.cle])

st.header(f"Atteindre l'objectif au {vues.date_fr(echeance)}")
st.caption("Le rythme mensuel que chaque département doit tenir pour que chaque objet ait été recensé depuis moins "
           "de cinq ans à l'échéance choisie en haut de page, comparé à son rythme actuel.")
ecran.tableau(p.echeance, nom, affiche[p.echeance.cle])

st.header("Classement des départements")
if len(ctx.codes) < 2:
    st.caption("Un seul département dans cette vue : choisissez sa région pour le comparer aux autres.")
else:
    st.selectbox("Classer selon", list(classement.INDICATEURS), placeholder=choix.CHOISIR, key="couverture_classement",
                 format_func=choix.libelle({k: i.colonne for k, i in classement.INDICATEURS.items()}))
    col_carte, col_table = st.columns([2, 3])
    with col_carte:
        st.html(carte)
        st.markdown(classes.legende_markdown(classement.legende(cle), False), unsafe_allow_html=True)
    with col_table:
        ecran.tableau(rang, nom, affiche[rang.cle])

st.header("Campagnes")
st.caption("Les campagnes planifiées, en cours ou terminées depuis moins d'un an, et leurs communes : invitées, "
           "ayant commencé (un dossier de la campagne), ayant transmis, dossiers acceptés.")
ecran.tableau(campagnes.tableau(ui.read(lectures_campagnes.avancement, user.scope, user.role, vue.territoire,
                                        campagnes.STATUTS, campagnes.depuis(aujourd_hui))), nom)

st.header("Exports")
rapport = [*p.tableaux, rang]
st.download_button("Télécharger le rapport complet (XLSX : une feuille par tableau et les définitions)",
                   partial(exports.xlsx_bytes, f"Couverture et objectif quinquennal — {ctx.lieu}",
                           exports.sous_titre(ctx.lieu, aujourd_hui), definitions.COUVERTURE_PAGE, rapport),
                   f"{nom}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", type="primary")
ecran.definitions_de(definitions.COUVERTURE_PAGE)
