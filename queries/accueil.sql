-- Key figures of the home page, with the shared definitions (views of migration 0001).

-- name: chiffres_cles
SELECT count(*) FILTER (WHERE compte) AS objets,
       count(DISTINCT commune_code) FILTER (WHERE compte) AS communes,
       count(*) FILTER (WHERE compte AND recense_5_ans) AS recenses_5_ans,
       count(*) FILTER (WHERE compte AND recense_le >= now() - interval '1 year') AS recenses_12_mois,
       count(*) FILTER (WHERE compte AND etat_sanitaire = 'peril') AS en_peril,
       count(*) FILTER (WHERE compte AND disparu) AS disparus,
       count(*) FILTER (WHERE retire_le IS NULL AND manquant_pop) AS manquants_pop
FROM objet_situation
WHERE (CAST(:departements AS text[]) IS NULL OR departement_code = ANY(CAST(:departements AS text[])))
  AND (CAST(:commune AS text) IS NULL OR commune_code = CAST(:commune AS text));

-- name: dossiers_a_examiner
SELECT count(*)
FROM dossier d
JOIN commune c ON c.code_insee = d.commune_code
WHERE d.statut = 'submitted'
  -- include: commune_dans_perimetre

-- name: demo_present
SELECT EXISTS (SELECT 1 FROM load_state WHERE name = 'demo');
