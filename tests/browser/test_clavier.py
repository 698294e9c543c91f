"""Keyboard use, in chromium (Standards: "keyboard use works"): from the home page, with the
keyboard alone, the administrator reaches the objets in péril and opens a case's fiche from
the table, the way its caption says; every element the focus lands on shows where it is."""
import re

import pytest

from dashboard.app import ui
from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser

# Where the focus is, and whether it shows: an outline of at least 2 px (assets/style.css draws
# one on links, buttons, fields and anything with a tabindex), the browser's own focus ring
# (outline style "auto"), or a ring drawn as a box shadow.
_FOCUS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const vu = s.outlineStyle === 'auto' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
        || s.boxShadow !== 'none';
    return {texte: (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 60),
            testid: e.getAttribute('data-testid') || '', vu};
}"""


def _tab_jusqu_a(page, voulu, maximum: int = 120) -> list[dict]:
    """Tab until `voulu(focus)`; every focus on the way, the last one included."""
    vus = []
    for _ in range(maximum):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS)
        if focus:
            vus.append(focus)
            if voulu(focus):
                return vus
    raise AssertionError(f"jamais atteint au clavier ; vus : {[v['texte'] for v in vus][-15:]}")


def test_the_objets_in_peril_and_a_fiche_with_the_keyboard_alone(demo_app, page):
    page.goto(demo_app + "/")
    wait_idle(page)
    page.get_by_text("Voir les objets en péril").first.wait_for()
    vus = _tab_jusqu_a(page, lambda f: "Voir les objets en péril" in f["texte"])
    assert len(vus) >= 5                                   # the navigation comes first
    assert not [v["texte"] for v in vus if not v["vu"]], "focus invisible"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/urgences\?.*constat=peril"), timeout=30_000)
    wait_idle(page)
    page.get_by_text("Prioritaires").first.wait_for(timeout=60_000)
    # The caption says how to choose a row from the keyboard; doing so opens the fiche.
    assert page.get_by_text(ui.SELECTIONNER_UNE_LIGNE).count() == 1
    vus = _tab_jusqu_a(page, lambda f: f["testid"] == "data-grid-canvas")
    assert not [v["texte"] for v in vus if not v["vu"]], "focus invisible"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Space")
    page.wait_for_url(re.compile(r"/objet\?.*ref=PM"), timeout=30_000)
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() not in ("", "Fiche objet")
