"""Fiche commune (/commune?code=INSEE): status, mairie, dossiers (and their examen), objets by édifice, map."""
from datetime import date

import folium
import pandas as pd
import streamlit as st

from dashboard import settings
from dashboard.app import accueil, contacts, fiche_url, formulaires, recherche, texte, transmis, ui
from dashboard.app.recensement import photos
from dashboard.app.carte import dessin
from dashboard.app.deploiement import suivi
from dashboard.domain import formats
from dashboard.domain.vocabulary import ETAT_SANITAIRE, PROTECTION, SOUHAIT_VISITE, STATUT_COMMUNE, STATUT_DOSSIER
from dashboard.reads import fiches, questionnaire
from dashboard.writes import examen

user = ui.current_user()
code, fiche = recherche.fiche_de_l_url(fiches.fiche_commune, user, fiche_url.COMMUNE)
c = fiche.commune
formulaires.afficher_annonce(st)
md = ui.sans_markdown  # text from the database, shown as written wherever Markdown is rendered
st.title(md(c["nom"]))
st.caption(f"Code INSEE {md(c['code_insee'])} · {md(c['departement_code'])} {md(c['departement_nom'])} · "
           f"{ui.fmt_int(c['population'])} habitants")
st.metric("Statut du recensement", STATUT_COMMUNE.libelle(c["statut"], c["statut"]))

col_map, col_contact = st.columns([2, 1])
with col_contact:
    st.subheader("Mairie")
    st.text("\n".join(x for x in (c["mairie_adresse"], c["mairie_telephone"], c["mairie_email"]) if x)
            or "Coordonnées inconnues")
with col_map:
    contour = ui.read(fiches.contour, code)
    if contour is None:
        st.caption("Pas de contour connu pour cette commune.")
    else:
        fmap = dessin.fond_de_carte(location=(contour["lat"], contour["lon"]), zoom_start=12)
        folium.GeoJson(contour["geojson"], tooltip=texte.pour_infobulle(c["nom"]),
                       style_function=lambda _: {"color": "#000091", "weight": 2, "fillOpacity": 0.1}).add_to(fmap)
        fmap.fit_bounds([[contour["ymin"], contour["xmin"]], [contour["ymax"], contour["xmax"]]])
        ui.carte_folium(fmap, height=300, returned_objects=[], key="carte_commune")
        st.caption(f"Contour de la commune de {md(c['nom'])} (trait bleu).")

contacts.section(user, code)
suivi.section(user, code, c["nom"])

# --- dossiers -------------------------------------------------------------------------------
st.subheader("Dossiers de recensement")
dossiers = fiche.dossiers
if dossiers.empty:
    st.caption("Aucun dossier.")
