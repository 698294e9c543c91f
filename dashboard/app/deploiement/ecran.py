"""Streamlit glue of /communes-a-contacter: the view's widgets kept in step with the URL, the
ranking built once per view and data version, the map of a département's selection.

The URL is read into a view at the start of each run (dashboard.app.deploiement.vue: each
bad value gets its French message and what is used instead); the widgets are set from it
when the URL changed from outside (first visit, a copied link, the back button); the view
the widgets choose is written back, as /carte and the pilotage pages do.

The ranking (the score of every commune of the view, its display, its map) is cached like
the reads it comes from, keyed on the data version of the run: a rerun only unpickles it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.app import choix, ui
from dashboard.app.carte import dessin
from dashboard.app.deploiement import carte, tableau, vue as vues
from dashboard.domain import priorite
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.reads import carte as lectures_carte
from dashboard.reads import deploiement
from dashboard.reads.carte import Referentiel
from dashboard.reads.geometrie import geometrie

S = st.session_state
P = "cac_"   # the page's widget keys
PERSONNALISE = "personnalise"


def autorise(user: User) -> None:
    """Stop the page with a French message unless the user may read the déploiement pages."""
    if not user.peut(Capacite.VOIR_DEPLOIEMENT):
        st.info("Cette page est réservée aux chargés de déploiement, aux conservateurs et aux administrateurs.")
        st.stop()


@dataclass(frozen=True)
class Contexte:
    user: User
    ref: Referentiel
    vue: vues.Vue
    aujourd_hui: date

    @property
    def lieu(self) -> str:
        if self.vue.departement:
            return f"{self.vue.departement} — {self.ref.nom_departement[self.vue.departement]}"
        return self.ref.nom_region[self.vue.region] if self.vue.region else self.user.scope.libelle

    @property
    def departement_carte(self) -> str | None:
        """The département whose map is drawn: the one chosen, or the only one of the scope
        (a deployment officer of one département has nothing to choose)."""
        return self.vue.departement or self.ref.departement_unique


def _poids_des_widgets() -> tuple[int, ...]:
    return tuple(int(S.get(f"{P}poids_{c}", d)) for c, d in zip(priorite.CODES, priorite.PAR_DEFAUT))


def _appliquer_preset() -> None:
    preset = priorite.PRESETS.get(S.get(f"{P}preset"))
    if preset:
        S.update({f"{P}poids_{c}": w for c, w in zip(priorite.CODES, preset.poids)})


def _widgets_de_vue(vue: vues.Vue) -> None:
    f = vue.filtres
    S.update({f"{P}region": vue.region, f"{P}departement": vue.departement, f"{P}epci": f.epci,
              f"{P}objets_min": f.objets_min, f"{P}masquer_contactees": f.masquer_contactees,
              f"{P}masquer_en_campagne": f.masquer_en_campagne,
              **{f"{P}poids_{c}": w for c, w in zip(priorite.CODES, vue.poids)}})


def _effacer(*cles: str) -> None:
    for cle in cles:
        S[P + cle] = None


@st.cache_data(max_entries=256, show_spinner=False)
def _epcis(user: User, territoire, version: int) -> dict[str, str]:
    """The EPCIs of the territory's communes (a small dict: a warm run does not unpickle the
    territory's communes for them)."""
    return vues.epcis_de(ui.read(deploiement.communes, user.scope, user.role, territoire))


