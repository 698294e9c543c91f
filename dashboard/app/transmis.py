"""What the commune sent, shown beside the examen's fields (issue 11): on /objet, its answers
for the recensement being examined; on /commune, the dossier's notes and each recensement's
answers. Photos made in this dashboard's questionnaire (issue 15) are shown by the fiches
themselves; those of the recensement platform (or the demo) are only counted:
`legende_photos()` says where they are, in words.

Text from the commune (notes, names) is shown as text: st.text, or sans_markdown in Markdown.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from dashboard.app import ui
from dashboard.domain import formats
from dashboard.domain.vocabulary import ETAT_SANITAIRE, SECURISATION
from dashboard.reads import fiches


def _texte(valeur) -> str:
    """A note as written, "—" when there is none (None, NaN, blank)."""
    return valeur if isinstance(valeur, str) and valeur.strip() else "—"


def legende_photos(transmises: int, ici: int, ou: str) -> str:
    """How many photos a recensement (or a dossier) came with, and where they are: `ici` of
    them stored by the dashboard (shown `ou`), the others kept by the recensement platform."""
    total = max(transmises, ici)
    if not total:
        return "Aucune photo transmise."
    texte = formats.pluriel(total, "photo transmise", "photos transmises")
    ailleurs = total - ici
    plateforme = (f"{formats.accord(ailleurs, 'conservée', 'conservées')} par la plateforme de recensement "
                  "(hors de ce tableau de bord)")
    if not ailleurs:
        return f"{texte}, {ou}."
    if not ici:
        return f"{texte}, {plateforme}."
    return f"{texte} : {ici} {ou}, {ailleurs} {plateforme}."


def reponses_recensement(rec: Mapping, voit_securisation: bool, photos_ici: int) -> None:
    """One recensement as the commune answered it: localisation, état, sécurisation (for whom
    may see it), its notes, and where its photos are (`photos_ici`: how many of them the
    page shows above, under « Photos transmises par la commune »)."""
    st.markdown("**Ce que la commune a transmis**")
    reponses = {"Recensé le": formats.date_fr(rec["recense_le"]),
                "Localisation": fiches.lieu(dict(rec)),
                "Recensable": formats.oui_non(rec["recensable"]),
                "État sanitaire": ETAT_SANITAIRE.libelle(rec["etat_commune"])}
    if voit_securisation:
        reponses["Sécurisation"] = SECURISATION.libelle(rec["securisation_commune"])
    st.dataframe({"Question": list(reponses), "Réponse de la commune": list(reponses.values())}, hide_index=True,
                 width="stretch")
    st.markdown("**Notes de la commune**")
    st.text(_texte(rec["notes"]))
    photos(rec, photos_ici)


def photos(rec: Mapping, ici: int) -> None:
    """Where the photos the commune sent with a recensement are: shown higher on the page
    (those the dashboard stores), or kept by the recensement platform."""
    n = int(rec["nb_photos"] or 0)
    with st.container(border=True, key=f"photos_{rec['id']}"):
        st.markdown("**Photos de la commune**")
        if not n and not ici and rec.get("confirmation_sans_photo"):
            st.caption("Aucune photo : la commune a confirmé ne pas pouvoir en prendre.")
        else:
            st.caption(legende_photos(n, ici, "plus haut, sous « Photos transmises par la commune »"))


def reponses_dossier(dossier: Mapping, recensements: pd.DataFrame, voit_securisation: bool) -> None:
    """A dossier as the commune sent it: its notes, who did the recensement (for whom may
    see it: the query leaves it empty otherwise), and each recensement's answers."""
    st.markdown("**Ce que la commune a transmis**")
    st.markdown("Notes de la commune :")
    st.text(_texte(dossier["notes_commune"]))
    if isinstance(dossier.get("recenseur"), str) and dossier["recenseur"]:
        st.caption(f"Recensement fait par {ui.sans_markdown(dossier['recenseur'])}.")
    if recensements.empty:
        st.caption("Aucun recensement complet dans ce dossier.")
        return
    r = recensements
    table = {
        "Objet": r["titre"].fillna("") + " (" + r["ref"] + ")",
        "Localisation": [fiches.lieu(row) for row in r.to_dict("records")],
        "État (commune)": r["etat_commune"].map(ETAT_SANITAIRE.libelles).fillna("—"),
    }
    if voit_securisation:
        table["Sécurisation (commune)"] = r["securisation_commune"].map(SECURISATION.libelles).fillna("—")
    table.update({
        "Notes de la commune": r["notes"].map(_texte),
        "Photos": r["nb_photos"].astype("int64"),
        "Analysé": r["analyse"].map(formats.oui_non),
        "Fiche": "objet?ref=" + r["ref"],
    })
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "Fiche": st.column_config.LinkColumn("Fiche (nouvel onglet)", display_text="Ouvrir dans un nouvel onglet")})
    st.caption(f"{formats.pluriel(len(r), 'recensement')}, les objets pas encore analysés d'abord. "
               + legende_photos(int(r["nb_photos"].sum()), int(r["photos_ici"].sum()),
                                "sur la fiche de chaque objet"))
