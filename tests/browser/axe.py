"""axe-core in the browser tests: WCAG 2.1 A and AA, on every frame of a page.

axe-core comes from the npm registry at set-up (dashboard/ops/vendor.sh, under
.local/vendor/, never served by the app, never from a CDN) and Playwright injects it into
the page and into each frame (the map is an iframe of the same origin).

Violations that come from the framework's own markup, which the app cannot change, are left
out by a precise rule: a rule id and a selector of the framework's elements (EXCLUSIONS, each
with its reason). Everything else counts.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard import settings

AXE = settings.PROJECT_ROOT / ".local" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class Exclusion:
    rule: str          # axe rule id
    selector: str      # CSS selector of the framework's element the violation is on (or inside)
    raison: str


EXCLUSIONS: list[Exclusion] = []


def _excluded(rule: str, target_html: str, inside: list[str]) -> Exclusion | None:
    for e in EXCLUSIONS:
        if e.rule == rule and e.selector in inside:
            return e
    return None


def run(page) -> list[dict]:
    """Every violation axe finds on the page and in its frames, as dicts (rule, impact,
    target, html, summary), before exclusions."""
    script = AXE.read_text(encoding="utf-8")
    for frame in page.frames:
        try:
            frame.add_script_tag(content=script)
        except Exception:  # noqa: BLE001 - a frame gone or not scriptable: axe reports it as not analysed
            pass
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: true,
                                           resultTypes: ['violations']});
        return r.violations.flatMap(v => v.nodes.map(n => ({rule: v.id, impact: n.impact, target: n.target,
            html: n.html, summary: n.failureSummary})));
    }""", TAGS)
    return result
