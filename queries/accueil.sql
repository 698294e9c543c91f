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

-- name: couverture_par_departement
-- The coverage of each département of the scope (the home page of a conservateur or a DRAC
-- manager): objets counted, recensés within five years (objet_situation's definitions).
SELECT s.departement_code AS code, min(dp.nom) AS nom,
       count(*) FILTER (WHERE s.compte) AS objets,
       count(*) FILTER (WHERE s.compte AND s.recense_5_ans) AS recenses_5_ans
FROM objet_situation s
LEFT JOIN departement dp ON dp.code = s.departement_code
WHERE s.departement_code IS NOT NULL
  AND dans_perimetre_utilisateur(s.departement_code, s.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
GROUP BY s.departement_code
ORDER BY s.departement_code;

-- name: communes_jamais_recensees
-- The communes of the scope that hold the most objets (counted) and never had a dossier:
-- whom a deployment officer contacts first. Whether any address can reach them (the one a
-- conservateur set, else the mairie's). The objets are counted per commune code first and
-- only the first :limite communes are read (commune rows are wide: joining all 35,000 of them
-- before counting took 0.36-0.41 s for France at full scale, this way 0.22-0.23 s, EXPLAIN
-- ANALYZE on a busy machine).
-- objet.commune_code references commune: no counted commune is lost by the late join.
WITH par_commune AS (
    SELECT o.commune_code, count(*) AS objets
    FROM objet o
    WHERE o.commune_code IS NOT NULL
      AND objet_compte(o.dans_perimetre, o.retire_le)
      AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
      AND NOT EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = o.commune_code)
    GROUP BY o.commune_code
    ORDER BY count(*) DESC, o.commune_code
    LIMIT :limite)
SELECT c.code_insee, c.nom, c.departement_code, p.objets,
       (nullif(btrim(c.mairie_email), '') IS NOT NULL
        OR EXISTS (SELECT 1 FROM commune_contact cc WHERE cc.commune_code = c.code_insee)) AS adresse
FROM par_commune p
JOIN commune c ON c.code_insee = p.commune_code
ORDER BY p.objets DESC, c.code_insee;

-- name: campagnes_perimetre
-- The campaigns of the scope's départements, ongoing first, then the latest launched.
SELECT k.id, k.nom, k.departement_code, dp.nom AS departement_nom, k.statut::text AS statut,
       k.date_lancement, k.date_fin,
       (SELECT count(*) FROM campagne_commune cc WHERE cc.campagne_id = k.id) AS communes
FROM campagne k
LEFT JOIN departement dp ON dp.code = k.departement_code
WHERE dans_perimetre_utilisateur(k.departement_code, NULL, CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY k.statut = 'ongoing' DESC, k.statut = 'planned' DESC, k.date_lancement DESC, k.id
LIMIT :limite;
