"""Cas urgents: prioritaires then préoccupants of the user's scope, filters in the URL, export.

The URL holds the filters (dashboard/app/urgences_vue.py: which are bound to it by Streamlit,
which the page writes back, and the messages for values it cannot use). A row selected opens
the objet's fiche in this tab; the "Fiche" column opens it in a new one.
"""
from dataclasses import replace
from datetime import date

import streamlit as st

from dashboard.app import choix, listes, navigation, recherche, telephone, ui, urgences_vue as vues, visites
from dashboard.domain import formats
from dashboard.domain.identity import Scope
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import CONSTAT, PROTECTION, URGENCE
from dashboard.reads import recherche as lectures_recherche
from dashboard.reads import urgences

user = ui.current_user()
S = st.session_state
st.title("Cas urgents")
st.caption(f"Objets disparus ou en péril (prioritaires), puis en mauvais état ou faciles à voler (préoccupants), "
           f"d'après le recensement courant de chaque objet · périmètre : {ui.sans_markdown(user.scope.libelle)}")

if not user.peut(Capacite.VOIR_URGENCES):
    st.info("Cette liste est réservée aux conservateurs, aux administrateurs et aux responsables DRAC : "
            "elle signale des objets vulnérables.")
    st.stop()

depuis = visites.visite_precedente(user.id, "urgences")
voit_securisation = user.peut(Capacite.VOIR_SECURISATION)
if not voit_securisation:
    st.caption("La sécurisation des objets (objets faciles à voler) n'est visible que des conservateurs : "
               "les cas signalés pour ce seul motif ne figurent pas ici.")

filtres_possibles = ui.read(urgences.choix_filtres, user.scope, user.role)
deps = dict(filtres_possibles["departements"])


def commune_de(code: str) -> dict | None:
    return ui.read(lectures_recherche.commune, user.scope, code)


# The URL: read (a message for each value that cannot be used), and when it changed from
# outside (first visit, a copied link, the back button) or the widgets were forgotten (another
# page ran), it sets the widgets.
demandes, messages = vues.filtres_depuis_url(st.query_params.to_dict(), filtres_possibles, commune_de, voit_securisation)
for message in messages:
    st.warning(message, icon=":material/warning:")
if vues.url_changee(vues.url_des_filtres(demandes), S.get("urgences_url")) or messages or vues.widgets_oublies(S):
    S.update(vues.widgets_des_filtres(demandes))

constats = [c for c in CONSTAT.codes if voit_securisation or c != "en_danger"]
# Closed on a phone (the filters filled its first screen). Its title stays the same: a new
# title is a new panel, which would close at each choice.
with st.expander("Filtres", expanded=not telephone.sur_telephone()):
    col1, col2, col3 = st.columns(3)
    f_deps = col1.multiselect("Département", options=list(deps), format_func=deps.get, placeholder="Tous",
                              key=vues.CLES["departements"])
    with col2:
        # The app's one commune search, in the scope (and the départements chosen).
        perimetre = Scope(departements=tuple(f_deps), libelle="") if f_deps else user.scope
        actuelle = commune_de(S[vues.CLES["commune"]]) if S.get(vues.CLES["commune"]) else None
        recherche.choisir_commune("Commune", "urgences_commune", perimetre, actuelle=actuelle, aucune="Toutes")
    col3.multiselect("Niveau", options=list(urgences.NIVEAUX), format_func=URGENCE.libelle, placeholder="Tous",
                     key=vues.CLES["niveaux"])
    col1, col2, col3 = st.columns(3)
    col1.multiselect("Constat", options=constats, format_func=CONSTAT.libelle, placeholder="Tous",
                     key=vues.CLES["constats"])
    col2.multiselect("Protection", options=filtres_possibles["protections"], format_func=PROTECTION.libelle,
                     placeholder="Toutes", key=vues.CLES["protections"])
    # Its label is its value: bound, ?categorie=… is written by Streamlit (key = URL name).
    col3.selectbox("Catégorie", options=[None] + filtres_possibles["categories"], key="categorie",
                   **choix.avec_aucun(choix.libelle(None, "Toutes")), bind="query-params")
    col1, col2 = st.columns([1, 2])
    col1.radio("Examen", options=[None, False, True], horizontal=True, format_func=vues.libelle_examen,
               key=vues.CLES["examine"])
    col2.checkbox("Seulement les nouveaux depuis ma dernière visite", key="nouveaux", bind="query-params",
                  disabled=depuis is None)

