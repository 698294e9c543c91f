"""Fiche objet (/objet?ref=REF): Palissy fields, recensements over time, examen, follow-up of a disparu."""
import streamlit as st

from dashboard.app import choix, fiche_url, formulaires, navigation, recherche, transmis, ui
from dashboard.app.recensement import photos
from dashboard.domain import formats
from dashboard.domain.vocabulary import ETAT_SANITAIRE, FICHE_CONSEIL, LOCALISATION, PROTECTION, SECURISATION, URGENCE
from dashboard.reads import fiches, questionnaire
from dashboard.writes import examen

user = ui.current_user()
ref, fiche = recherche.fiche_de_l_url(fiches.fiche_objet, user, fiche_url.OBJET)
o = fiche.objet
formulaires.afficher_annonce(st)
md = ui.sans_markdown  # text from the database, shown as written wherever Markdown is rendered
st.title(md(o["titre"] or o["ref"]))
st.caption(f"{md(o['ref'])} · {PROTECTION.libelle(o['protection'], 'protection inconnue')} · "
           f"{md(o['commune_nom'] or '?')} ({md(o['commune_code'] or '?')}), {md(o['departement_nom'])}")
st.link_button("Voir la notice dans POP", fiche.pop_url, icon=":material/open_in_new:")
if o["commune_code"]:
    st.page_link(navigation.script("commune"), label=f"Fiche de la commune : {md(o['commune_nom'])}",
                 query_params={"code": o["commune_code"]}, icon=":material/location_city:")

if o["urgence"]:
    st.warning(f"Cas {URGENCE.libelle(o['urgence']).lower()} d'après le recensement courant.", icon=":material/warning:")
if o["localisation"] == "deplacement_autre_commune":
    moved = fiche.recensements.iloc[0]
    st.info(f"Déplacé dans une autre commune : {md(moved['autre_commune_nom'] or moved['autre_commune_code'])}. "
            "Cette commune le voit sur sa fiche et le déplacement figure dans l'export des corrections POP.")

col1, col2 = st.columns(2)
with col1:
    st.subheader("Notice Palissy")
    champs = {
        "Dénomination": ", ".join(o["denomination"] or []),
        "Catégorie technique": ", ".join(o["categorie"] or []),
        "Siècle": ", ".join(o["siecle"] or []),
        "Protection (POP)": o["protection_brute"] or "—",
        "Dates de protection": o["dpro"] or "—",
        "Statut du propriétaire": o["statut_proprietaire"] or "—",
        "Édifice": o["edifice"] or "—",
        "Emplacement": o["emplacement"] or "—",
        "Code INSEE d'origine": o["insee_brut"] or "—",
        "Dernier récolement (POP)": o["denq"] or "—",
        "Signalé dans POP": " ; ".join(x for x in (o["manquant"], o["deplacement"]) if x) or "—",
    }
    if not o["dans_perimetre"]:
        champs["Hors du périmètre de recensement"] = o["hors_perimetre_raison"]
    st.dataframe({"Champ": list(champs), "Valeur": list(champs.values())}, hide_index=True, width="stretch")
with col2:
    st.subheader("Situation actuelle")
    if o["recensement_id"] is None:
        st.write("Jamais recensé.")
    else:
        st.metric("État sanitaire retenu", ETAT_SANITAIRE.libelle(o["etat_sanitaire"]))
        st.write(f"Recensé le {formats.date_fr(o['recense_le'])} · "
                 f"{LOCALISATION.libelle(o['localisation'])}"
                 + (f" · {SECURISATION.libelle(o['securisation'])}" if o["securisation"] else ""))
        st.write("Examiné par un conservateur." if o["analyse"] else "Pas encore examiné.")

st.subheader("Recensements")
recs = fiche.recensements
if recs.empty:
    st.caption("Aucun recensement transmis.")
else:
    st.dataframe(fiches.historique(recs), hide_index=True, width="stretch",
                 column_config={"Date": st.column_config.DateColumn(format="DD/MM/YYYY")})
    photos_objet = ui.read(questionnaire.photos_objet, user.scope, ref)
    if photos_objet.empty:
        st.caption("Aucune photo transmise avec ces recensements.")
    else:
        st.markdown("**Photos transmises par la commune**")
        photos.par_recensement(photos_objet, lambda p: f"Recensement du {formats.date_fr(p['recense_le'])}")
    for _, rec in recs.iterrows():
        with st.expander(f"Recensement du {formats.date_fr(rec['recense_le'])} — analyses et notes"):
            st.markdown("**Notes de la commune**")
            st.text(rec["notes"] or "—")
            if rec["analyse"]:
                st.markdown(f"**Analyse du conservateur** ({md(rec['analyse_par'] or '?')}, "
                            f"{formats.date_fr(rec['analyse_le'])})")
                st.text(rec["analyse_notes"] or "—")
                st.write("Fiches conseils : "
                         + (", ".join(md(FICHE_CONSEIL.libelle(f, f)) for f in rec["analyse_fiches"]) or "aucune"))