else:
    st.dataframe({
        "Créé le": [formats.jour_en_france(d) for d in dossiers["created_at"]],
        "Statut": [STATUT_DOSSIER.libelle(s, s) + (" — à examiner en priorité" if p else "")
                   for s, p in zip(dossiers["statut"], dossiers["a_examiner_en_priorite"])],
        "Recensements": dossiers["recensements"], "Analysés": dossiers["analyses"],
        "Prioritaires": dossiers["prioritaires"],
        "Visite souhaitée": dossiers["visite"].map(SOUHAIT_VISITE.libelle),
        "Conservateur": dossiers["conservateur"].fillna("—"),
    }, hide_index=True, width="stretch",
        column_config={"Créé le": st.column_config.DateColumn(format=formats.FORMAT_DATE_COLONNE)})

    ouvert = dossiers[dossiers["statut"].isin(["submitted", "accepted"])]
    if not ouvert.empty and examen.peut_examiner(user.role):
        d = ouvert.iloc[0]
        did = int(d["id"])
        key = f"dossier_version_{did}"
        version = formulaires.version_formulaire(st.session_state, key, int(d["version"]))
        st.markdown(f"**Examen du dossier transmis le {formats.date_fr(d['submitted_at'])}**")
        col_commune, col_examen = st.columns([3, 2], gap="large")
        with col_commune:  # what the commune sent, beside the fields that decide on it
            transmis.reponses_dossier(d, ui.read(fiches.recensements_du_dossier, user.scope, user.role, did),
                                      fiches.voit_securisation(user.role))
        with col_examen:
            with st.form(f"dossier_{did}"):
                visites = list(SOUHAIT_VISITE)
                visite = st.radio("Souhait de visite", visites, format_func=SOUHAIT_VISITE.libelle, horizontal=True,
                                  index=visites.index(d["visite"]), key=f"dossier_{did}_visite")
                notes = st.text_area("Notes du conservateur pour la commune (envoyées à la mairie quand le dossier "
                                     "est accepté)", value=d["notes_conservateur"] or "",
                                     max_chars=examen.NOTES_MAX, key=f"dossier_{did}_notes")
                saved = st.form_submit_button("Enregistrer")
            action = None
            if d["statut"] == "submitted":
                bloque = int(d["prioritaires_non_analyses"])
                if bloque:
                    st.caption(f"Acceptation impossible : {formats.pluriel(bloque, 'objet prioritaire')} à analyser "
                               "d'abord.")
                st.caption("Accepter le dossier envoie à la mairie votre décision, vos notes et l'examen de chaque "
                           "objet (courriel en texte simple).")
                if st.button("Accepter le dossier", disabled=bool(bloque), key=f"dossier_{did}_accepter"):
                    action = examen.accepter
                with st.popover("Renvoyer le dossier à la commune"):
                    motif = st.text_area("Ce que la commune doit compléter ou corriger (elle le lira)",
                                         max_chars=examen.MOTIF_MAX, key=f"dossier_{did}_motif")
                    st.caption("Le dossier redevient modifiable par la commune ; ses réponses ne comptent plus "
                               "jusqu'à ce qu'elle le transmette de nouveau.")
                    if st.button("Renvoyer le dossier", key=f"dossier_{did}_renvoyer"):
                        action = examen.renvoyer
            elif st.button("Rouvrir le dossier", key=f"dossier_{did}_rouvrir"):
                action = examen.rouvrir
            try:
                if saved:
                    st.session_state[key] = examen.ecrire(examen.enregistrer_dossier, user, did, version,
                                                          visite=visite, notes=notes or None)
                    formulaires.annoncer(st.session_state, "Dossier enregistré.")
                    st.rerun()
                if action is examen.accepter:
                    fait = examen.ecrire(examen.accepter, user, did, version, url_publique=settings.url_publique())
                    st.session_state[key] = fait.version
                    if fait.destinataire:
                        formulaires.annoncer(st.session_state, "Dossier accepté. Votre décision, vos notes et l'examen "
                                             f"des objets partent à {md(fait.destinataire)} (courriel mis en file "
                                             "d'envoi).")
                    else:
                        formulaires.annoncer(st.session_state, "Dossier accepté, mais aucun courriel n'est parti : "
                                             "aucune adresse électronique n'est connue pour cette commune. Enregistrez-en "
                                             "une (« Adresse de connexion de la commune », sur cette fiche) et "
                                             "transmettez-lui vos notes.", avertissement=True)
                    st.rerun()
                if action is examen.renvoyer:
                    st.session_state[key] = examen.ecrire(action, user, did, version, motif,
                                                          url_publique=settings.url_publique())
                    formulaires.annoncer(st.session_state, "Dossier renvoyé à la commune : elle voit votre message sur "
                                         "sa page de recensement.")
                    st.rerun()
                if action is examen.rouvrir:
                    st.session_state[key] = examen.ecrire(action, user, did, version)
                    formulaires.annoncer(st.session_state, "Dossier rouvert.")
                    st.rerun()
            except examen.ExamenError as exc:
                formulaires.signaler(st.session_state, f"dossier_{did}", exc)
            formulaires.afficher_refus(st, f"dossier_{did}", key)

# --- objets by édifice --------------------------------------------------------------------------
st.subheader("Objets, par édifice")
st.caption("Dans chaque édifice : péril, disparus, autres cas préoccupants, puis le reste ; les objets pas encore "
           "examinés d'abord.")
objets = fiche.objets
if objets.empty:
    st.caption("Aucun objet protégé connu dans cette commune.")
liste = pd.DataFrame({
    "Édifice": objets["edifice"],
    "Signalement": [fiches.badges(r) for _, r in objets.iterrows()],
    "Objet": objets["titre"].fillna(""),
    "REF": objets["ref"],
    "À recenser": objets["a_recenser"].map(formats.oui_non),
    "Protection": objets["protection"].map(PROTECTION.libelle),
    "État": objets["etat_sanitaire"].map(ETAT_SANITAIRE.libelle),
})
for edifice, groupe in liste.groupby("Édifice", sort=False):
    st.markdown(f"**{md(edifice)}** — {formats.pluriel(len(groupe), 'objet')}")
    st.dataframe(groupe.drop(columns="Édifice").assign(Fiche="objet?ref=" + groupe["REF"]), hide_index=True,
                 width="stretch",
                 column_config={"Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche")})
if not objets.empty:
    ui.telecharger_csv("Télécharger la liste des objets (CSV)", liste,
                       formats.nom_de_fichier("objets", f"commune-{code}", jour=date.today()))

photos_commune = ui.read(questionnaire.photos_commune, user.scope, code)
if not photos_commune.empty:
    with st.expander(f"Photos des recensements courants ({len(photos_commune)})"):
        photos.par_recensement(photos_commune, lambda p: f"{md(p['titre'] or p['ref'])} — recensé le "
                                                        f"{formats.date_fr(p['recense_le'])}")
accueil.lien(user, "recensement", "Le questionnaire de recensement de la commune", ":material/checklist:",
             commune=code)

if not fiche.signales.empty:
    st.subheader("Objets signalés déplacés dans cette commune")
    st.caption("Le recensement de leur commune d'origine les dit ici : la correction est transmise à POP.")
    st.dataframe({"REF": fiche.signales["ref"], "Objet": fiche.signales["titre"].fillna(""),
                  "Commune d'origine": fiche.signales["commune_palissy_nom"].fillna(fiche.signales["commune_palissy"])},
                 hide_index=True, width="stretch")