filtres = vues.filtres_des_widgets(S, nouveaux_possibles=depuis is not None)
actifs = vues.filtres_actifs(filtres)
if actifs and telephone.sur_telephone():
    st.caption(f"{actifs} : ouvrez « Filtres » pour les voir.")
url = vues.url_des_filtres(filtres)
ui.synchroniser_url(vues.changements_d_url, url)
S["urgences_url"] = url

# One cached read per view, shared by every session; what is new is marked for this user.
table = urgences.marquer(ui.read_partage(urgences.table_partagee, user.scope, user.role,
                                         replace(filtres, nouveaux=False)), depuis, filtres.nouveaux)
compte = urgences.comptes(table)

col1, col2, col3 = st.columns(3)
col1.metric("Prioritaires", ui.fmt_int(compte["prioritaire"]), help="Objets disparus ou en péril "
            "(la correction du conservateur prime sur la réponse de la commune).")
col2.metric("Préoccupants", ui.fmt_int(compte["preoccupant"]), help="Objets en mauvais état"
            + (" ou faciles à voler." if voit_securisation else "."))
col3.metric("Nouveaux depuis votre dernière visite", ui.fmt_int(compte["nouveaux"]) if depuis else "—",
            help="Cas dont le dossier a été transmis depuis votre visite précédente de cette page.")
if depuis is None:
    st.caption("Première visite de cette page : les prochains cas transmis seront signalés « Nouveau ».")
else:
    st.caption(f"Votre visite précédente : le {formats.date_heure_fr(depuis)}.")

if table.empty:
    st.info("Aucun cas urgent ne correspond à ces critères.")
    st.stop()

if telephone.sur_telephone():
    # A phone gets cards, a page at a time (a grid of fourteen columns does not read at 390 px).
    zone = st.container()
    debut, fin = telephone.pagination("urgences_pages", len(table), listes.CARTES_PAR_PAGE, vue=url)
    with zone:
        telephone.afficher_cartes(listes.cartes_urgences(table.iloc[debut:fin], url), "urgences_cartes")
else:
    # A page of rows at a time: the whole of France is thousands of cases, megabytes pushed to
    # every browser that opens the page (the exports below hold them all).
    zone = st.container()
    debut, fin = telephone.pagination("urgences_pages", len(table), vues.LIGNES_PAR_PAGE, vue=url)
    with zone:
        # A new view, a new key: a row picked in one view is never taken for a row of the next.
        selection = st.dataframe(
            table.iloc[debut:fin],
            hide_index=True,
            width="stretch",
            column_config={
                urgences.LIEN: st.column_config.LinkColumn("Fiche (nouvel onglet)",
                                                           display_text="Ouvrir dans un nouvel onglet",
                                                           help="La fiche de l'objet, dans un nouvel onglet"),
                "Recensé le": st.column_config.DateColumn(format=formats.FORMAT_DATE_COLONNE),
                "Transmis le": st.column_config.DateColumn(format=formats.FORMAT_DATE_COLONNE),
            },
            on_select="rerun",
            selection_mode="single-row",
            key=vues.cle_de_selection(filtres, debut),
        )
        rows = selection.selection.rows if selection else []
        if rows:  # the view's filters go along: Streamlit gives this page's URL the switch's parameters as
            # it leaves, so the back button comes back to this view (the fiche reads only ?ref=)
            st.switch_page(navigation.script("objet"),
                           query_params=vues.url_vers_la_fiche(url, table.iloc[debut + rows[0]]["REF"]))
        st.caption(ui.SELECTIONNER_UNE_LIGNE + " pour ouvrir la fiche de l'objet dans cet onglet ; la colonne "
                   "« Fiche » l'ouvre dans un nouvel onglet.")

nom = formats.nom_de_fichier("cas-urgents", user.scope.nom_fichier,
                             *vues.precisions(filtres), jour=date.today())
col1, col2 = st.columns(2)
# Read and built on click: an XLSX of every case of France takes seconds to build, and the
# rows held by the button would stay with the session.
vue_export = (user.scope, user.role, filtres, depuis)
col1.download_button("Exporter en CSV", data=ui.au_clic(urgences.export_csv_vue, *vue_export),
                     file_name=f"{nom}.csv",
                     mime="text/csv", icon=":material/download:")
col2.download_button("Exporter en XLSX", data=ui.au_clic(urgences.export_xlsx_vue, *vue_export),
                     file_name=f"{nom}.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")