def vue_de_la_page(user: User) -> Contexte:
    """The page's view from the URL and the widgets (drawn here), written back to the URL."""
    ref = ui.read(lectures_carte.referentiel, user.scope)
    vue, messages = vues.vue_depuis_url(st.query_params.to_dict(), ref)
    externe = S.get(P + "url") != vues.url_de_vue(vue) or bool(messages)
    if externe:
        _widgets_de_vue(vue)

    col = st.columns(3)
    noms_reg, noms_dep = ref.nom_region, ref.nom_departement
    col[0].selectbox("Région", [None, *noms_reg], key=P + "region", on_change=_effacer,
                     args=("departement", "epci"),
                     **choix.avec_aucun(choix.libelle(noms_reg, "Tout votre périmètre")))
    deps = [code for code, _, r in ref.departements if S.get(P + "region") in (None, r)]
    if S.get(P + "departement") not in deps:
        S[P + "departement"] = None
    col[1].selectbox("Département", [None, *deps], key=P + "departement", on_change=_effacer, args=("epci",),
                     **choix.avec_aucun(choix.code_et_nom(noms_dep)))
    region, departement = S.get(P + "region"), S.get(P + "departement")
    if departement:
        region = ref.region_de.get(departement)
    territoire = vues.Vue(region, departement).territoire
    epcis = _epcis(user, territoire, ui.run_version())
    if S.get(P + "epci") is not None and S.get(P + "epci") not in epcis:
        _, erreur = vues.epci_connu(vues.Vue(filtres=vues.Filtres(epci=S[P + "epci"])), epcis)
        messages += erreur
        S[P + "epci"] = None
    col[2].selectbox("EPCI", [None, *epcis], key=P + "epci", **choix.avec_aucun(choix.libelle(epcis)))
    col = st.columns([1, 1, 1])
    col[0].number_input("Nombre minimal d'objets protégés", min_value=1, max_value=vues.OBJETS_MIN_MAX, step=1,
                        key=P + "objets_min")
    col[1].checkbox("Masquer les communes déjà contactées", key=P + "masquer_contactees",
                    help="Invitées par une campagne lancée, ou avec un contact enregistré.")
    col[2].checkbox("Masquer les communes d'une campagne active", key=P + "masquer_en_campagne",
                    help="Campagne planifiée ou en cours.")
    for message in messages:
        st.warning(message)

    with st.expander("Critères du score et leurs poids", expanded=False):
        S[P + "preset"] = priorite.preset_de(_poids_des_widgets()) or PERSONNALISE
        st.selectbox("Préréglage", [*priorite.PRESETS, PERSONNALISE], key=P + "preset", on_change=_appliquer_preset,
                     placeholder=choix.CHOISIR,
                     format_func=lambda k: priorite.PRESETS[k].libelle if k in priorite.PRESETS else "Personnalisé")
        col = st.columns(len(priorite.CRITERES))
        for c, critere in zip(col, priorite.CRITERES):
            c.slider(critere.libelle, priorite.POIDS_MIN, priorite.POIDS_MAX, key=f"{P}poids_{critere.code}",
                     help=critere.explication)
        poids = _poids_des_widgets()
        if not any(poids):
            st.warning("Tous les poids sont à zéro : aucun critère ne classerait les communes. Poids par défaut "
                       "utilisés.")
            poids = priorite.PAR_DEFAUT
        st.markdown("**Comment le score est calculé.** Chaque critère vaut de 0 à 1 (entièrement à partir du "
                    "plafond indiqué) ; le score, sur 100, est leur moyenne pondérée par les poids ci-dessus. "
                    "Les points de chaque critère s'additionnent pour donner le score : le tableau les montre "
                    "côte à côte.")
        st.markdown("\n".join(f"- {ligne}" for ligne in priorite.explication(poids)))

    filtres = vues.Filtres(S.get(P + "epci"), int(S.get(P + "objets_min") or 1), bool(S.get(P + "masquer_contactees")),
                           bool(S.get(P + "masquer_en_campagne")))
    vue = vues.Vue(region, departement, filtres, poids)
    url = vues.url_de_vue(vue)
    ui.synchroniser_url(vues.changements_d_url, url)
    S[P + "url"] = url
    return Contexte(user, ref, vue, date.today())


# Shared by the sessions, not copied to each (the page and its downloads only read it): the
# download buttons hold it until the session's next run, and a copy per session of France's
# ranking stayed in memory with every session.
@st.cache_resource(max_entries=64, show_spinner=False)
def _classement(user: User, vue: vues.Vue, annee: int, version: int):
    communes = ui.read(deploiement.communes, user.scope, user.role, vue.territoire)
    classement = priorite.classer(vues.selection(communes, vue.filtres), vue.poids, annee)
    return classement, tableau.affichage(classement)


def classement_de(ctx: Contexte) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the ranked communes of the view, their display): shared, not to be changed."""
    return _classement(ctx.user, ctx.vue, ctx.aujourd_hui.year, ui.run_version())


@st.cache_data(max_entries=16, show_spinner=False)
def _couche(user: User, vue: vues.Vue, departement: str, annee: int, version: int):
    geo = ui.read(geometrie, user.scope, "communes", None, departement)
    classement, _ = _classement(user, vue, annee, version)
    return carte.couche(geo, classement)


def carte_de(ctx: Contexte):
    """The folium map of a département's selection, new at each run; its layer is kept per
    view and data version. st_folium changes the map it draws (its ids, a header added again
    each time): a map kept between runs, and shared between sessions, grew at every run and
    was changed by two sessions at once."""
    geo = ui.read(geometrie, ctx.user.scope, "communes", None, ctx.departement_carte)
    return dessin.construire_carte(geo, _couche(ctx.user, ctx.vue, ctx.departement_carte, ctx.aujourd_hui.year,
                                                ui.run_version()))
