"""/recensement (issue 15): a commune's objets by édifice and where each stands, its dossier
(started when it wants, submitted when every objet is recensé, then read-only), the guide,
and one objet's questionnaire (app/recensement/questionnaire.py). A conservateur opens a
commune's questionnaire read-only (?commune=CODE, or the commune chosen by name).

One column, no wide table: the page is used on a phone, in a church."""
from __future__ import annotations

import streamlit as st

from dashboard.app import formulaires, recherche, ui
from dashboard.app.recensement import questionnaire as vue_objet
from dashboard.app.recensement import vue
from dashboard.domain import formats
from dashboard.domain.identity import User
from dashboard.domain.vocabulary import SOUHAIT_VISITE
from dashboard.reads import questionnaire as lectures
from dashboard.writes import questionnaire as ecritures

md = ui.sans_markdown
GUIDE = "guide_recensement.md"


def afficher(user: User) -> None:
    peut_repondre = ecritures.peut_repondre(user) and user.scope.commune is not None
    code = vue.commune_de_la_page(user.scope.commune, st.query_params.get("commune"))
    if code is None:
        _choisir_commune(user)
        return
    commune = ui.read(lectures.commune, user.scope, code)
    if commune is None:
        st.title("Recensement d'une commune")
        st.error(f"Aucune commune de code {md(code)} dans votre périmètre : choisissez-la par son nom.")
        _choisir_commune(user)
        return
    dossier = ui.read(lectures.dossier, user.scope, code)
    objets = ui.read(lectures.objets, user.scope, code, None if dossier is None else int(dossier["id"]))
    lecture_seule = vue.lecture_seule(peut_repondre, dossier)
    formulaires.afficher_annonce(st)
    ref = st.query_params.get("objet")
    choisi = next((r for r in objets.to_dict("records") if r["ref"] == ref), None)
    if choisi is not None and dossier is not None:
        st.title(f"Recensement — {md(commune['nom'])}")
        vue_objet.afficher(user, dossier, choisi, lecture_seule, lambda: _retour(ref))
        _guide()
        return
    st.title(f"Recensement des objets — {md(commune['nom'])}")
    if not peut_repondre:
        st.info("Consultation : vous voyez les réponses de la commune sans pouvoir les modifier.")
    _dossier(user, code, dossier, objets, peut_repondre)
    _guide()
    _liste(objets, dossier)
    if dossier is not None and dossier["statut"] == "construction" and peut_repondre:
        _transmettre(user, dossier, objets)


def _choisir_commune(user: User) -> None:
    st.title("Recensement d'une commune")
    st.caption("Choisissez la commune dont vous voulez consulter le recensement.")
    code = recherche.choisir_commune("Commune", "recensement_commune", user.scope)
    if code:
        st.query_params["commune"] = code
        st.rerun()


def _retour(ref: str) -> None:
    st.query_params.pop("objet", None)
    st.session_state.pop(f"q_version_{ref}", None)
    st.session_state.pop(f"q_etape_{ref}", None)
    st.rerun()


def _guide() -> None:
    with st.expander("Guide : juger l'état d'un objet, sa sécurisation, que faire s'il est introuvable",
                     icon=":material/menu_book:"):
        ui.markdown_asset(GUIDE)


