"""Text from the database or the URL shown as text in elements that render Markdown.

Streamlit renders GitHub-flavoured Markdown in st.markdown, st.title, st.header,
st.subheader, st.caption, st.write of a str, the alerts (st.info, st.error…), st.metric's
label, value and help, and every widget label (st.page_link, st.selectbox…): links
`[a](b)`, autolinks `<http://…>` and bare `www.…`/`http://…` addresses, images `![a](b)`,
and Streamlit's own directives (`:red[…]`, `:material/…:`, `$…$` LaTeX). Raw HTML is not
rendered without unsafe_allow_html, which never gets such text. A title, an édifice, a
commune's name, a note or a message imported from POP or typed by someone must show as the
characters it holds: `sans_markdown()` backslash-escapes every ASCII punctuation character
(CommonMark: any of them may be escaped, and an escaped one is shown as itself), so no
construct can start, and joins lines (these are one-line places; long texts go to st.text).

Maps are the other place: folium writes a tooltip's text as HTML inside a JavaScript
template literal; `pour_infobulle()` makes a name inert there.

Pure: no Streamlit (dashboard.app.ui re-exports sans_markdown for the pages).
"""
from __future__ import annotations

import html
import re
import string

_PONCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LIGNES = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")


def sans_markdown(texte: object) -> str:
    """The text, shown as written by an element that renders Markdown (None, NaN: "")."""
    if texte is None or (isinstance(texte, float) and texte != texte):
        return ""
    return _PONCTUATION.sub(r"\\\1", _LIGNES.sub(" ", str(texte)))


def pour_infobulle(texte: object) -> str:
    """A name for a folium tooltip (HTML in a JavaScript `template literal`): HTML-escaped,
    and the backquote, dollar and backslash that would end the literal or interpolate
    into it written as character references."""
    echappe = html.escape("" if texte is None else str(texte))
    return echappe.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")
