"""In chromium, against a running app (demo mode, the first demo identity: the administrator):

- a commune is found by a part of its name typed without accents nor hyphens, and opened
  (in the same tab) from the suggestions;
- the filters of /urgences are in the URL: a reload gives the same view, and a link with
  filters opens that view.
"""
import re

import pytest

from tests.browser.conftest import wait_idle

pytestmark = pytest.mark.browser


def _main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def test_a_commune_found_by_a_partial_name_without_accents_opens(demo_app, page):
    page.goto(demo_app + "/commune")
    wait_idle(page)
    pages_before = len(page.context.pages)
    field = page.get_by_role("searchbox", name="Rechercher une commune : nom ou code INSEE", exact=True)
    field.fill("courcelles les l")  # part of the name, no accent, no hyphen
    suggestion = page.get_by_role("link", name=re.compile(r"Courcelles-lès-Lens \(62249\)"))
    suggestion.wait_for(timeout=30_000)
    suggestion.click()
    page.wait_for_url(re.compile(r"/commune\?code=62249"), timeout=30_000)
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Courcelles-lès-Lens"
    assert len(page.context.pages) == pages_before  # the same tab


def _multiselect_chips(page, label: str) -> list[str]:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    # Streamlit 1.67 (react-aria): each chosen value is a [data-tag] holding its label.
    return [t.strip() for t in box.locator('[data-tag] [title]').all_inner_texts()]


def _urgences_drawn(page) -> None:
    """/urgences idle and drawn: under load the script may be seen idle before its first run
    has drawn anything; its figures come after the filters."""
    wait_idle(page)
    page.locator('[data-testid="stMetricLabel"]', has_text="Prioritaires").wait_for(timeout=60_000)


def _metrics(page) -> dict[str, str]:
    out = {}
    for metric in page.query_selector_all('[data-testid="stMetric"]'):
        label = metric.query_selector('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = metric.query_selector('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def test_urgences_filters_survive_a_reload_from_the_url(demo_app, page):
    page.goto(demo_app + "/urgences?niveau=preoccupant&examen=non")
    _urgences_drawn(page)
    assert _multiselect_chips(page, "Niveau") == ["Préoccupant"]
    assert page.get_by_role("radio", name="Non examinés").is_checked()
    assert _metrics(page)["Prioritaires"] == "0"
    # A filter chosen on the page goes into the URL…
    constat = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Constat")
    constat.locator("input").click()
    page.get_by_role("option", name="État : mauvais").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"constat=mauvais"), timeout=30_000)
    _urgences_drawn(page)
    url = page.url
    assert "niveau=preoccupant" in url and "examen=non" in url
    shown = _metrics(page)
    counts = ("Prioritaires", "Préoccupants")  # "new since the last visit" changes: a reload is a visit
    # … and a reload of that URL gives the same view.
    page.reload()
    _urgences_drawn(page)
    assert page.url == url
    assert _multiselect_chips(page, "Niveau") == ["Préoccupant"]
    assert _multiselect_chips(page, "Constat") == ["État : mauvais"]
    assert page.get_by_role("radio", name="Non examinés").is_checked()
    after = _metrics(page)
    assert [after[k] for k in counts] == [shown[k] for k in counts]
    assert "inconnu" not in _main_text(page)


def _select_row(page, row: int) -> None:
    """Click the selection box of a row of the page's first table (a canvas: by position,
    rows of 35 px under a header of 35 px)."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 * (row + 1) + 17)


def test_a_row_opens_its_fiche_here_and_back_returns_to_the_same_view(demo_app, page):
    """Rows open their fiche in this tab (st.switch_page); Streamlit then writes the switch's
    parameters into the URL of the page it leaves: the back button must find the same view."""
    page.goto(demo_app + "/urgences?niveau=preoccupant&examen=non")
    _urgences_drawn(page)
    pages_before = len(page.context.pages)
    _select_row(page, 0)
    page.wait_for_url(re.compile(r"/objet\?.*ref=P"), timeout=30_000)
    wait_idle(page)
    assert len(page.context.pages) == pages_before
    page.go_back()
    # Back on /urgences?…&ref=… (the switch's parameters), which the page then writes clean.
    page.wait_for_url(lambda u: "/urgences?" in u and "ref=" not in u, timeout=30_000)
    _urgences_drawn(page)
    assert _multiselect_chips(page, "Niveau") == ["Préoccupant"]
    assert page.get_by_role("radio", name="Non examinés").is_checked()
    assert "ref=" not in page.url and "niveau=preoccupant" in page.url

    page.goto(demo_app + "/a-examiner")
    wait_idle(page)
    _select_row(page, 1)
    page.wait_for_url(re.compile(r"/commune\?code=\w{5}"), timeout=30_000)
    wait_idle(page)
    assert "Examen du dossier transmis le" in _main_text(page)
    page.go_back()
    page.wait_for_url(re.compile(r"/a-examiner"), timeout=30_000)
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Dossiers à examiner"
    assert page.url.endswith("/a-examiner")  # no ?code= left by the switch


PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2,
             user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


@pytest.mark.parametrize("chemin, cle, lien", [("/urgences?niveau=prioritaire", "urgences_cartes", "/objet?"),
                                               ("/a-examiner", "a_examiner_cartes", "/commune?code=")])
def test_on_a_phone_lists_are_cards_that_open_their_fiche(demo_app, browser, chemin, cle, lien):
    """Issue 11: at 390 px /urgences and the inbox were fourteen- and ten-column grids. The
    cards start on the first screen."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(demo_app + chemin)
        cards = page.locator(f".st-key-{cle} [data-testid='stPageLink'] a")
        cards.first.wait_for(timeout=60_000)
        wait_idle(page)
        assert cards.count() == 10 and cards.first.is_visible()
        # The first case on the first screen: /urgences' filters start closed on a phone, and
        # say how many are set.
        assert page.locator(f".st-key-{cle}").bounding_box()["y"] < 844
        if chemin.startswith("/urgences"):
            assert any("1 filtre actif" in t for t in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        titre = page.locator(f".st-key-{cle} strong").first.inner_text()
        cards.first.click()
        page.wait_for_url(f"**{lien}*", timeout=30_000)
        wait_idle(page)
        # The fiche opened is the card's: its name (an objet's title, or the commune) heads it.
        assert page.inner_text("h1").split("(")[0].strip()[:20] in titre
    finally:
        context.close()
