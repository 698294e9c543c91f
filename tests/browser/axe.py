"""axe-core in the browser tests: WCAG 2.1 A and AA, on the page and in its frames.

axe-core comes from the npm registry at set-up (dashboard/ops/vendor.sh, under
.local/vendor/: never served by the app, never from a CDN); Playwright injects it into the
page and into each frame (the maps are iframes of the same origin, which axe enters).

Violations that come from the framework's own markup, which the app cannot change, are left
out by a precise rule: an axe rule id and the framework's element it is found on or in
(EXCLUSIONS, each with its reason). Everything else counts.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard import settings

AXE = settings.PROJECT_ROOT / ".local" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class Exclusion:
    regle: str        # axe rule id
    selecteur: str    # the framework's element the violation is on or inside
    raison: str


# Streamlit's page navigation (st.navigation with sections) writes its <ul> with the section
# headers as direct children and each page's <li> inside a <div>: a list whose children are
# not all <li> ("list") and <li> outside a list ("listitem"). Streamlit renders it; the app
# has no say in its markup.
EXCLUSIONS = [
    Exclusion("list", '[data-testid="stSidebarNavItems"]',
              "navigation de Streamlit : titres de section enfants directs de la liste <ul>"),
    Exclusion("listitem", '[data-testid="stSidebarNavItems"]',
              "navigation de Streamlit : chaque <li> est dans un <div>, pas directement dans la liste"),
]


@dataclass(frozen=True)
class Violation:
    regle: str
    impact: str
    cible: str
    html: str
    resume: str

    def __str__(self) -> str:
        return f"{self.regle} ({self.impact}) {self.cible} : {self.html[:160]} — {self.resume[:200]}"


def _settled(page) -> None:
    """Colours are measured on the page at rest: no element Streamlit marks stale (it fades
    them during a rerun) and no CSS transition under way. A contrast once read mid-fade
    (#7891d2 for the sidebar's #000091 link, in a loaded full run) is not the page's."""
    page.wait_for_function("""() => !document.querySelector('[data-stale="true"]')
        && document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')""",
                           timeout=30_000)


def run(page) -> tuple[list[Violation], list[Violation]]:
    """(violations that count, violations left out by EXCLUSIONS) of the page and its frames."""
    _settled(page)
    script = AXE.read_text(encoding="utf-8")
    for frame in page.frames:
        try:
            frame.add_script_tag(content=script)
        except Exception:  # noqa: BLE001 - a frame gone meanwhile: axe reports what it could not enter
            pass
    found = page.evaluate("""async ([tags, exclusions]) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: true,
                                           elementRef: true, resultTypes: ['violations']});
        return r.violations.flatMap(v => v.nodes.map(n => ({
            regle: v.id, impact: n.impact || v.impact || '', cible: JSON.stringify(n.target), html: n.html,
            resume: n.failureSummary || '',
            exclue: exclusions.some(([regle, sel]) => regle === v.id && n.element && n.element.closest(sel))})));
    }""", [TAGS, [[e.regle, e.selecteur] for e in EXCLUSIONS]])
    comptent = [Violation(v["regle"], v["impact"], v["cible"], v["html"], v["resume"]) for v in found if not v["exclue"]]
    exclues = [Violation(v["regle"], v["impact"], v["cible"], v["html"], v["resume"]) for v in found if v["exclue"]]
    return comptent, exclues
