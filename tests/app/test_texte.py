"""Text from the database or the URL, shown as text: Markdown escaped for Streamlit's
elements, HTML and JavaScript escaped for a map's tooltip (dashboard.app.texte)."""
import re

import pytest

from dashboard.app.texte import pour_infobulle, sans_markdown

PIEGES = ["[clic](javascript:alert(1))", "![x](http://evil/x.png)", "<img src=x onerror=alert(1)>", "**gras**",
          "<http://evil/>", "www.evil.example", "http://evil.example/x", "a@b.fr", ":red[rouge]",
          ":material/warning:", "$x^2$", "# titre", "> cité", "1. liste", "`code`", "&lt;img&gt;", "a\n\n---\nb",
          "\\[déjà échappé\\](x)"]


def _unescaped(text: str) -> str:
    """What CommonMark parses as syntax: the text without its backslash-escaped characters."""
    return re.sub(r"\\.", "", text)


@pytest.mark.parametrize("piege", PIEGES)
def test_no_markdown_construct_survives(piege):
    shown = sans_markdown(piege)
    rest = _unescaped(shown)
    assert not re.search(r"[!-/:-@\[-`{-~]", rest), rest    # no ASCII punctuation left unescaped
    assert "\n" not in shown                                  # one line: no new block can start


@pytest.mark.parametrize("piege", PIEGES)
def test_the_characters_are_kept(piege):
    """Unescaping gives the text back (newlines joined): the user reads what was written."""
    assert re.sub(r"\\(.)", r"\1", sans_markdown(piege)) == re.sub(r"[\r\n]+", " ", piege)


def test_plain_words_are_unchanged():
    assert sans_markdown("Église Saint-Vaast") == "Église Saint\\-Vaast"
    assert sans_markdown("Calvaire") == "Calvaire" and sans_markdown(None) == ""


def test_tooltip_text_cannot_leave_its_template_literal():
    shown = pour_infobulle("a`${alert(1)}`<img src=x onerror=alert(1)>\\")
    assert not any(c in shown for c in "`$<>\\")
    assert shown == "a&#96;&#36;{alert(1)}&#96;&lt;img src=x onerror=alert(1)&gt;&#92;"
