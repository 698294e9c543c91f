"""Campaigns on the page: create one for a département from a selection of
/communes-a-contacter (or add the selection to one of its campaigns), and on /campagnes plan
a draft, put it back in draft, change its name and dates; the progress tables.

Writes go through dashboard.writes.campagnes (dates checked, the overlap of two active
campaigns refused by the database, in French); a refused save says why and the form keeps
what was typed.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.app import choix, formulaires, ui
from dashboard.domain import campagnes as regles
from dashboard.domain import formats
from dashboard.domain.identity import User
from dashboard.domain.vocabulary import STATUT_CAMPAGNE
from dashboard.reads import campagnes as lectures
from dashboard.reads.pilotage import Territoire
from dashboard.writes import campagnes, examen

S = st.session_state


def date_fr(d) -> str:
    return "—" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y")


def tableau_avancement(frame: pd.DataFrame, avec_lien: bool = True) -> pd.DataFrame:
    """The campaigns and their communes (invited, reminded, started, transmitted, accepted),
    statuses in words."""
    out = {
        "Campagne": list(frame["nom"]), "Département": [f"{c} — {n}" for c, n in zip(frame["departement"],
                                                                                     frame["departement_nom"])],
        "Statut": [STATUT_CAMPAGNE.libelle(s) for s in frame["statut"]],
        "Lancement": [date_fr(d) for d in frame["date_lancement"]], "Fin": [date_fr(d) for d in frame["date_fin"]],
        "Communes de la campagne": frame["communes"], "Invitées": frame["invitees"],
        "Relancées": frame["relancees"], "Ont commencé": frame["commencees"],
        "Ont transmis": frame["transmises"], "Acceptées": frame["acceptees"],
        "Part ayant transmis": [ui.fmt_pct(t / n if n else None) for t, n in zip(frame["transmises"],
                                                                                 frame["communes"])],
    }
    if avec_lien:
        out["Détail"] = [f"campagnes?campagne={i}" for i in frame["id"]]
    return pd.DataFrame(out)


def _dates_du_formulaire(cle: str) -> regles.Dates:
    saisies = [S.get(f"{cle}_relance_{k}") for k in range(1, regles.RELANCES_MAX + 1)]
    erreurs = regles.erreurs_relances_saisies(*saisies)
    if erreurs:
        raise campagnes.CampagneInvalide(" ".join(erreurs))
    return regles.Dates(S[f"{cle}_lancement"], S[f"{cle}_fin"], regles.relances_de(*saisies))


def _champs_dates(cle: str, aujourd_hui: date, actuelle: dict | None = None) -> None:
    if f"{cle}_lancement" not in S:
        a = actuelle or {}
        lancement = a.get("date_lancement") or aujourd_hui + timedelta(days=14)
        S.update({f"{cle}_lancement": lancement, f"{cle}_fin": a.get("date_fin") or lancement + timedelta(days=90),
                  **{f"{cle}_relance_{k}": a.get(f"date_relance_{k}") if actuelle else
                     lancement + timedelta(days=15 * k) for k in range(1, regles.RELANCES_MAX + 1)}})
    col = st.columns(regles.RELANCES_MAX + 2)
    col[0].date_input("Lancement", key=f"{cle}_lancement", format="DD/MM/YYYY")
    for k in range(1, regles.RELANCES_MAX + 1):
        col[k].date_input(f"Relance {k} (facultative)", key=f"{cle}_relance_{k}", format="DD/MM/YYYY")
    col[-1].date_input("Fin", key=f"{cle}_fin", format="DD/MM/YYYY")


def creation(user: User, departement: str, nom_departement: str, selection: list[str], cochees: list[str]) -> None:
    """Create a campaign of the département with the selected communes, or add them to one of
    its campaigns that is not finished."""
    cle = "cac_campagne"
    aujourd_hui = date.today()
    col = st.columns(2)
    quelles = col[0].radio("Communes", ["cochees", "selection"], key=f"{cle}_quelles", horizontal=True,
                           format_func=lambda q: f"les lignes cochées du tableau ({len(cochees)})" if q == "cochees"
                           else f"toute la sélection ({len(selection)})")
    mode = col[1].radio("Campagne", ["nouvelle", "existante"], key=f"{cle}_mode", horizontal=True,
                        format_func=lambda m: "nouvelle" if m == "nouvelle" else "une campagne du département")
    codes = cochees if quelles == "cochees" else selection
    existantes = ui.read(lectures.avancement, user.scope, user.role, Territoire(None, departement),
                         ("draft", "planned", "ongoing"), None) if mode == "existante" else None
    with st.form(f"{cle}_form"):
        if mode == "nouvelle":
            S.setdefault(f"{cle}_nom", f"Recensement {nom_departement} {aujourd_hui.year}")
            st.text_input("Nom de la campagne", key=f"{cle}_nom", max_chars=regles.NOM_MAX)
            _champs_dates(cle, aujourd_hui)
            st.radio("Statut", ["draft", "planned"], key=f"{cle}_statut", horizontal=True,
                     format_func=STATUT_CAMPAGNE.libelle,
                     help="Planifiée : elle sera lancée à sa date (invitations envoyées par courriel). "
                          "Brouillon : rien n'est envoyé tant qu'elle n'est pas planifiée.")
        elif existantes is not None and not existantes.empty:
            ids = [int(i) for i in existantes["id"]]
            noms = {int(r.id): f"{r.nom} ({STATUT_CAMPAGNE.libelle(r.statut).lower()}, du {date_fr(r.date_lancement)} "
                               f"au {date_fr(r.date_fin)})" for r in existantes.itertuples()}
            st.selectbox("Campagne", ids, placeholder=choix.CHOISIR, key=f"{cle}_existante", format_func=noms.get)
        else:
            st.caption(f"Aucune campagne du département {departement} en brouillon, planifiée ou en cours.")
        envoye = st.form_submit_button("Créer la campagne" if mode == "nouvelle" else "Ajouter les communes",
                                       type="primary")
    formulaires.afficher_refus(st, cle, f"{cle}_version")
    if not envoye:
        return
    try:
        if mode == "nouvelle":
            nouvelle = campagnes.NouvelleCampagne(departement, S.get(f"{cle}_nom"), _dates_du_formulaire(cle),
                                                  S.get(f"{cle}_statut") or "draft")
            campagne_id = examen.ecrire(campagnes.creer, user, nouvelle, codes)
            message = f"Campagne créée avec {formats.pluriel(len(set(codes)), 'commune')}."
        else:
            campagne_id = S.get(f"{cle}_existante")
            if campagne_id is None:
                raise campagnes.CampagneInvalide("Choisissez une campagne.")
            n = examen.ecrire(campagnes.ajouter_communes, user, int(campagne_id), codes)
            message = f"{formats.pluriel(n, 'commune ajoutée', 'communes ajoutées')} à la campagne."
    except examen.ExamenError as exc:
        formulaires.signaler(S, cle, exc)
        st.rerun()
    for k in [k for k in S if k.startswith(cle + "_") and k not in (f"{cle}_quelles", f"{cle}_mode")]:
        S.pop(k, None)
    formulaires.annoncer(S, f"{message} Détail : page Campagnes (campagnes?campagne={campagne_id}).")
    st.rerun()


def actions(user: User, campagne: dict) -> None:
    """Plan, put back in draft, change the name and dates (a campaign not launched yet)."""
    cle = f"campagne_{campagne['id']}"
    version_key = f"{cle}_version"
    version = formulaires.version_formulaire(S, version_key, int(campagne["version"]))
    statut = campagne["statut"]
    for (de, vers), libelle in regles.CHANGEMENTS_MANUELS.items():
        if de == statut and st.button(libelle, key=f"{cle}_{vers}"):
            try:
                S[version_key] = examen.ecrire(campagnes.changer_statut, user, int(campagne["id"]), version, de, vers)
            except examen.ExamenError as exc:
                formulaires.signaler(S, cle, exc)
                st.rerun()
            formulaires.annoncer(S, f"Campagne {STATUT_CAMPAGNE.libelle(vers).lower()}.")
            st.rerun()
    if statut in regles.MODIFIABLES:
        with st.expander("Modifier le nom et les dates"):
            with st.form(f"{cle}_form"):
                S.setdefault(f"{cle}_nom", campagne["nom"])
                st.text_input("Nom de la campagne", key=f"{cle}_nom", max_chars=regles.NOM_MAX)
                _champs_dates(cle, date.today(), campagne)
                envoye = st.form_submit_button("Enregistrer", type="primary")
            if envoye:
                try:
                    S[version_key] = examen.ecrire(campagnes.modifier, user, int(campagne["id"]), version,
                                                   S.get(f"{cle}_nom"), _dates_du_formulaire(cle))
                except examen.ExamenError as exc:
                    formulaires.signaler(S, cle, exc)
                    st.rerun()
                formulaires.annoncer(S, "Campagne modifiée.")
                st.rerun()
    formulaires.afficher_refus(st, cle, version_key)
