"""Accueil: national (or the user's scope) key figures."""
import streamlit as st

from dashboard.reads import indicateurs
from dashboard.app import navigation, ui
from dashboard.domain.rights import Capacite

user = ui.current_user()
st.title("Collectif Objets — tableau de bord")
st.caption("Objets mobiliers protégés au titre des monuments historiques · périmètre : "
           + ui.sans_markdown(user.scope.libelle))
ui.demo_notice()

chiffres = ui.read(indicateurs.chiffres_cles, user.scope)
rythme = chiffres.rythme

col1, col2, col3 = st.columns(3)
col1.metric("Objets protégés dans le périmètre de recensement", ui.fmt_int(chiffres.objets))
col2.metric("Communes concernées", ui.fmt_int(chiffres.communes))
col3.metric("Objets recensés depuis 5 ans", ui.fmt_int(chiffres.recenses_5_ans),
            help="Objets dont le recensement courant date de moins de cinq ans.")
col1, col2, col3 = st.columns(3)
col1.metric("Part recensée depuis 5 ans (objectif : 100 %)", ui.fmt_pct(chiffres.part_recenses_5_ans))
col2.metric("Objets en péril", ui.fmt_int(chiffres.en_peril),
            help="État sanitaire « péril » au recensement courant (la correction du conservateur prime).")
col3.metric("Objets disparus", ui.fmt_int(chiffres.disparus),
            help="Recensement courant : objet introuvable. Les objets signalés volés ou manquants dans POP "
                 "sont comptés à part.")
col1, col2, col3 = st.columns(3)
col1.metric("Dossiers à examiner", ui.fmt_int(chiffres.dossiers_a_examiner))
col2.metric("Rythme actuel (objets recensés sur 12 mois)", ui.fmt_int(rythme.par_an),
            help=f"Rythme requis pour l'objectif quinquennal : {ui.fmt_int(round(rythme.requis_par_an))} par an.")
col3.metric("Durée d'un cycle complet au rythme actuel", rythme.libelle_cycle)

st.markdown(
    f"Rythme requis pour recenser chaque objet tous les cinq ans : **{ui.fmt_int(round(rythme.requis_par_an))} "
    f"objets par an**. Au rythme actuel, la couverture glissante sur cinq ans plafonnerait à "
    f"**{ui.fmt_pct(rythme.couverture_plafond)}**. "
    f"Objets signalés volés ou manquants dans POP (chiffre distinct) : **{ui.fmt_int(chiffres.manquants_pop)}**."
)

if user.peut(Capacite.VOIR_PILOTAGE):
    st.markdown("**Pilotage**")
    col1, col2 = st.columns(2)
    col1.page_link(navigation.script("couverture"), label="Couverture et objectif quinquennal, par département",
                   icon=":material/monitoring:")
    col2.page_link(navigation.script("restauration"), label="Restauration : objets en mauvais état ou en péril, "
                   "évolution", icon=":material/construction:")

if user.peut(Capacite.VOIR_DEPLOIEMENT):
    st.page_link(navigation.script("communes-a-contacter"), label="Déploiement : communes à contacter, "
                 "à rappeler, campagnes", icon=":material/person_search:")
