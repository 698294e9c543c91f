"""Photos of recensements shown on the pages (/recensement, /objet, /commune): thumbnails from
the storage (dashboard.stockage), each opening its 1,600 px copy. A directory's bytes are
served by the app (st.image); S3 gives a time-limited link the browser fetches itself."""
from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from dashboard import stockage
from dashboard.stockage.base import ObjetIntrouvable, StockageIndisponible

_log = logging.getLogger(__name__)
PAR_LIGNE = 3   # thumbnails per row: 3 × ~110 px fit a 390 px phone screen


@st.cache_data(max_entries=200, show_spinner=False)
def _octets(cle: str) -> bytes | None:
    """A copy's bytes (keys are never reused: the cache cannot go stale)."""
    try:
        return stockage.ouvrir().lire(cle)
    except (ObjetIntrouvable, StockageIndisponible) as exc:
        _log.warning("Copie de photo illisible (%s) : %s", cle, exc)
        return None


def source(cle: str):
    """What st.image takes for a copy: a link (S3) or the bytes (a directory); None if unreadable."""
    try:
        lien = stockage.ouvrir().lien(cle)
    except StockageIndisponible:
        lien = None
    return lien or _octets(cle)


def vignettes(photos: pd.DataFrame, legende: str = "Photo", cle: str = "photos") -> None:
    """The thumbnails, a few per row; a switch shows the large copies instead (one per row),
    fetched only then: a phone on a poor network loads thumbnails alone."""
    rows = photos.to_dict("records")
    if not rows:
        return
    if st.toggle("Afficher les photos en grand", key=f"{cle}_grand"):
        for i, row in enumerate(rows, start=1):
            image = source(row["cle_grande"])
            if image is None:
                st.caption(f"{legende} {i} : indisponible pour le moment.")
            else:
                st.image(image, caption=f"{legende} {i}", alt=f"{legende} {i}, en grand", width="stretch")
        return
    for debut in range(0, len(rows), PAR_LIGNE):
        colonnes = st.columns(PAR_LIGNE, wrap=False)
        for i, (col, row) in enumerate(zip(colonnes, rows[debut:debut + PAR_LIGNE]), start=debut + 1):
            with col:
                image = source(row["cle_vignette"])
                if image is None:
                    st.caption(f"{legende} {i} : indisponible pour le moment.")
                else:
                    st.image(image, caption=f"{legende} {i}", alt=f"{legende} {i}", width="stretch")


def par_recensement(photos: pd.DataFrame, titre) -> None:
    """Photos grouped under a caption per recensement (or per objet): `titre(row)` names the group."""
    if photos.empty:
        return
    for rid, groupe in photos.groupby("recensement_id", sort=False):
        st.caption(titre(groupe.iloc[0]))
        vignettes(groupe, cle=f"photos_{rid}")
