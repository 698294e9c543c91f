-- The pilotage pages (/couverture, /restauration; issue 13): one grouped statement per table,
-- by département. The rules are the shared definitions (queries/definitions/13_pilotage.sql
-- and 07_objet_situation.sql), never restated here. Every statement takes the user's scope
-- (:departements, :commune) and the view's territory (:region, :departement; NULL: the
-- whole scope). A NULL département code groups the objets without one (national view only).

-- name: pilotage_objets_par_departement
-- Objets counted, recensés in the last 5 years, in the last 12 months (the pace), and the
-- urgent cases as the role sees them (:voit_securisation), handled or not.
SELECT o.departement_code AS code,
       count(*) AS objets,
       count(*) FILTER (WHERE o.recense_5_ans) AS recenses_5_ans,
       count(*) FILTER (WHERE o.recense_12_mois) AS recenses_12_mois,
       count(*) FILTER (WHERE o.niveau = 'prioritaire') AS prioritaires,
       count(*) FILTER (WHERE o.niveau = 'prioritaire' AND o.traite) AS prioritaires_traites,
       count(*) FILTER (WHERE o.niveau = 'preoccupant') AS preoccupants,
       count(*) FILTER (WHERE o.niveau = 'preoccupant' AND o.traite) AS preoccupants_traites
FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                     CAST(:departement AS text), CAST(:voit_securisation AS boolean)) o
GROUP BY 1
ORDER BY 1;

-- name: pilotage_a_recenser
-- The objets to recense before the target date :echeance: no recensement since :echeance
-- minus five years (not recensés in the cycle at that date).
SELECT o.departement_code AS code,
       count(*) FILTER (WHERE NOT recense_dans_le_cycle(o.recense_le, CAST(:echeance AS date))) AS a_recenser
FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                     CAST(:departement AS text), false) o
GROUP BY 1
ORDER BY 1;

-- name: pilotage_communes
-- The communes holding counted objets of the view, contacted, participating, completed
-- (commune_engagement), by the commune's département.
SELECT e.departement_code AS code,
       count(*) AS communes,
       count(*) FILTER (WHERE e.contactee) AS contactees,
       count(*) FILTER (WHERE e.participante) AS participantes,
       count(*) FILTER (WHERE e.terminee) AS terminees
FROM commune_engagement e
WHERE e.code_insee IN (SELECT o.commune_code
                       FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text),
                                            CAST(:region AS text), CAST(:departement AS text), false) o)
GROUP BY 1
ORDER BY 1;

-- name: pilotage_dossiers
-- The dossiers of the communes of the view, by status.
SELECT c.departement_code AS code, d.statut::text AS statut, count(*) AS dossiers
FROM dossier d
JOIN commune c ON c.code_insee = d.commune_code
JOIN departement dp ON dp.code = c.departement_code
WHERE dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND (CAST(:region AS text) IS NULL OR dp.region_code = CAST(:region AS text))
  AND (CAST(:departement AS text) IS NULL OR c.departement_code = CAST(:departement AS text))
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: pilotage_fiabilite
-- Accepted recensements of the objets of the view, and those without override (fiabilité).
SELECT r.departement_code AS code,
       count(*) FILTER (WHERE r.accepte) AS acceptes,
       count(*) FILTER (WHERE r.accepte AND NOT r.corrige) AS acceptes_sans_correction
FROM pilotage_recensements(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                           CAST(:departement AS text)) r
GROUP BY 1
ORDER BY 1;

-- name: pilotage_recensements_par_mois
-- Every effective recensement of the objets of the view, by month (of the recensement).
SELECT date_trunc('month', r.recense_le)::date AS mois, count(*) AS recensements
FROM pilotage_recensements(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                           CAST(:departement AS text)) r
GROUP BY 1
ORDER BY 1;

-- name: restauration_par_departement
-- Objets by current état sanitaire and protection, and how the état moved since the
-- previous recensement (objet_evolution), by département.
SELECT o.departement_code AS code, o.protection,
       count(*) FILTER (WHERE o.etat_sanitaire IS NOT NULL) AS avec_etat,
       count(*) FILTER (WHERE o.etat_sanitaire = 'bon') AS bon,
       count(*) FILTER (WHERE o.etat_sanitaire = 'moyen') AS moyen,
       count(*) FILTER (WHERE o.etat_sanitaire = 'mauvais') AS mauvais,
       count(*) FILTER (WHERE o.etat_sanitaire = 'peril') AS peril,
       count(*) FILTER (WHERE v.evolution = 'degrade') AS degrade,
       count(*) FILTER (WHERE v.evolution = 'ameliore') AS ameliore
FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                     CAST(:departement AS text), false) o
LEFT JOIN objet_evolution v ON v.objet_ref = o.ref
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: restauration_par_categorie
-- The same figures by catégorie (categories_comptees(): once in each catégorie).
SELECT cat.categorie, o.protection,
       count(*) FILTER (WHERE o.etat_sanitaire IS NOT NULL) AS avec_etat,
       count(*) FILTER (WHERE o.etat_sanitaire = 'bon') AS bon,
       count(*) FILTER (WHERE o.etat_sanitaire = 'moyen') AS moyen,
       count(*) FILTER (WHERE o.etat_sanitaire = 'mauvais') AS mauvais,
       count(*) FILTER (WHERE o.etat_sanitaire = 'peril') AS peril,
       count(*) FILTER (WHERE v.evolution = 'degrade') AS degrade,
       count(*) FILTER (WHERE v.evolution = 'ameliore') AS ameliore
FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                     CAST(:departement AS text), false) o
CROSS JOIN LATERAL categories_comptees(o.categorie) AS cat(categorie)
LEFT JOIN objet_evolution v ON v.objet_ref = o.ref
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: restauration_objets
-- The objets behind the figures: those whose current état is one of :etats (mauvais or
-- péril, dashboard.domain.etat) or whose état moved since the previous recensement.
SELECT o.ref, ob.titre, o.categorie, o.protection, o.commune_code, cm.nom AS commune_nom,
       o.departement_code, dp.nom AS departement_nom, o.etat_sanitaire::text AS etat_sanitaire, o.recense_le,
       v.precedent_etat::text AS precedent_etat, v.precedent_le, v.evolution
FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                     CAST(:departement AS text), false) o
JOIN objet ob ON ob.ref = o.ref
LEFT JOIN objet_evolution v ON v.objet_ref = o.ref
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
LEFT JOIN departement dp ON dp.code = o.departement_code
WHERE o.etat_sanitaire::text = ANY (CAST(:etats AS text[])) OR v.evolution IS NOT NULL
ORDER BY o.departement_code, o.etat_sanitaire DESC NULLS LAST, o.ref;

-- name: pilotage_departements_avec_objets
-- The départements of the user's scope that hold counted objets: the territories a view
-- may show (another one is an empty selection).
SELECT DISTINCT o.departement_code AS code
FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), NULL, NULL, false) o
WHERE o.departement_code IS NOT NULL
ORDER BY 1;
