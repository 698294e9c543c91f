-- Key figures of the home page, with the shared definitions (queries/definitions/).

-- name: chiffres_cles
SELECT count(*) FILTER (WHERE compte) AS objets,
       count(DISTINCT commune_code) FILTER (WHERE compte) AS communes,
       count(*) FILTER (WHERE compte AND recense_5_ans) AS recenses_5_ans,
       count(*) FILTER (WHERE compte AND recense_12_mois) AS recenses_12_mois,
       count(*) FILTER (WHERE compte AND etat_sanitaire = 'peril') AS en_peril,
       count(*) FILTER (WHERE compte AND disparu) AS disparus,
       count(*) FILTER (WHERE retire_le IS NULL AND manquant_pop) AS manquants_pop
FROM objet_situation
WHERE dans_perimetre_utilisateur(departement_code, commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text));

-- name: dossiers_a_examiner
SELECT count(*)
FROM dossier d
JOIN commune c ON c.code_insee = d.commune_code
WHERE d.statut = 'submitted'
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))

-- name: demo_present
SELECT EXISTS (SELECT 1 FROM load_state WHERE name = 'demo');