def _dossier(user: User, code: str, dossier: dict | None, objets, peut_repondre: bool) -> None:
    """Where the dossier stands; what the conservateur wrote for the commune; start one."""
    st.write(vue.etat_du_dossier(dossier))
    if dossier is not None and dossier.get("campagne_nom"):
        st.caption(f"Campagne : {md(dossier['campagne_nom'])}")
    if dossier is not None and dossier["statut"] == "construction" and dossier.get("renvoi_motif"):
        st.warning("Le conservateur vous a renvoyé le dossier"
                   + (f" ({md(dossier['renvoye_par'])})" if dossier.get("renvoye_par") else "") + ". Son message :")
        st.text(dossier["renvoi_motif"])
    if dossier is not None and dossier["statut"] == "accepted":
        st.success(f"Décision du conservateur : dossier accepté. Visite souhaitée : "
                   f"{SOUHAIT_VISITE.libelle(dossier['visite']).lower()}.")
        if dossier.get("notes_conservateur"):
            st.markdown("**Message du conservateur**" + (f" ({md(dossier['conservateur'])})"
                                                          if dossier.get("conservateur") else ""))
            st.text(dossier["notes_conservateur"])
        st.caption("L'examen de chaque objet est sur sa ligne, ci-dessous (« Voir »).")
    if dossier is not None and dossier["statut"] != "accepted":
        av = vue.avancement(objets)
        st.progress(av.completes / av.objets if av.objets else 0.0, text=av.libelle)
        return
    if not peut_repondre or objets.empty:
        if objets.empty:
            st.caption("Aucun objet protégé à recenser dans cette commune.")
        return
    invitation = ui.read(lectures.campagne_invitee, code)
    if invitation:
        st.info(f"Votre commune est invitée à la campagne « {md(invitation['nom'])} » (jusqu'au "
                f"{formats.date_fr(invitation['date_fin'])}).")
    if st.button("Commencer le recensement" if dossier is None else "Commencer un nouveau recensement",
                 type="primary", width="stretch", key="commencer"):
        try:
            ecritures.ecrire(ecritures.commencer, user, code, invitation["id"] if invitation else None)
        except ecritures.QuestionnaireError as exc:
            st.error(md(str(exc)))
            return
        st.rerun()


def _liste(objets, dossier: dict | None) -> None:
    """The objets by édifice: title, where its recensement stands, a button to open it."""
    if objets.empty:
        return
    ouvrable = dossier is not None
    st.subheader("Vos objets, par édifice")
    for edifice, rows in vue.par_edifice(objets):
        st.markdown(f"**{md(edifice)}** — {formats.pluriel(len(rows), 'objet')}")
        for row in rows:
            with st.container(border=True):
                st.markdown(f"{md(row['titre'] or row['ref'])}  \n{vue.libelle_statut(row)}"
                            + (f" · {md(vue.resume(row))}" if vue.resume(row) else ""))
                st.markdown(f"[Notice POP {md(row['ref'])}]({vue.pop_url(row['ref'])})")
                if ouvrable:
                    libelle = {vue.A_FAIRE: "Recenser", vue.COMMENCE: "Continuer",
                               vue.COMPLET: "Voir ou modifier"}[vue.statut_objet(row)]
                    if dossier["statut"] != "construction":
                        libelle = "Voir"
                    if st.button(libelle, key=f"ouvrir_{row['ref']}", width="stretch"):
                        st.query_params["objet"] = row["ref"]
                        st.rerun()


def _transmettre(user: User, dossier: dict, objets) -> None:
    """The submission: only when every objet has a completed recensement."""
    st.subheader("Transmettre le dossier au conservateur")
    av = vue.avancement(objets)
    if not av.tout_est_recense:
        st.caption(f"Possible quand chaque objet est recensé ({av.libelle}).")
        return
    st.caption("Une fois transmis, le dossier ne peut plus être modifié (sauf si le conservateur vous le renvoie).")
    notes = st.text_area("Message pour le conservateur (facultatif)", max_chars=ecritures.NOTES_DOSSIER_MAX,
                         key="transmettre_notes")
    recenseur = st.text_input("Qui a fait le recensement ? (facultatif)", max_chars=ecritures.RECENSEUR_MAX,
                              key="transmettre_recenseur")
    if st.button("Transmettre le dossier", type="primary", width="stretch", key="transmettre"):
        try:
            ecritures.ecrire(ecritures.soumettre, user, int(dossier["id"]), int(dossier["version"]), notes or None,
                             recenseur or None)
        except ecritures.QuestionnaireError as exc:
            st.error(md(str(exc)))
            return
        formulaires.annoncer(st.session_state, "Dossier transmis au conservateur. Merci !")
        st.rerun()
