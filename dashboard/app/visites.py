"""Streamlit glue of the previous visit: the visit is recorded once per session (the first
run of the page in that session), and the visit before it is kept for the whole session,
so that "nouveau" means the same thing on every rerun (dashboard.writes.visites)."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import db
from dashboard.writes import visites


def visite_precedente(user_id: int, page: str) -> datetime | None:
    """The visit before this session's (None on a first visit, or when the database does not
    answer: nothing is then marked new)."""
    key = f"_visite_precedente_{page}_{user_id}"
    if key not in st.session_state:
        try:
            with db.connect(app=True) as conn:
                st.session_state[key] = visites.enregistrer_visite(conn, user_id, page)
        except db.DatabaseError:
            return None
    return st.session_state[key]
