"""Sign-in in the app: the HTTP routes beside Streamlit that set and clear the cookie
(routes.py, pages of gabarits.py), the signed values they exchange (jetons.py), and, in the
script, who the visitor is (identite.py) and the sign-in page (page.py)."""
