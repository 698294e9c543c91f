"""The home page, for each role the part that speaks to its job (issue 11), chosen by the
rights table (dashboard.domain.rights), never by the role's name:

- who may examine (conservateurs): the dossiers to examine, leading to the inbox;
- who sees urgent cases: objets in péril, disparus, leading to /urgences with that filter;
- who follows coverage (DRAC, conservateurs): coverage of the scope and of each of its
  départements, pace and objective, leading to /couverture and /restauration;
- who runs campaigns (deployment officers): the communes never recensed that hold the most
  objets, the campaigns of their départements, and the deployment pages (who may read
  those without running campaigns, a conservateur, gets the links alone);
- a commune: its own objets and status, not figures of a wider territory.
An administrator holds every right: every part.

Every figure that has a list behind it links to that list (st.page_link: same tab), and
only to a page the role may open.
"""
from __future__ import annotations

import streamlit as st

from dashboard.app import navigation, ui
from dashboard.domain import formats
from dashboard.domain.identity import User
from dashboard.domain.rights import Capacite
from dashboard.domain.vocabulary import ETAT_SANITAIRE, PROTECTION, STATUT_CAMPAGNE, STATUT_COMMUNE
from dashboard.reads import fiches, indicateurs

TITRE = "Collectif Objets — tableau de bord"


def lien(user: User, url_path: str, label: str, icon: str, **query) -> None:
    """A link to a page of the app in this tab, only if the user's role may open it."""
    entree = next((e for entries in navigation.SECTIONS.values() for e in entries if e.url_path == url_path), None)
    if entree is not None and entree.ouverte_a(user.role):
        st.page_link(navigation.script(url_path), label=label, icon=icon, query_params=query or None)


def afficher(user: User) -> None:
    st.title(TITRE)
    st.caption("Objets mobiliers protégés au titre des monuments historiques · " + user.role_label + " · périmètre : "
               + ui.sans_markdown(user.scope.libelle))
    ui.demo_notice()
    if user.scope.commune is not None and user.peut(Capacite.REPONDRE_QUESTIONNAIRE):
        _commune(user)
        return
    chiffres = ui.read(indicateurs.chiffres_cles, user.scope)
    if user.peut(Capacite.EXAMINER) or user.peut(Capacite.VOIR_URGENCES):
        _a_traiter(user, chiffres)
    if user.peut(Capacite.GERER_CAMPAGNES):
        _deploiement(user, chiffres)
    elif user.peut(Capacite.VOIR_DEPLOIEMENT):
        st.subheader("Déploiement")
        _liens_deploiement(user)
    _couverture(user, chiffres)


def _a_traiter(user: User, chiffres) -> None:
    """What waits for the user: dossiers to examine, objets in péril, disparus; each figure
    with the link to its list."""
    blocs = []
    if user.peut(Capacite.EXAMINER):
        blocs.append(("Dossiers à examiner", chiffres.dossiers_a_examiner,
                      "Dossiers transmis par les communes et pas encore acceptés.",
                      ("a-examiner", "Voir les dossiers à examiner", ":material/inbox:", {})))
    if user.peut(Capacite.VOIR_URGENCES):
        blocs.append(("Objets en péril", chiffres.en_peril,
                      "État sanitaire « péril » au recensement courant (la correction du conservateur prime).",
                      ("urgences", "Voir les objets en péril", ":material/emergency:", {"constat": "peril"})))
        blocs.append(("Objets disparus", chiffres.disparus,
                      "Recensement courant : objet introuvable. Les objets signalés volés ou manquants dans POP "
                      "sont comptés à part.",
                      ("urgences", "Voir les objets disparus", ":material/search_off:", {"constat": "disparu"})))
    st.subheader("À traiter")
    for colonne, (libelle, valeur, aide, (page, texte, icone, query)) in zip(st.columns(3), blocs):
        with colonne:
            st.metric(libelle, ui.fmt_int(valeur), help=aide)
            lien(user, page, texte, icone, **query)
    lien(user, "urgences", "Tous les cas urgents (prioritaires et préoccupants)", ":material/list:")
    lien(user, "communes-sans-adresse", "Communes sans adresse électronique (liens de connexion impossibles)",
         ":material/contact_mail:")


