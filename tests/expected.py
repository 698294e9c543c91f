"""Figures computed by SQL written here, independently of the app's views, for the tests
to compare against what pages show."""
import sqlalchemy as sa

# domain.md's definitions, restated: current recensement = latest completed one in a
# submitted dossier; overrides win; counted = in scope and not withdrawn.

# Effective recensements (completed, in a submitted dossier), with the overrides applied: the
# opening of the queries below and of the tests' own statements.
EFFECTIFS = """
WITH eff AS (
    SELECT r.id, r.objet_ref, r.recense_le, r.localisation,
           CASE WHEN r.recensable AND r.localisation <> 'absent'
                THEN coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire) END AS etat,
           CASE WHEN r.recensable AND r.localisation <> 'absent'
                THEN coalesce(r.analyse_securisation, r.securisation) END AS secu
    FROM recensement r JOIN dossier d ON d.id = r.dossier_id
    WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL
)
"""
HOME_FIGURES = EFFECTIFS + """, cur AS (
    SELECT DISTINCT ON (objet_ref) * FROM eff ORDER BY objet_ref, recense_le DESC, id DESC
)
SELECT count(*) AS objets,
       count(DISTINCT o.commune_code) AS communes,
       count(*) FILTER (WHERE cur.recense_le >= now() - interval '5 years') AS recenses_5_ans,
       count(*) FILTER (WHERE cur.etat = 'peril') AS en_peril,
       count(*) FILTER (WHERE cur.localisation = 'absent') AS disparus
FROM objet o LEFT JOIN cur ON cur.objet_ref = o.ref
WHERE o.dans_perimetre AND o.retire_le IS NULL
  AND (CAST(:deps AS text[]) IS NULL OR o.departement_code = ANY(CAST(:deps AS text[])))
"""

DOSSIERS_A_EXAMINER = """
SELECT count(*) FROM dossier d JOIN commune c ON c.code_insee = d.commune_code
WHERE d.statut = 'submitted' AND (CAST(:deps AS text[]) IS NULL OR c.departement_code = ANY(CAST(:deps AS text[])))
"""


def home_figures(url: str, departements: list[str] | None = None) -> dict:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        row = dict(conn.execute(sa.text(HOME_FIGURES), {"deps": departements}).mappings().one())
        row["dossiers_a_examiner"] = conn.execute(sa.text(DOSSIERS_A_EXAMINER), {"deps": departements}).scalar()
    return row


def digits(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))