# --- examen of the current recensement ---------------------------------------------------
current = recs.iloc[0] if not recs.empty else None
if current is not None and examen.peut_examiner(user.role):
    st.subheader("Examen du recensement courant")
    rid = int(current["id"])
    key = f"examen_version_{rid}"
    version = formulaires.version_formulaire(st.session_state, key, int(current["version"]))
    col_commune, col_examen = st.columns([1, 1], gap="large")
    with col_commune:  # what the commune sent, beside the fields that judge it
        transmis.reponses_recensement(current, fiches.voit_securisation(user.role),
                                      int((photos_objet["recensement_id"] == rid).sum()))
    with col_examen:
        if current["dossier_statut"] != "submitted":
            st.caption("Le dossier de ce recensement n'est pas en attente d'examen "
                       "(accepté : rouvrez-le depuis la fiche de la commune pour modifier l'analyse).")
        else:
            recensable = bool(current["recensable"])
            with st.form(f"examen_{rid}"):
                etat = securisation = None
                if recensable:
                    etats = list(ETAT_SANITAIRE)
                    etat = st.selectbox(
                        f"État sanitaire (réponse de la commune : {ETAT_SANITAIRE.libelle(current['etat_commune'])})",
                        options=etats, format_func=ETAT_SANITAIRE.libelle, placeholder=choix.CHOISIR,
                        index=etats.index(current["etat_retenu"]) if current["etat_retenu"] in etats else 0,
                        key=f"examen_{rid}_etat")
                    secus = list(SECURISATION)
                    securisation = st.selectbox(
                        "Sécurisation (réponse de la commune : "
                        f"{SECURISATION.libelle(current['securisation_commune'])})",
                        options=secus, format_func=SECURISATION.libelle, placeholder=choix.CHOISIR,
                        index=secus.index(current["securisation_retenue"])
                        if current["securisation_retenue"] in secus else 0,
                        key=f"examen_{rid}_secu")
                notes = st.text_area("Notes de l'examen (envoyées à la commune avec la décision sur le dossier)",
                                     value=current["analyse_notes"] or "", max_chars=examen.NOTES_MAX,
                                     key=f"examen_{rid}_notes")
                offertes = [f for f in FICHE_CONSEIL if f != "depot_plainte" or current["localisation"] == "absent"]
                choisies = st.multiselect("Fiches conseils", options=offertes, format_func=FICHE_CONSEIL.libelle,
                                          default=[f for f in current["analyse_fiches"] if f in offertes],
                                          key=f"examen_{rid}_fiches", placeholder="Aucune")
                saved = st.form_submit_button("Enregistrer l'analyse")
            if saved:
                try:
                    st.session_state[key] = examen.ecrire(
                        examen.analyser, user, rid, version, etat=etat, securisation=securisation,
                        notes=notes or None, fiches=choisies)
                    formulaires.annoncer(st.session_state, "Analyse enregistrée.")
                    st.rerun()
                except examen.ExamenError as exc:
                    formulaires.signaler(st.session_state, f"examen_{rid}", exc)
        formulaires.afficher_refus(st, f"examen_{rid}", key)

# --- follow-up of a disparu ------------------------------------------------------------------
if o["localisation"] == "absent" and current is not None:
    st.subheader("Suivi de la disparition")
    rid = int(current["id"])
    suivi = fiche.suivis[fiche.suivis["recensement_id"] == rid]
    suivi = suivi.iloc[0].to_dict() if not suivi.empty else {}
    if suivi:
        st.caption(f"Mis à jour le {formats.date_fr(suivi['maj_le'])} par {md(suivi['maj_par'] or '?')}")
    if examen.peut_examiner(user.role):
        key = f"suivi_version_{rid}"
        version = formulaires.version_formulaire(st.session_state, key, int(suivi.get("version") or 0))
        with st.form(f"suivi_{rid}"):
            col1, col2 = st.columns(2)
            plainte_le = col1.date_input("Plainte déposée le", value=suivi.get("plainte_deposee_le"), format="DD/MM/YYYY",
                                         key=f"suivi_{rid}_plainte_le")
            service = col1.text_input("Service (commissariat, brigade)", value=suivi.get("plainte_service") or "",
                                    key=f"suivi_{rid}_service")
            plainte_ref = col1.text_input("Référence de la plainte", value=suivi.get("plainte_reference") or "",
                                        key=f"suivi_{rid}_plainte_ref")
            ocbc_le = col2.date_input("Signalé à l'OCBC le", value=suivi.get("ocbc_signale_le"), format="DD/MM/YYYY",
                                      key=f"suivi_{rid}_ocbc_le")
            ocbc_ref = col2.text_input("Référence OCBC", value=suivi.get("ocbc_reference") or "", key=f"suivi_{rid}_ocbc_ref")
            notes = st.text_area("Notes du suivi", value=suivi.get("notes") or "", max_chars=examen.NOTES_MAX,
                                 key=f"suivi_{rid}_notes")
            saved = st.form_submit_button("Enregistrer le suivi")
        if saved:
            try:
                st.session_state[key] = examen.ecrire(examen.enregistrer_suivi, user, rid, version, examen.Suivi(
                    plainte_le, service, plainte_ref, ocbc_le, ocbc_ref, notes))
                formulaires.annoncer(st.session_state, "Suivi enregistré.")
                st.rerun()
            except examen.ExamenError as exc:
                formulaires.signaler(st.session_state, f"suivi_{rid}", exc)
        formulaires.afficher_refus(st, f"suivi_{rid}", key)
    elif suivi:
        plainte, ocbc = suivi.get("plainte_deposee_le"), suivi.get("ocbc_signale_le")
        st.write(f"Plainte : {'déposée le ' + formats.date_fr(plainte) if plainte else 'non déposée'} · "
                 f"OCBC : {'signalé le ' + formats.date_fr(ocbc) if ocbc else 'non signalé'}")