def _couverture(user: User, chiffres) -> None:
    """Coverage of the scope against the five-year objective, and of each of its départements."""
    rythme = chiffres.rythme
    st.subheader("Couverture du périmètre")
    col1, col2, col3 = st.columns(3)
    col1.metric("Objets protégés dans le périmètre de recensement", ui.fmt_int(chiffres.objets))
    col2.metric("Communes concernées", ui.fmt_int(chiffres.communes))
    col3.metric("Objets recensés depuis 5 ans", ui.fmt_int(chiffres.recenses_5_ans),
                help="Objets dont le recensement courant date de moins de cinq ans.")
    col1, col2, col3 = st.columns(3)
    col1.metric("Part recensée depuis 5 ans (objectif : 100 %)", ui.fmt_pct(chiffres.part_recenses_5_ans))
    col2.metric("Rythme actuel (objets recensés sur 12 mois)", ui.fmt_int(rythme.par_an),
                help=f"Rythme requis pour l'objectif quinquennal : {ui.fmt_int(round(rythme.requis_par_an))} par an.")
    col3.metric("Durée d'un cycle complet au rythme actuel", rythme.libelle_cycle)
    st.markdown(
        f"Rythme requis pour recenser chaque objet tous les cinq ans : **{ui.fmt_int(round(rythme.requis_par_an))} "
        f"objets par an**. Au rythme actuel, la couverture glissante sur cinq ans plafonnerait à "
        f"**{ui.fmt_pct(rythme.couverture_plafond)}**. "
        f"Objets signalés volés ou manquants dans POP (chiffre distinct) : **{ui.fmt_int(chiffres.manquants_pop)}**.")
    if user.scope.departements is not None and 1 < len(user.scope.departements) <= 20:
        par_dep = ui.read(indicateurs.couverture_par_departement, user.scope)
        st.dataframe({
            "Département": (par_dep["code"] + " " + par_dep["nom"].fillna("")).str.strip(),
            "Objets": [formats.fmt_int(v) for v in par_dep["objets"]],
            "Recensés depuis 5 ans": [formats.fmt_int(v) for v in par_dep["recenses_5_ans"]],
            "Part recensée": [formats.fmt_pct(v) for v in par_dep["part"]],
        }, hide_index=True)
    col1, col2 = st.columns(2)
    with col1:
        lien(user, "couverture", "Couverture et objectif quinquennal, par département", ":material/monitoring:")
    with col2:
        lien(user, "restauration", "Restauration : objets en mauvais état ou en péril, évolution",
             ":material/construction:")
    lien(user, "carte", "Carte des objets protégés", ":material/map:")
    lien(user, "qualite-donnees", "Qualité des données : imports POP, corrections à transmettre", ":material/rule:")


def _deploiement(user: User, chiffres) -> None:
    """Whom to contact: the communes never recensed holding the most objets; the campaigns."""
    st.subheader("Communes à contacter")
    st.caption("Communes de votre périmètre qui n'ont jamais transmis de recensement, celles qui détiennent le plus "
               "d'objets d'abord.")
    communes = ui.read(indicateurs.communes_a_contacter, user.scope)
    if communes.empty:
        st.success("Toutes les communes de votre périmètre qui détiennent des objets ont déjà un dossier.")
    for c in communes.to_dict("records"):
        sans = "" if c["adresse"] else " · aucune adresse électronique connue"
        st.page_link(navigation.script("commune"), query_params={"code": c["code_insee"]},
                     icon=":material/location_city:",
                     label=ui.sans_markdown(f"{c['nom']} ({c['code_insee']}) — {formats.pluriel(int(c['objets']), 'objet')}"
                                            f"{sans}"))
    _liens_deploiement(user)
    st.subheader("Campagnes de vos départements")
    campagnes = ui.read(indicateurs.campagnes, user.scope)
    if campagnes.empty:
        st.caption("Aucune campagne dans votre périmètre.")
        return
    st.dataframe({
        "Campagne": campagnes["nom"],
        "Département": (campagnes["departement_code"] + " " + campagnes["departement_nom"].fillna("")).str.strip(),
        "Statut": campagnes["statut"].map(STATUT_CAMPAGNE.libelles),
        "Lancement": [formats.date_fr(d) for d in campagnes["date_lancement"]],
        "Fin": [formats.date_fr(d) for d in campagnes["date_fin"]],
        "Communes invitées": [formats.fmt_int(n) for n in campagnes["communes"]],
    }, hide_index=True)


