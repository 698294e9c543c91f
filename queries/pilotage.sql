-- The pilotage pages (/couverture, /restauration; issue 13): one grouped statement per table,
-- by département. The rules are the shared definitions (queries/definitions/13_pilotage.sql
-- and 07_objet_situation.sql), never restated here. Every statement takes the user's scope
-- (:departements, :commune) and the view's territory (:region, :departement; NULL: the
-- whole scope). A NULL département code groups the objets without one (national view only).

-- name: pilotage_objets_par_departement
-- One pass over the objets of the view, by département: objets counted, recensés in the
-- last 5 years, in the last 12 months (the pace), to recense before the target date
-- :echeance (no recensement since :echeance minus five years), the urgent cases as the role
-- sees them (:voit_securisation), handled or not; and the communes holding these objets,
-- contacted, participating, completed (commune_engagement). The objets are first grouped by
-- commune, so that each commune is counted once, from a few thousand rows.
WITH par_commune AS (
    SELECT o.departement_code, o.commune_code,
           count(*) AS objets,
           count(*) FILTER (WHERE o.recense_5_ans) AS recenses_5_ans,
           count(*) FILTER (WHERE o.recense_12_mois) AS recenses_12_mois,
           count(*) FILTER (WHERE NOT recense_dans_le_cycle(o.recense_le, CAST(:echeance AS date))) AS a_recenser,
           count(*) FILTER (WHERE o.niveau = 'prioritaire') AS prioritaires,
           count(*) FILTER (WHERE o.niveau = 'prioritaire' AND o.traite) AS prioritaires_traites,
           count(*) FILTER (WHERE o.niveau = 'preoccupant') AS preoccupants,
           count(*) FILTER (WHERE o.niveau = 'preoccupant' AND o.traite) AS preoccupants_traites
    FROM pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                         CAST(:departement AS text), CAST(:voit_securisation AS boolean)) o
    GROUP BY 1, 2
)
SELECT p.departement_code AS code,
       sum(p.objets) AS objets, sum(p.recenses_5_ans) AS recenses_5_ans, sum(p.recenses_12_mois) AS recenses_12_mois,
       sum(p.a_recenser) AS a_recenser,
       sum(p.prioritaires) AS prioritaires, sum(p.prioritaires_traites) AS prioritaires_traites,
       sum(p.preoccupants) AS preoccupants, sum(p.preoccupants_traites) AS preoccupants_traites,
       count(p.commune_code) AS communes,
       count(p.commune_code) FILTER (WHERE e.contactee) AS contactees,
       count(p.commune_code) FILTER (WHERE e.participante) AS participantes,
       count(p.commune_code) FILTER (WHERE e.terminee) AS terminees
FROM par_commune p
LEFT JOIN commune_engagement e ON e.code_insee = p.commune_code
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
  AND dans_le_territoire(dp.region_code, c.departement_code, CAST(:region AS text), CAST(:departement AS text))
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: pilotage_recensements
-- Every effective recensement of the objets of the view, by département and month (of the
-- recensement): how many, accepted, accepted without override (fiabilité). Both the chart
-- per month and the fiabilité by département sum these rows.
SELECT r.departement_code AS code, date_trunc('month', r.recense_le)::date AS mois,
       count(*) AS recensements,
       count(*) FILTER (WHERE r.accepte) AS acceptes,
       count(*) FILTER (WHERE r.accepte AND NOT r.corrige) AS acceptes_sans_correction
FROM pilotage_recensements(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                           CAST(:departement AS text)) r
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: restauration_par_territoire_et_categorie
-- One pass over the objets of the view: by current état sanitaire and protection, and how
-- the état moved since the previous recensement (objet_evolution); rows (par, cle,
-- protection, counts) by département (par = 'departement', cle: its code, NULL without
-- one) and by catégorie (par = 'categorie', cle: the catégorie, NULL without one;
-- categories_comptees(): once in each catégorie). The objets are first grouped by
-- (département, protection, catégories): the catégories are unnested on those few rows.
WITH groupes AS (
    SELECT o.departement_code, o.protection, o.categorie,
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
    -- Every count reads the current recensement: the objets never recensed add nothing.
    WHERE o.recense_le IS NOT NULL
    GROUP BY 1, 2, 3
)
SELECT 'departement' AS par, g.departement_code AS cle, g.protection,
       sum(g.avec_etat) AS avec_etat, sum(g.bon) AS bon, sum(g.moyen) AS moyen, sum(g.mauvais) AS mauvais,
       sum(g.peril) AS peril, sum(g.degrade) AS degrade, sum(g.ameliore) AS ameliore
FROM groupes g
GROUP BY 2, 3
UNION ALL
SELECT 'categorie', cat.categorie, g.protection,
       sum(g.avec_etat), sum(g.bon), sum(g.moyen), sum(g.mauvais), sum(g.peril), sum(g.degrade), sum(g.ameliore)
FROM groupes g
CROSS JOIN LATERAL categories_comptees(g.categorie) AS cat(categorie)
GROUP BY 2, 3;

-- name: restauration_objets
-- The objets behind the figures: those whose current état is one of :etats (mauvais or
-- péril, dashboard.domain.etat) or whose état moved since the previous recensement, with
-- their previous recensement when they have one. Found first among the current
-- recensements and the évolutions (a few thousand), then checked against the objets the
-- pilotage counts (counted, in the scope and the territory), by key.
WITH evolution AS MATERIALIZED (
    SELECT v.objet_ref, v.precedent_etat, v.precedent_le, v.evolution FROM objet_evolution v
), retenus AS (
    SELECT c.objet_ref FROM recensement_courant c WHERE c.etat_sanitaire::text = ANY (CAST(:etats AS text[]))
    UNION
    SELECT v.objet_ref FROM evolution v WHERE v.evolution IS NOT NULL
)
SELECT o.ref, o.titre, o.categorie, o.protection, o.commune_code, cm.nom AS commune_nom,
       o.departement_code, dp.nom AS departement_nom, o.etat_sanitaire::text AS etat_sanitaire, o.recense_le,
       v.precedent_etat::text AS precedent_etat, v.precedent_le, v.evolution
FROM retenus t
JOIN pilotage_objets(CAST(:departements AS text[]), CAST(:commune AS text), CAST(:region AS text),
                     CAST(:departement AS text), false) o ON o.ref = t.objet_ref
LEFT JOIN evolution v ON v.objet_ref = o.ref
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
LEFT JOIN departement dp ON dp.code = o.departement_code
ORDER BY o.departement_code, o.etat_sanitaire DESC NULLS LAST, o.ref;

-- name: pilotage_departements_avec_objets
-- The départements of the user's scope that hold counted objets: the territories a view
-- may show (another one is an empty selection). One index probe per département.
SELECT d.code
FROM departement d
WHERE dans_perimetre_utilisateur(d.code, NULL, CAST(:departements AS text[]), NULL)
  AND EXISTS (SELECT 1 FROM objet o
              WHERE o.departement_code = d.code AND objet_compte(o.dans_perimetre, o.retire_le)
                AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                               CAST(:departements AS text[]), CAST(:commune AS text)))
ORDER BY 1;
