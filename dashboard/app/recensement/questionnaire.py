"""One objet's questionnaire on /recensement, step by step (dashboard.domain.questionnaire):
each step's fields, saved when "Enregistrer et continuer" is pressed (one write), then the
next step. The version the objet was opened with is kept in the session: a save over
someone else's (another tab) is refused, never silent. Every text typed by someone is shown
as text (sans_markdown, st.text)."""
from __future__ import annotations

import streamlit as st

from dashboard.app import formulaires, recherche, ui
from dashboard.app.recensement import photos as vues_photos
from dashboard.app.recensement import vue
from dashboard.domain import formats, photos, questionnaire
from dashboard.domain.identity import User
from dashboard.domain.questionnaire import Reponses
from dashboard.domain.vocabulary import (AIDE_ETAT, AIDE_LOCALISATION, AIDE_SECURISATION, ETAT_SANITAIRE,
                                         FICHE_CONSEIL, LOCALISATION, SECURISATION)
from dashboard.reads import questionnaire as lectures
from dashboard.writes import questionnaire as ecritures

md = ui.sans_markdown
TAILLE_ENVOI_MO = 25   # Streamlit refuses larger files itself (in English): up to this, our French message



def _cle(ref: str, version: int, champ: str) -> str:
    return f"q_{ref}_{version}_{champ}"


def afficher(user: User, dossier: dict, row: dict, lecture_seule: bool, retour) -> None:
    """One objet: its notice, its earlier photos, then its questionnaire (or its answers,
    read-only). `retour()`: back to the list."""
    ref = row["ref"]
    st.subheader(md(row["titre"] or ref))
    st.caption(f"{md(ref)} · {md(row['edifice'])}" + (f" · {md(row['emplacement'])}" if row.get("emplacement") else ""))
    st.link_button("Notice de l'objet dans POP (nouvel onglet)", vue.pop_url(ref), icon=":material/open_in_new:")
    _precedent(user, row)
    r = vue.reponses(row)
    if st.button("Retour à la liste des objets", icon=":material/arrow_back:", key=f"retour_{ref}"):
        retour()
    if lecture_seule:
        _recapitulatif(user, row, r, dossier)
        return
    rid = None if vue.statut_objet(row) == vue.A_FAIRE else int(row["recensement_id"])
    cle_version = f"q_version_{ref}"
    version = formulaires.version_formulaire(st.session_state, cle_version, int(row["version"]) if rid else 0)
    if rid and version != int(row["version"]):
        st.warning("Cet objet a été modifié ailleurs (un autre onglet ?) depuis que vous l'avez ouvert.")
        if st.button("Recharger la version enregistrée", key=f"recharger_{ref}"):
            st.session_state.pop(cle_version, None)
            st.session_state.pop(f"q_etape_{ref}", None)
            st.rerun()
        return
    etape = vue.etape_affichee(r, st.session_state.get(f"q_etape_{ref}"))
    st.markdown(f"**{vue.numero(r, etape)}**")
    valeurs = _champs(user, dossier, row, r, rid, version, etape)
    if valeurs is None:
        return
    libelle = "Valider le recensement de cet objet" if etape == "validation" else "Enregistrer et continuer"
    enregistrer = st.button(libelle, type="primary", key=f"enregistrer_{ref}_{etape}", width="stretch")
    precedente = vue.precedente(r, etape)
    if precedente and st.button("Étape précédente", key=f"precedente_{ref}_{etape}", width="stretch"):
        st.session_state[f"q_etape_{ref}"] = precedente
        st.rerun()
    if enregistrer:
        try:
            fait = ecritures.ecrire(ecritures.enregistrer_etape, user, int(dossier["id"]), ref, rid, version, etape,
                                    valeurs)
        except ecritures.QuestionnaireError as exc:
            st.error(md(str(exc)))
            return
        st.session_state[cle_version] = fait.version
        if etape == "validation":
            st.session_state.pop(f"q_etape_{ref}", None)
            formulaires.annoncer(st.session_state, f"Recensement de « {md(row['titre'] or ref)} » enregistré.")
            retour()
        liste = questionnaire.etapes(fait.reponses)
        st.session_state[f"q_etape_{ref}"] = liste[min(liste.index(etape) + 1, len(liste) - 1)] \
            if etape in liste else questionnaire.etape_suivante(fait.reponses)
        st.rerun()


