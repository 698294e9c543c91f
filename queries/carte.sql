-- The /carte page: territories, display geometries and figures by commune, with the
-- shared definitions (objet_situation, commune_statut, recensement_effectif of 0001).
-- Every figure query takes the scope (:departements, :commune), the territory of the view
-- (:region, :departement) and the filters (:protection, :categorie, :siecle, and the
-- period :debut/:fin, NULL = the five-year objective).

-- name: carte_regions
SELECT r.code, r.nom
FROM region r
WHERE EXISTS (SELECT 1 FROM departement d WHERE d.region_code = r.code
              AND dans_perimetre_utilisateur(d.code, NULL, CAST(:departements AS text[]), NULL))
ORDER BY r.nom;

-- name: carte_departements
SELECT d.code, d.nom, d.region_code
FROM departement d
WHERE dans_perimetre_utilisateur(d.code, NULL, CAST(:departements AS text[]), NULL)
ORDER BY d.code;

-- name: carte_categories
SELECT DISTINCT unnest(categorie) AS categorie FROM objet ORDER BY 1;

-- name: carte_commune_departement
SELECT c.code_insee, c.nom, c.departement_code
FROM commune c
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))

-- name: carte_geom_departements
SELECT d.code, d.nom, ST_AsBinary(d.geom_affichage) AS wkb
FROM departement d
WHERE d.geom_affichage IS NOT NULL
  AND dans_perimetre_utilisateur(d.code, NULL, CAST(:departements AS text[]), NULL)
  AND (CAST(:region AS text) IS NULL OR d.region_code = CAST(:region AS text))
ORDER BY d.code;

-- name: carte_geom_communes
SELECT c.code_insee AS code, c.nom, c.departement_code AS departement,
       ST_AsBinary(c.geom_affichage) AS wkb, ST_X(c.point) AS lng, ST_Y(c.point) AS lat, c.population
FROM commune c
JOIN departement d ON d.code = c.departement_code
WHERE c.geom_affichage IS NOT NULL
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND (CAST(:region AS text) IS NULL OR d.region_code = CAST(:region AS text))
  AND (CAST(:departement AS text) IS NULL OR c.departement_code = CAST(:departement AS text))
ORDER BY c.code_insee;

-- name: carte_figures_communes
-- One row per commune holding counted objets that match the filters (objets without a
-- commune give a row with a NULL code, kept for the département totals).
WITH o AS (
    SELECT s.commune_code, s.departement_code, s.etat_sanitaire, s.urgence, s.disparu,
           CASE WHEN CAST(:debut AS date) IS NULL THEN s.recense_5_ans
                ELSE coalesce(s.recense_le >= CAST(:debut AS date) AND s.recense_le < CAST(:fin AS date), false)
           END AS dans_periode,
           CAST(:debut AS date) IS NULL
               OR coalesce(s.recense_le >= CAST(:debut AS date) AND s.recense_le < CAST(:fin AS date), false)
               AS courant_dans_periode
    FROM carte_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                      CAST(:departement AS text), CAST(:protection AS text), CAST(:categorie AS text),
                      CAST(:siecle AS text)) s
), par_commune AS (
    SELECT commune_code, min(departement_code) AS departement,
           count(*) AS objets,
           count(*) FILTER (WHERE dans_periode) AS recenses,
           count(*) FILTER (WHERE courant_dans_periode AND etat_sanitaire IS NOT NULL) AS avec_etat,
           count(*) FILTER (WHERE courant_dans_periode AND etat_sanitaire = 'bon') AS bon,
           count(*) FILTER (WHERE courant_dans_periode AND etat_sanitaire = 'moyen') AS moyen,
           count(*) FILTER (WHERE courant_dans_periode AND etat_sanitaire = 'mauvais') AS mauvais,
           count(*) FILTER (WHERE courant_dans_periode AND etat_sanitaire = 'peril') AS peril,
           count(*) FILTER (WHERE courant_dans_periode AND urgence = 'prioritaire') AS prioritaires,
           count(*) FILTER (WHERE courant_dans_periode AND disparu) AS disparus
    FROM o
    GROUP BY commune_code
)
SELECT p.commune_code AS code, c.nom, p.departement, p.objets, p.recenses, p.avec_etat, p.bon, p.moyen,
       p.mauvais, p.peril, p.prioritaires, p.disparus,
       coalesce(cs.statut, 'non_recense') AS statut,
       coalesce(dos.submitted_at IS NOT NULL
                AND (CAST(:debut AS date) IS NULL
                     OR (dos.submitted_at >= CAST(:debut AS date) AND dos.submitted_at < CAST(:fin AS date))),
                false) AS dossier_transmis
FROM par_commune p
LEFT JOIN commune c ON c.code_insee = p.commune_code
LEFT JOIN commune_statut cs ON cs.code_insee = p.commune_code
LEFT JOIN dossier dos ON dos.id = cs.dossier_id
ORDER BY p.commune_code;

-- name: carte_recensements_par_mois
-- Effective recensements (every one, not only the current ones) of the objets in view, by month.
SELECT date_trunc('month', r.recense_le)::date AS mois, count(*) AS recensements
FROM recensement_effectif r
JOIN carte_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                  CAST(:departement AS text), CAST(:protection AS text), CAST(:categorie AS text),
                  CAST(:siecle AS text)) s ON s.ref = r.objet_ref
WHERE (CAST(:debut AS date) IS NULL OR (r.recense_le >= CAST(:debut AS date) AND r.recense_le < CAST(:fin AS date)))
GROUP BY 1
ORDER BY 1;
