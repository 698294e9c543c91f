"""Campagnes: the campaigns of the user's scope (statuses in words, dates) and their
progress (communes invited, reminded, started, transmitted, accepted); one campaign
(?campagne=ID): who was invited and when, the reminders sent, who answered; plan a draft,
put it back in draft, change its dates (those who manage campaigns).

Widgets and layout only: reads from dashboard.reads.campagnes, tables and actions from
dashboard.app.deploiement.campagnes.
"""

import pandas as pd
import streamlit as st

from dashboard.app import choix, formulaires, ui
from dashboard.app.deploiement import campagnes, ecran
from dashboard.domain.vocabulary import OUI_NON, STATUT_CAMPAGNE, STATUT_DOSSIER
from dashboard.reads import campagnes as lectures
from dashboard.reads.pilotage import Territoire
from dashboard.writes import campagnes as ecritures

user = ui.current_user()
st.title("Campagnes")
ecran.autorise(user)
formulaires.afficher_annonce(st)
md = ui.sans_markdown

texte = (st.query_params.get("campagne") or "").strip()
campagne = None
if texte:
    campagne = ui.read(lectures.campagne, user.scope, user.role, int(texte)) if texte.isdigit() and \
        len(texte) < 10 else None
    if campagne is None:
        st.warning("Campagne inconnue ou hors de votre périmètre : la liste des campagnes est affichée.")

if campagne is not None:
    st.subheader(md(campagne["nom"]))
    relances = [campagnes.date_fr(campagne[f"date_relance_{k}"]) for k in (1, 2, 3) if campagne[f"date_relance_{k}"]]
    st.caption(f"Département {md(campagne['departement'])} · {STATUT_CAMPAGNE.libelle(campagne['statut'])} · "
               f"lancement le {campagnes.date_fr(campagne['date_lancement'])} · relances : "
               f"{', '.join(relances) or 'aucune'} · fin le {campagnes.date_fr(campagne['date_fin'])}")
    communes = ui.read(lectures.communes, user.scope, user.role, int(campagne["id"]))
    col = st.columns(4)
    col[0].metric("Communes", ui.fmt_int(len(communes)))
    col[1].metric("Invitées", ui.fmt_int(int(communes["invitee_le"].notna().sum())))
    col[2].metric("Ont commencé (un dossier)", ui.fmt_int(int(communes["dossier_statut"].notna().sum())))
    col[3].metric("Ont transmis", ui.fmt_int(int(communes["transmis"].sum())))
    tableau = pd.DataFrame({
        "Commune": list(communes["nom"]), "Code INSEE": communes["code"],
        "Invitée le": [campagnes.date_fr(d) for d in communes["invitee_le"]],
        "Relances envoyées": [r or "—" for r in communes["relances"]],
        "Dossier de la campagne": [STATUT_DOSSIER.libelle(s, "pas de dossier") for s in communes["dossier_statut"]],
        "A transmis": [OUI_NON[bool(t)] for t in communes["transmis"]],
        "Courriel": [c or "aucune adresse : pas d'invitation possible" for c in communes["courriel"]],
        "Fiche": "commune?code=" + communes["code"],
    })
    st.dataframe(tableau, hide_index=True, width="stretch",
                 column_config={"Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche")})
    ui.telecharger_csv("Télécharger les communes de la campagne (CSV)", tableau.drop(columns=["Fiche"]),
                       f"campagne-{campagne['id']}")
    if ecritures.peut_gerer(user):
        campagnes.actions(user, campagne)
    st.page_link(__file__, label="Toutes les campagnes", query_params={})
    st.stop()

col = st.columns(2)
statuts = col[0].multiselect("Statuts", list(STATUT_CAMPAGNE), key="campagnes_statuts",
                             format_func=STATUT_CAMPAGNE.libelle, placeholder="Tous")
liste = ui.read(lectures.avancement, user.scope, user.role, Territoire(), tuple(statuts) or None, None)
deps = sorted(set(liste["departement"]))
departement = col[1].selectbox("Département", [None, *deps], key="campagnes_departement",
                               **choix.avec_aucun(choix.libelle()))
if departement:
    liste = liste[liste["departement"] == departement]
if liste.empty:
    st.info("Aucune campagne dans votre périmètre pour ces filtres. Créez-en une depuis « Communes à contacter ».")
    st.stop()
st.caption("Une campagne est active quand elle est planifiée ou en cours ; deux campagnes actives d'un même "
           "département ne se chevauchent jamais. Invitées : l'invitation est partie ; ont commencé : un dossier "
           "de la campagne existe ; ont transmis : il a été transmis au conservateur.")
tableau = campagnes.tableau_avancement(liste)
st.dataframe(tableau, hide_index=True, width="stretch",
             column_config={"Détail": st.column_config.LinkColumn("Détail", display_text="Ouvrir")})
ui.telecharger_csv("Télécharger les campagnes (CSV)", tableau.drop(columns=["Détail"]), "campagnes")
