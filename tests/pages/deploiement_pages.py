"""Opening the déploiement pages under AppTest, and what the tests compute on their own: each
commune's figures from the base tables (written here, not with the app's statement or the
shared views), and the score by hand."""
from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import open_page, q

# Each commune holding counted objets, from the base tables: an objet's current recensement
# is its latest completed one in a submitted dossier (by date, then id); its état is the
# conservateur's when he overrode it.
FIGURES = """
WITH eff AS (
    SELECT r.id, r.objet_ref, r.recense_le, r.localisation,
           CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
                THEN coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire) END AS etat
    FROM recensement r JOIN dossier d ON d.id = r.dossier_id
    WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL
), cur AS (
    SELECT DISTINCT ON (objet_ref) * FROM eff ORDER BY objet_ref, recense_le DESC, id DESC
)
SELECT o.commune_code AS code, count(*) AS objets,
       count(*) FILTER (WHERE o.protection = 'classe' AND cur.id IS NULL) AS classes_jamais,
       count(*) FILTER (WHERE cur.etat = 'peril' OR cur.localisation = 'absent' OR o.manquant IS NOT NULL
                        OR o.deplacement ~* '(vol|disparu)') AS peril,
       max(CAST(extract(year FROM cur.recense_le AT TIME ZONE 'Europe/Paris') AS integer)) AS annee_recensement,
       max(CAST(substring(o.denq FROM '([12][0-9][0-9][0-9])$') AS integer)) AS annee_pop,
       bool_or(EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = o.commune_code)) AS dossier,
       max(c.population) AS population
FROM objet o
JOIN commune c ON c.code_insee = o.commune_code
LEFT JOIN cur ON cur.objet_ref = o.ref
WHERE o.dans_perimetre AND o.retire_le IS NULL AND (CAST(:deps AS text[]) IS NULL OR o.departement_code = ANY (:deps))
GROUP BY o.commune_code
"""


def figures(url: str, deps: list[str] | None = None) -> pd.DataFrame:
    rows = q(url, FIGURES, deps=deps)
    return pd.DataFrame(rows, columns=["code", "objets", "classes_jamais", "peril", "annee_recensement", "annee_pop",
                                       "dossier", "population"]).set_index("code")


def score_a_la_main(f, poids: tuple[int, ...], annee: int = date.today().year) -> tuple[float, list[float]]:
    """(score, points by criterion) of one commune's figures, by the rule the page states."""
    annees = [a for a in (f["annee_recensement"], f["annee_pop"]) if a is not None and a == a]
    anciennete = 1.0 if not annees else min(annee - max(annees), 10) / 10
    densite = min(f["objets"] * 1000 / f["population"], 10) / 10 if f["population"] else 0.0
    fractions = [min(f["classes_jamais"], 10) / 10, anciennete, min(f["peril"], 5) / 5, 0.0 if f["dossier"] else 1.0,
                 densite]
    points = [100 * w * x / sum(poids) for w, x in zip(poids, fractions)]
    return sum(points), points


def sans_contacts_de_la_demo(url: str) -> None:
    """Remove the demo's contacts (dashboard/demo/contacts.py) from a writable copy, so that a
    test counting contacts, or listing the communes to call back, sees only its own."""
    q(url, "TRUNCATE contact_commune")


def ouvrir(url: str, role: str, page: str, **query) -> AppTest:
    """A page of pages/ as the demo user of `role`: the app runs once, then the page."""
    return open_page(url, role, page, home_first=True, **query)


def nombre(texte: str) -> float:
    return float(texte.replace("\u202f", "").replace(",", "."))