def _precedent(user: User, row: dict) -> None:
    if row.get("precedent_id") is None or row["precedent_id"] != row["precedent_id"]:
        st.caption("Jamais recensé jusqu'ici.")
        return
    st.caption(f"Recensement précédent : {formats.date_fr(row['precedent_le'])}"
               + (f", état {ETAT_SANITAIRE.libelle(row['precedent_etat']).lower()}" if row.get("precedent_etat") else "")
               + ".")
    anciennes = ui.read(lectures.photos, user.scope, (int(row["precedent_id"]),))
    if not anciennes.empty:
        with st.expander(f"Photos du recensement précédent ({len(anciennes)})"):
            vues_photos.vignettes(anciennes, "Photo précédente", cle=f"precedentes_{row['ref']}")



def _choix(question: str, vocabulaire, aide: dict, valeur: str | None, cle: str):
    """One answer among a vocabulary's codes, each with its label and its help line."""
    codes = list(vocabulaire)
    return st.radio(question, codes, format_func=vocabulaire.libelle, key=cle,
                    index=codes.index(valeur) if valeur else None, captions=[aide[c] for c in codes])

def _champs(user: User, dossier: dict, row: dict, r: Reponses, rid: int | None, version: int,
            etape: str) -> dict | None:
    """The fields of the step; their values for the write (None: nothing to save here)."""
    ref = row["ref"]
    cle = lambda champ: _cle(ref, version, champ)  # noqa: E731
    if etape == "localisation":
        codes = list(LOCALISATION)
        loc = st.radio("Où se trouve l'objet aujourd'hui ?", codes, format_func=LOCALISATION.libelle,
                       index=codes.index(r.localisation) if r.localisation else None, key=cle("localisation"),
                       captions=[AIDE_LOCALISATION[c] for c in codes])
        valeurs = {"localisation": loc}
        if loc == "autre_edifice":
            valeurs["edifice_nom"] = st.text_input("Nom de l'édifice où il se trouve", value=r.edifice_nom or "",
                                                   max_chars=questionnaire.EDIFICE_MAX, key=cle("edifice"))
        if loc == "deplacement_autre_commune":
            actuelle = ({"code_insee": r.autre_commune_code, "nom": row.get("autre_commune_nom") or r.autre_commune_code}
                        if r.autre_commune_code else None)
            if actuelle and st.session_state.get(f"{cle('commune')}_choix") is None \
                    and f"{cle('commune')}_texte" not in st.session_state:
                st.session_state[f"{cle('commune')}_choix"] = r.autre_commune_code
            valeurs["autre_commune_code"] = recherche.choisir_commune(
                "Commune où se trouve l'objet", cle("commune"), actuelle=actuelle, aucune="Aucune commune choisie")
        if loc == "absent":
            st.info("Avant de conclure, relisez le guide ci-dessous (« Que faire si un objet est introuvable ? ») : "
                    "le conservateur vous aidera pour le dépôt de plainte.")
            valeurs["confirme"] = st.checkbox("Je confirme que l'objet est introuvable", key=cle("absent"))
        return valeurs
    if etape == "recensable":
        choix = st.radio("Pouvez-vous voir l'objet et le photographier ?", [True, False],
                         format_func=lambda v: "Oui" if v else "Non (inaccessible, caché, démonté…)",
                         index=None if r.recensable is None else (0 if r.recensable else 1), key=cle("recensable"))
        valeurs = {"recensable": choix}
        if choix is False:
            valeurs["confirme"] = st.checkbox("Je confirme que l'objet ne peut pas être recensé", key=cle("non_rec"))
        return valeurs
    if etape == "etat":
        return {"etat_sanitaire": _choix("Dans quel état est l'objet ?", ETAT_SANITAIRE, AIDE_ETAT,
                                         r.etat_sanitaire, cle("etat"))}
    if etape == "securisation":
        return {"securisation": _choix("L'objet est-il facile à voler ?", SECURISATION, AIDE_SECURISATION,
                                       r.securisation, cle("securisation"))}
    if etape == "photos":
        return _photos(user, ref, r, rid, version)
    if etape == "notes":
        return {"notes": st.text_area("Commentaire pour le conservateur (facultatif)", value=r.notes or "",
                                      max_chars=questionnaire.NOTES_MAX, key=cle("notes"))}
    _resume(r, row)
    manques = questionnaire.manques(r)
    for m in manques:
        st.warning(m)
    return {}


