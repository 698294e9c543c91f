"""Qualité des données: the last imports with their reports (for those who may import:
dashboard/reads/qualite.py says why), what the last imports changed in the user's scope, and
the unresolved or flagged objets of the scope, filterable and exportable (to send
corrections back to POP)."""
from datetime import date
from functools import partial

import streamlit as st

from dashboard import settings
from dashboard.app import choix, ui
from dashboard.domain import formats
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import CHANGEMENT_POP
from dashboard.importer import ImportFailure, taches, telechargement
from dashboard.reads import exports, qualite

user = ui.current_user()
perimetre = user.scope.nom_fichier  # in the exports' file names
INSTANT, FUSEAU = formats.FORMAT_DATE_COLONNE + " HH:mm", str(formats.FUSEAU)  # French day and time, no zone shown
st.title("Qualité des données")
st.caption("Chaque import POP rend compte de toutes ses lignes : importées (dans le périmètre de recensement ou "
           "non, avec la raison), exclues, rejetées ; imports et rapports sont réservés aux administrateurs. "
           "Les objets signalés ci-dessous sont à corriger dans POP.")

if user.peut(Capacite.IMPORTER):
    st.header("Importer un export Palissy")
    with st.form("import"):
        upload = st.file_uploader("Fichier (CSV du portail open data, export complet ou export CSV de POP, JSON)",
                                  type=None, help=f"{ui.fmt_int(st.get_option('server.maxUploadSize'))} Mo au plus "
                                                  "(un export complet fait environ 300 Mo).")
        source_url = st.text_input("ou URL de l'export (http ou https, hôtes autorisés : "
                                   + ", ".join(settings.import_hotes()) + ")")
        complet = st.checkbox("Export complet : marquer retirés les objets absents (départements du fichier)")
        force = st.checkbox("Autoriser plus de 5 % de retraits")
        remplacer = st.checkbox("Supprimer la démo avant d'importer")
        start = st.form_submit_button("Lancer l'import")
    if start:
        if upload is None and not source_url.strip().lower().startswith(("http://", "https://")):
            st.error("Choisissez un fichier, ou donnez une URL commençant par http:// ou https://.")
        else:
            try:
                if upload is None:
                    telechargement.check_url(source_url.strip())   # the worker checks again, at each redirection
                source = taches.enregistrer(upload) if upload is not None else source_url.strip()
                st.session_state["import_tache"] = ui.guarded(lambda: taches.lancer(
                    settings.database_url(), source, {"complet": complet, "force": force, "remplacer_demo": remplacer},
                    user.id))
            except ImportFailure as refus:   # a host off the allow-list, another import running
                st.error(ui.sans_markdown(str(refus)))

    @st.fragment(run_every=2)
    def suivi():
        tache_id = st.session_state.get("import_tache")
        if tache_id is None:
            return
        # A task whose worker died is marked failed here, whichever process polls.
        state = ui.guarded(lambda: taches.etat_courant(settings.database_url(), tache_id))
        progress = state["progression"] or {}
        if state["statut"] in ("en_attente", "en_cours"):
            share = progress.get("part")
            st.progress(share or 0.0, text=f"Import n° {tache_id} en cours : {progress.get('lignes', 0)} lignes lues"
                        + (f", {progress.get('lignes_par_seconde')} lignes/s" if progress.get("lignes_par_seconde") else ""))
        elif state["statut"] == "termine":
            st.success(f"Import n° {tache_id} terminé : {ui.sans_markdown(state['message'])}. "
                       "Son rapport est ci-dessous.")
        else:
            st.error(f"Import n° {tache_id} en échec, rien n'a été enregistré : "
                     + ui.sans_markdown(state["message"]))

    suivi()

if qualite.voit_imports(user.role):
    st.header("Derniers imports")
    runs = ui.read(qualite.chargements, user.role)
    if runs.empty:
        st.info("Aucun import POP pour l'instant (commande `objets import palissy FICHIER`).")
    else:
        st.dataframe(runs.rename(columns={
            "id": "n°", "nature": "base", "debut": "début", "lignes": "lignes lues", "importes": "importées",
            "modifies": "modifiées", "retires": "retirées", "rejetes": "rejetées"}), hide_index=True,
            column_config={c: st.column_config.DatetimeColumn(format=INSTANT, timezone=FUSEAU) for c in ("début", "fin")})
        noms_imports = {i: f"n° {i} — {source}" for i, source in zip(runs["id"], runs["source"])}
        chosen = st.selectbox("Rapport de l'import", options=runs["id"].tolist(), placeholder=choix.CHOISIR,
                              format_func=choix.libelle(noms_imports))
        reasons = ui.read(qualite.raisons, user.role, int(chosen))
        if reasons.empty:
            st.write("Rien à signaler pour cet import.")
        else:
            st.subheader("Lignes par raison")
            st.dataframe(reasons.rename(columns={"libelle": "libellé"}), hide_index=True)
        rows = ui.read(qualite.rejets, user.role, int(chosen))
        st.download_button(f"Télécharger les {len(rows)} lignes non importées (CSV)",
                           data=partial(qualite.csv_bytes, rows),
                           file_name=f"import-{chosen}-lignes-non-importees.csv", mime="text/csv",
                           disabled=rows.empty)

