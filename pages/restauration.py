"""Restauration: where budgets are decided. By département and catégorie, the objets in
mauvais état or péril (classés and inscrits apart) and their share of the objets recensés;
the objets whose état worsened or improved since their previous recensement; the objets
behind every figure, listed, each opening /objet, exportable. France, a région or a
département in the URL.

Widgets and layout only: figures from dashboard.reads.pilotage, tables and lists from
dashboard.app.pilotage.restauration.
"""
from dataclasses import replace
from functools import partial

import streamlit as st


from dashboard.app import choix, navigation, ui
from dashboard.app.pilotage import definitions, ecran, exports, restauration as resto, vue as vues
from dashboard.domain.vocabulary import PROTECTION

user = ui.current_user()
st.title("Restauration : état des objets et évolution")
ecran.autorise(user)
ctx = ecran.vue_de_la_page("restauration", user, avec_echeance=False)
vue = ctx.vue
st.caption(f"{ctx.lieu} · état sanitaire actuel (recensement courant, correction du conservateur comprise) · "
           f"données du {vues.date_fr(ctx.aujourd_hui)}")

S = st.session_state
# The list's selection: its widgets come lower down, their values are read first (the tables
# and the list are built once per view and selection). A choice the view no longer offers is dropped.
if S.get("restauration_liste_departement") not in (None, *ctx.codes):
    S["restauration_liste_departement"] = None
selection = resto.Selection(S.get("restauration_liste_mesure") or resto.MESURE_DEFAUT, S.get("restauration_liste_protection"),
                            S.get("restauration_liste_departement"), S.get("restauration_liste_categorie"))
p, objets, affiche = ecran.restauration_de(ctx, selection)
categories = [c for c in p.categories.donnees[resto.CATEGORIE] if c != resto.TOTAL]
if selection.categorie not in (None, *categories):
    S["restauration_liste_categorie"] = None
    selection = replace(selection, categorie=None)
    p, objets, affiche = ecran.restauration_de(ctx, selection)
t = p.totaux
col = st.columns(4)
col[0].metric(resto.AVEC_ETAT, ui.fmt_int(t[resto.AVEC_ETAT]))
col[1].metric("En mauvais état ou en péril", ui.fmt_int(t[resto.MAUVAIS_OU_PERIL]),
              help=f"{ui.fmt_pct(t[resto.PART])} des objets à l'état connu.")
col[2].metric(f"{resto.DEGRADES} depuis le recensement précédent", ui.fmt_int(t[resto.DEGRADES]))
col[3].metric(f"{resto.AMELIORES} depuis le recensement précédent", ui.fmt_int(t[resto.AMELIORES]))
col = st.columns(4)
for i, protection in enumerate(resto.A_PART):
    connu, nombre, part = resto.colonnes_protection(protection)
    col[i].metric(nombre, ui.fmt_int(t[nombre]), help=f"{ui.fmt_pct(t[part])} des {ui.fmt_int(int(t[connu]))} "
                  f"{PROTECTION.pluriel(protection).lower()} à l'état connu.")

nom = vues.nom_fichier("restauration", vue, ctx.aujourd_hui, user.scope.nom_fichier)
st.header("Par département")
ecran.tableau(p.departements, nom, affiche[p.departements.cle])
st.header("Par catégorie")
st.caption("Un objet de plusieurs catégories compte dans chacune ; la ligne Total le compte une fois.")
ecran.tableau(p.categories, nom, affiche[p.categories.cle])

st.header("Les objets derrière les chiffres")
col = st.columns(4)
col[0].selectbox("Objets", list(resto.MESURES), placeholder=choix.CHOISIR, format_func=resto.MESURES.get,
                 key="restauration_liste_mesure")
col[1].selectbox("Protection", [None, *resto.A_PART], key="restauration_liste_protection",
                 **choix.avec_aucun(choix.libelle(PROTECTION.pluriel, "Toutes")))
col[2].selectbox("Département", [None, *ctx.codes], key="restauration_liste_departement",
                 **choix.avec_aucun(choix.code_et_nom(ctx.ref.nom_departement)))
col[3].selectbox("Catégorie", [None, *categories], key="restauration_liste_categorie",
                 **choix.avec_aucun(choix.libelle(None, "Toutes")))
if objets.donnees.empty and not selection.par_defaut:
    st.warning("Aucun objet ne correspond à cette sélection : les objets en mauvais état ou en péril du territoire "
               "sont affichés.")
    selection = resto.Selection()
    _, objets, affiche = ecran.restauration_de(ctx, selection)
st.caption(f"{ui.fmt_int(len(objets.donnees))} objets · {resto.MESURES[selection.mesure]}")
if objets.donnees.empty:
    st.info("Aucun objet en mauvais état ou en péril dans ce territoire.")
else:
    event = ecran.tableau(objets, nom, affiche[objets.cle], extra={resto.LIEN: resto.liens(objets)}, column_config={
        resto.LIEN: st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche",
                                                help="La fiche de l'objet (nouvel onglet)")},
        on_select="rerun", selection_mode="single-row", key="restauration_objets")
    rows = event.selection.rows if event else []
    if rows:
        ref = objets.donnees.iloc[rows[0]]["REF"]
        st.page_link(navigation.script("objet"), label=f"Ouvrir la fiche de {ref}", query_params={"ref": ref},
                     icon=":material/arrow_forward:")
    else:
        st.caption(ui.SELECTIONNER_UNE_LIGNE + " pour ouvrir la fiche de l'objet dans cet onglet.")

st.header("Exports")
st.download_button("Télécharger le rapport (XLSX : une feuille par tableau, la liste affichée et les définitions)",
                   partial(exports.xlsx_bytes, f"Restauration — {ctx.lieu}", exports.sous_titre(ctx.lieu, ctx.aujourd_hui),
                           definitions.RESTAURATION_PAGE, [*p.tableaux, objets]),
                   f"{nom}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", type="primary")
ecran.definitions_de(definitions.RESTAURATION_PAGE)