def _photos(user: User, ref: str, r: Reponses, rid: int, version: int) -> dict | None:
    """The photos already kept (each can be removed), one more to add, or the confirmation
    that none is given. A photo is saved as soon as it is added."""
    actuelles = ui.read(lectures.photos, user.scope, (rid,))
    st.caption(f"Photos en JPEG ou PNG, {photos.TAILLE_MAX // (1024 * 1024)} Mo au plus chacune, "
               f"{questionnaire.PHOTOS_MAX} par objet. Vue d'ensemble, puis détails des dégâts. La position GPS "
               "de vos photos n'est pas conservée.")
    for i, p in enumerate(actuelles.to_dict("records"), start=1):
        col_image, col_bouton = st.columns([2, 1], vertical_alignment="center", wrap=False)
        with col_image:
            image = vues_photos.source(p["cle_vignette"])
            if image is not None:
                st.image(image, caption=f"Photo {i}", alt=f"Photo {i} de l'objet", width="stretch")
        with col_bouton:
            if st.button("Retirer", key=f"retirer_{p['id']}", help=f"Retirer la photo {i}"):
                try:
                    nouvelle = ecritures.supprimer_photo(user, int(p["id"]))
                except ecritures.QuestionnaireError as exc:
                    st.error(md(str(exc)))
                else:
                    st.session_state[f"q_version_{ref}"] = nouvelle
                    st.session_state[f"q_etape_{ref}"] = "photos"
                    st.rerun()
    compteur = st.session_state.setdefault(f"q_envoi_{ref}", 0)
    refus = st.session_state.pop(f"q_photo_refus_{ref}", None)
    if refus:
        st.error(refus)
    if len(actuelles) < questionnaire.PHOTOS_MAX:
        fichier = st.file_uploader("Ajouter une photo", key=f"photo_{ref}_{compteur}",
                                   max_upload_size=TAILLE_ENVOI_MO, help="JPEG ou PNG, 10 Mo au plus.")
        if fichier is not None and st.button("Enregistrer cette photo", key=f"envoyer_{ref}_{compteur}",
                                             type="primary", width="stretch"):
            try:
                with st.spinner("Vérification et enregistrement de la photo…"):
                    ajout = ecritures.ajouter_photo(user, rid, fichier.getvalue())
            except (photos.PhotoRefusee, ecritures.QuestionnaireError) as exc:
                # Said after the rerun that empties the field (the refused file leaves it).
                st.session_state[f"q_photo_refus_{ref}"] = (md(str(exc)) + " Les réponses et photos déjà "
                                                             "enregistrées sont conservées.")
            else:
                st.session_state[f"q_version_{ref}"] = ajout.version
            st.session_state[f"q_envoi_{ref}"] = compteur + 1
            st.session_state[f"q_etape_{ref}"] = "photos"     # stay: another photo may follow
            st.rerun()
    sans = False
    if actuelles.empty:
        sans = st.checkbox("Je confirme que je ne peux pas donner de photo de cet objet",
                           value=r.confirmation_sans_photo, key=_cle(ref, version, "sans_photo"))
    return {"confirmation_sans_photo": sans}


def _resume(r: Reponses, row: dict) -> None:
    """The answers, as text (what the commune typed is shown as written)."""
    lignes = [f"Où : {LOCALISATION.libelle(r.localisation)}"]
    if r.edifice_nom:
        lignes.append(f"Édifice : {r.edifice_nom}")
    if r.autre_commune_code:
        lignes.append(f"Commune : {row.get('autre_commune_nom') or r.autre_commune_code} ({r.autre_commune_code})")
    if r.localisation != "absent":
        lignes.append("Peut être recensé : " + {True: "oui", False: "non", None: "—"}[r.recensable])
    if r.recensable:
        lignes.append(f"État : {ETAT_SANITAIRE.libelle(r.etat_sanitaire)}")
        lignes.append(f"Sécurisation : {SECURISATION.libelle(r.securisation)}")
        lignes.append(f"Photos : {r.nb_photos}" + (" (aucune, confirmé)" if r.confirmation_sans_photo else ""))
    lignes.append(f"Commentaire : {r.notes or '—'}")
    st.text("\n".join(lignes))


def _recapitulatif(user: User, row: dict, r: Reponses, dossier: dict) -> None:
    """Read-only: the answers, the photos, and the conservateur's examen once the dossier is accepted."""
    if vue.statut_objet(row) == vue.A_FAIRE:
        st.caption("Pas encore recensé dans ce dossier.")
        return
    _resume(r, row)
    if r.nb_photos:
        vues_photos.vignettes(ui.read(lectures.photos, user.scope, (int(row["recensement_id"]),)),
                              cle=f"photos_{row['ref']}")
    if dossier.get("statut") == "accepted" and row.get("analyse_le") is not None:
        st.markdown("**Examen du conservateur**")
        lignes = []
        if row.get("analyse_etat_sanitaire"):
            lignes.append(f"État retenu : {ETAT_SANITAIRE.libelle(row['analyse_etat_sanitaire'])}")
        fiches = [FICHE_CONSEIL.libelle(f) for f in (row.get("analyse_fiches") or [])]
        if fiches:
            lignes.append("Fiches conseils : " + ", ".join(fiches))
        if row.get("analyse_notes"):
            lignes.append(f"Notes : {row['analyse_notes']}")
        st.text("\n".join(lignes) or "Examiné, sans remarque.")
