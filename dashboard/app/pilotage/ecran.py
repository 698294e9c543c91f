"""Streamlit glue the two pilotage pages share: the territory (and target date) widgets kept
in step with the URL, the pages' tables built once per view and data version, a table shown
with its CSV download, the definitions.

Building the tables from the reads (pandas on a hundred rows, their French display) costs
more than a warm run may spend: the tables of a view are cached like the reads they come
from (keyed on the data version of the run), so a rerun only unpickles them.

The URL is read into a view at the start of each run (dashboard.app.pilotage.vue: each bad
value gets its French message and the default view), the widgets are set from it when the
URL changed from outside (first visit, a copied link, the back button), and the view the
widgets choose is written back, as /carte does (dashboard/app/carte/vue.py says why the
widgets are not bound to the URL).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

import streamlit as st

from dashboard.app import choix, ui
from dashboard.app.pilotage import (classement, couverture, definitions, exports, restauration, tableaux,
                                    vue as vues)
from dashboard.app.pilotage.tableaux import Tableau
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.reads import carte, pilotage
from dashboard.reads.geometrie import geometrie


@dataclass(frozen=True)
class Contexte:
    """What a pilotage page knows once its view is read: the user, the territories of their
    scope holding objets, the view, and today."""
    user: User
    ref: carte.Referentiel     # territories holding counted objets
    vue: vues.Vue
    aujourd_hui: date

    @property
    def codes(self) -> list[str]:
        return vues.departements_de(self.ref, self.vue)

    @property
    def lieu(self) -> str:
        return vues.lieu(self.vue, self.ref, self.user.scope.libelle)


def autorise(user: User) -> None:
    """Stop the page with a French message unless the user may read the pilotage."""
    if not user.peut(Capacite.VOIR_PILOTAGE):
        st.info("Le pilotage est réservé aux responsables DRAC, aux conservateurs et aux administrateurs.")
        st.stop()


def vue_de_la_page(prefixe: str, user: User, avec_echeance: bool) -> Contexte:
    """The page's view, from the URL and the widgets (drawn here), written back to the URL."""
    S = st.session_state
    aujourd_hui = date.today()
    complet = ui.read(carte.referentiel, user.scope)
    avec = ui.read(pilotage.departements_avec_objets, user.scope, user.role)
    if not avec:
        st.info(f"Aucun objet compté dans votre périmètre ({user.scope.libelle}).")
        st.stop()
    ref = vues.avec_objets(complet, avec)
    vue, messages = vues.vue_depuis_url(st.query_params.to_dict(), complet, aujourd_hui, avec_echeance, avec)
    for message in messages:
        st.warning(message)
    keys = {k: f"{prefixe}_{k}" for k in ("region", "departement", "echeance", "url")}
    if S.get(keys["url"]) != vues.url_de_vue(vue, aujourd_hui) or messages:
        S[keys["region"]], S[keys["departement"]] = vue.region, vue.departement
        S[keys["echeance"]] = vues.echeance_de(vue, aujourd_hui)

    def effacer_departement():
        S[keys["departement"]] = None

    col = st.columns(3)
    noms_reg, noms_dep = ref.nom_region, ref.nom_departement
    col[0].selectbox("Région", [None, *noms_reg], key=keys["region"], on_change=effacer_departement,
                     **choix.avec_aucun(choix.libelle(noms_reg, "Tout votre périmètre")))
    deps = vues.departements_de(ref, vues.Vue(region=S.get(keys["region"])))
    if S.get(keys["departement"]) not in deps:
        S[keys["departement"]] = None
    col[1].selectbox("Département", [None, *deps], key=keys["departement"],
                     **choix.avec_aucun(choix.code_et_nom(noms_dep)))
    if avec_echeance:
        col[2].date_input("Échéance de l'objectif", key=keys["echeance"], format="DD/MM/YYYY",
                          min_value=aujourd_hui + timedelta(days=1), max_value=vues.echeance_max(aujourd_hui),
                          help="La date à laquelle chaque objet devrait avoir été recensé depuis moins de "
                               "cinq ans.")
    vue = vues.Vue(S.get(keys["region"]), S.get(keys["departement"]),
                   S.get(keys["echeance"]) if avec_echeance else None)
    url = vues.url_de_vue(vue, aujourd_hui)
    ui.synchroniser_url(vues.changements_d_url, url)
    S[keys["url"]] = url
    return Contexte(user, ref, vue, aujourd_hui)


@st.cache_data(max_entries=256, show_spinner=False)
def _couverture(ctx: Contexte, echeance: date, cle: str, version: int):
    scope, role, territoire = ctx.user.scope, ctx.user.role, ctx.vue.territoire
    p = couverture.page(ctx.ref, ctx.codes, ui.read(pilotage.objets_par_departement, scope, role, territoire, echeance),
                        ui.read(pilotage.activite, scope, role, territoire), echeance, ctx.aujourd_hui)
    rang = classement.classement(p, cle)
    dessin = ""
    if len(ctx.codes) > 1:
        region = None if ctx.vue.par_defaut else ctx.vue.region
        dessin = classement.carte(rang, cle, ui.read(geometrie, scope, "departements", region, None))
    return p, rang, dessin, {t.cle: tableaux.affichage(t) for t in [*p.tableaux, rang]}


def couverture_de(ctx: Contexte, echeance: date, cle: str):
    """(the tables of /couverture, the ranking on `cle`, its map (SVG; none for a single
    département), the display of each table by key)."""
    return _couverture(ctx, echeance, cle, ui.run_version())


@st.cache_data(max_entries=256, show_spinner=False)
def _restauration(ctx: Contexte, selection: restauration.Selection, version: int):
    donnees = ui.read(pilotage.restauration, ctx.user.scope, ctx.user.role, ctx.vue.territoire)
    p = restauration.page(ctx.ref, ctx.codes, donnees)
    liste = restauration.objets_de(donnees.objets, selection)
    objets = restauration.tableau_objets(liste)
    return p, objets, {t.cle: tableaux.affichage(t) for t in [*p.tableaux, objets]}


def restauration_de(ctx: Contexte, selection: restauration.Selection):
    """(the tables of /restauration, the list of the objets `selection` picks, the display
    of each table by key)."""
    return _restauration(ctx, selection, ui.run_version())


def tableau(t: Tableau, nom: str, affiche=None, extra: dict | None = None, column_config: dict | None = None,
            **kwargs):
    """A table as the page shows it (`affiche`: its display, already built; `extra`: columns
    shown but not exported, such as links), then its CSV download. kwargs go to st.dataframe."""
    shown = tableaux.affichage(t) if affiche is None else affiche
    for column, values in (extra or {}).items():
        shown[column] = values
    event = st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config, **kwargs)
    st.download_button(f"Télécharger « {t.titre} » (CSV)", partial(exports.csv_bytes, t), f"{nom}-{t.cle}.csv",
                       mime="text/csv", key=f"csv_{t.cle}", icon=":material/download:")
    return event


def definitions_de(liste: list[tuple[str, str]]) -> None:
    with st.expander("Définitions des chiffres"):
        st.markdown(definitions.markdown(liste))