def _liens_deploiement(user: User) -> None:
    """The deployment pages: the full ranking, the communes to call back, the campaigns."""
    lien(user, "communes-a-contacter", "Communes à contacter : le classement complet, ses critères réglables",
         ":material/person_search:")
    lien(user, "a-rappeler", "Communes à rappeler", ":material/phone_callback:")
    lien(user, "campagnes", "Campagnes : création, communes invitées, avancement", ":material/campaign:")


def _commune(user: User) -> None:
    """A commune: its status and its own objets, nothing of a wider territory."""
    code = user.scope.commune
    try:
        fiche = ui.read(fiches.fiche_commune, user.scope, user.role, code)
    except fiches.Absent:
        st.error("Votre commune est introuvable : prévenez l'administrateur du service.")
        return
    c, objets = fiche.commune, fiche.objets
    st.subheader(ui.sans_markdown(f"Commune de {c['nom']}"))
    statut = STATUT_COMMUNE.libelle(c["statut"], c["statut"])
    a_recenser = objets["a_recenser"].astype(bool)
    col1, col2, col3 = st.columns(3)
    col1.metric("Statut du recensement", statut)
    # The questionnaire's count ("205 objets recensés sur 207"), not every objet POP lists here.
    col2.metric("Objets à recenser", ui.fmt_int(int(a_recenser.sum())))
    col3.metric("Objets recensés", ui.fmt_int(int((objets["recense"].astype(bool) & a_recenser).sum())))
    if c.get("dossier_transmis_le") is not None:
        st.caption(f"Dossier transmis le {formats.date_fr(c['dossier_transmis_le'])}"
                   + (f", examiné le {formats.date_fr(c['dossier_accepte_le'])}"
                      if c.get("dossier_accepte_le") is not None else "") + ".")
    lien(user, "recensement", "Recenser vos objets : le questionnaire pas à pas, et le guide", ":material/checklist:")
    st.page_link(navigation.script("commune"), query_params={"code": code}, icon=":material/location_city:",
                 label="La fiche de la commune : dossiers, examen du conservateur, objets par édifice")
    if objets.empty:
        st.caption("Aucun objet protégé connu dans votre commune.")
        return
    autres = int((~a_recenser).sum())
    st.markdown("**Vos objets**")
    if autres:
        st.caption(f"{formats.pluriel(autres, 'objet')} de la liste "
                   f"{formats.accord(autres, 'ne figure', 'ne figurent')} pas au recensement (sous-dossier, objet "
                   "signalé volé ou manquant dans POP, propriété de l'État, protection levée…) : "
                   "colonne « À recenser ».")
    st.dataframe({
        "Objet": objets["titre"].fillna(""),
        "À recenser": a_recenser.map(formats.oui_non),
        "Édifice": objets["edifice"],
        "Protection": objets["protection"].map(PROTECTION.libelles).fillna("—"),
        "État au dernier recensement": objets["etat_sanitaire"].map(ETAT_SANITAIRE.libelles).fillna("—"),
        "Recensé le": [formats.date_fr(d) for d in objets["recense_le"]],
        "Fiche": "objet?ref=" + objets["ref"],
    }, hide_index=True, width="stretch",
        column_config={"Fiche": st.column_config.LinkColumn("Fiche (nouvel onglet)",
                                                            display_text="Ouvrir dans un nouvel onglet")})