st.header("Ce qui a changé dans POP")
st.caption("Objets ajoutés, retirés ou modifiés (titre, protection, commune, édifice) par les "
           f"{qualite.IMPORTS_MONTRES} derniers imports Palissy, là où l'objet est ou était. Périmètre : "
           + ui.sans_markdown(user.scope.libelle))
nature = st.selectbox("Changement", options=[None, *CHANGEMENT_POP.codes], key="changement",
                      **choix.avec_aucun(choix.libelle(CHANGEMENT_POP.libelle)))
changes = ui.read(qualite.changements, user.scope, nature)
if changes.empty:
    st.info("Aucun changement dans votre périmètre lors des derniers imports"
            + ("" if nature is None else f" ({CHANGEMENT_POP.libelle(nature)})") + ".")
else:
    st.write(f"{ui.fmt_int(len(changes))} changements"
             + (" (les premiers seulement)" if len(changes) >= qualite.CHANGEMENTS_MAX else ""))
    shown = changes.drop(columns=["nature"]).rename(columns={
        "importe_le": "importé le", "apres": "après", "departement_code": "département", "commune_code": "INSEE",
        "commune_nom": "commune"})
    st.dataframe(shown, hide_index=True,
                 column_config={"importé le": st.column_config.DatetimeColumn(format=INSTANT, timezone=FUSEAU)})
    nom = formats.nom_de_fichier("changements-pop", perimetre, *([nature] if nature else []), jour=date.today())
    left, right = st.columns(2)
    left.download_button("Télécharger ces changements (CSV)", data=partial(qualite.csv_bytes, shown),
                         file_name=f"{nom}.csv", mime="text/csv")
    right.download_button("Télécharger ces changements (XLSX)",
                          data=partial(qualite.to_xlsx, shown, "Changements POP"),
                          file_name=f"{nom}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.header("Exports pour les autres outils du ministère")
st.caption("Objets de votre périmètre, une ligne par REF, colonnes aux codes POP (valeurs telles que publiées) ; "
           "GeoJSON et GeoPackage placent chaque objet au centre de sa commune (WGS84), pour QGIS.")
columns = st.columns(3)
for column, (fmt, label, mime) in zip(columns, (("csv", "CSV (codes POP)", "text/csv"),
                                                ("geojson", "GeoJSON", "application/geo+json"),
                                                ("gpkg", "GeoPackage", "application/geopackage+sqlite3"))):
    column.download_button(label, data=partial(exports.download, settings.database_url(), user.scope, False, fmt),
                           file_name=f"{formats.nom_de_fichier('objets-pop', perimetre, jour=date.today())}.{fmt}",
                           mime=mime, key=f"export-{fmt}")

st.header("Déplacements signalés par les communes")
st.caption("Objets que le dernier recensement dit trouvés dans une autre commune que celle de Palissy : "
           "la localisation est à corriger dans POP. Périmètre : " + ui.sans_markdown(user.scope.libelle))
moves = ui.read(qualite.deplacements_signales, user.scope)
if moves.empty:
    st.info("Aucun déplacement signalé dans votre périmètre.")
else:
    st.write(f"{ui.fmt_int(len(moves))} objets signalés comme déplacés")
    st.dataframe(moves.rename(columns={
        "commune_palissy": "INSEE Palissy", "commune_palissy_nom": "commune Palissy",
        "commune_signalee": "INSEE signalé", "commune_signalee_nom": "commune signalée", "recense_le": "recensé le"}),
        hide_index=True, column_config={"recensé le": st.column_config.DatetimeColumn(
            format=formats.FORMAT_DATE_COLONNE, timezone=FUSEAU)})
    st.download_button("Télécharger ces déplacements (CSV)", data=partial(qualite.csv_bytes, moves),
                       file_name=f"{formats.nom_de_fichier('deplacements-a-corriger-pop', perimetre)}.csv",
                       mime="text/csv")

st.header("Objets à corriger dans POP")
st.caption(f"Périmètre : {ui.sans_markdown(user.scope.libelle)}")
counts = ui.read(qualite.anomalies, user.scope)
if counts.empty:
    st.success("Aucun objet signalé dans votre périmètre.")
    st.stop()
st.dataframe(counts.rename(columns={"anomalie": "code", "libelle": "anomalie"}), hide_index=True)
options = [None, *counts["anomalie"].tolist()]
anomalie = st.selectbox("Anomalie", options=options,
                        **choix.avec_aucun(choix.libelle(qualite.libelle, "Toutes")))
flagged = ui.read(qualite.objets_signales, user.scope, anomalie)
st.write(f"{ui.fmt_int(len(flagged))} objets signalés"
         + ("" if anomalie is None else f" ({ui.sans_markdown(qualite.libelle(anomalie))})"))
st.dataframe(flagged, hide_index=True)
st.download_button("Télécharger ces objets (CSV)", data=partial(qualite.csv_bytes, flagged),
                   file_name=f"{formats.nom_de_fichier('objets-a-corriger-pop', perimetre, anomalie or '')}.csv",
                   mime="text/csv")
