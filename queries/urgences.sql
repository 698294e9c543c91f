-- Urgent cases (/urgences, objets alertes): the current recensement of each objet
-- (objet_recensement_courant, recensement_effectif) and the urgency rule as the role may see
-- it (niveau_urgence_vu() of queries/definitions/), never restated here. :voit_securisation
-- false hides the sécurisation answer: the case is then judged as if it were unknown, so
-- objets listed only because they are easy to steal do not appear.

-- name: urgences
-- The urgent cases of the scope that match the page's filters, in the order shown.
-- From the objets of the scope with an urgent current recensement (objet_recensement_courant
-- keeps niveau_urgence() of each current recensement, indexed by département) to that
-- recensement (recensement_effectif: overrides applied). Filters (NULL: no filter):
-- :filtre_departements, :filtre_commune (an INSEE code, chosen with the app's commune
-- search), :niveaux, :constats (disparu, peril, mauvais, en_danger: what makes the case
-- urgent; en_danger only for whoever may see sécurisation), :protections, :categorie,
-- :examine. "Nouveau" (dashboard.domain.nouveaute) is marked after this read, from
-- transmis_le: the list of a view is then one cached read for every session.
SELECT * FROM (
SELECT niveau_urgence_vu(u.urgence, c.localisation, c.etat_sanitaire, CAST(:voit_securisation AS boolean))
           AS niveau,
       o.ref, o.titre, o.categorie, o.protection::text AS protection,
       o.commune_code, cm.nom AS commune_nom,
       o.departement_code, dp.nom AS departement_nom,
       c.id AS recensement_id, c.recense_le, c.transmis_le,
       c.localisation::text AS localisation, c.etat_sanitaire::text AS etat_sanitaire,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN c.securisation::text END AS securisation,
       c.corrige, c.analyse
FROM objet_recensement_courant u
JOIN objet o ON o.ref = u.objet_ref
JOIN recensement_effectif c ON c.id = u.recensement_id
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
LEFT JOIN departement dp ON dp.code = o.departement_code
WHERE u.urgence IS NOT NULL
  -- The scope on u.departement_code: a département's urgent cases are one index range.
  AND dans_perimetre_utilisateur(u.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  -- The page's filters; the département one on u too, so that it narrows the index range.
  AND (CAST(:filtre_departements AS text[]) IS NULL
       OR u.departement_code = ANY (CAST(:filtre_departements AS text[])))
  AND (CAST(:filtre_commune AS text) IS NULL OR o.commune_code = CAST(:filtre_commune AS text))
  AND (CAST(:constats AS text[]) IS NULL
       OR (c.localisation = 'absent' AND 'disparu' = ANY (CAST(:constats AS text[])))
       OR c.etat_sanitaire::text = ANY (CAST(:constats AS text[]))
       OR (CAST(:voit_securisation AS boolean) AND c.securisation = 'en_danger'
           AND 'en_danger' = ANY (CAST(:constats AS text[]))))
  AND (CAST(:protections AS text[]) IS NULL OR o.protection::text = ANY (CAST(:protections AS text[])))
  AND (CAST(:categorie AS text) IS NULL OR CAST(:categorie AS text) = ANY (o.categorie))
  AND (CAST(:examine AS boolean) IS NULL OR c.analyse = CAST(:examine AS boolean))
) cas
WHERE niveau IS NOT NULL
  AND (CAST(:niveaux AS text[]) IS NULL OR niveau = ANY (CAST(:niveaux AS text[])))
ORDER BY niveau = 'prioritaire' DESC, recense_le DESC, ref;

-- name: urgences_options
-- What the filters of /urgences offer: the départements, catégories and protections of the
-- scope's urgent cases (as the role sees them), a few rows instead of every case. The
-- recensement is read only when the level must be computed again without sécurisation.
WITH cas AS MATERIALIZED (
    SELECT o.departement_code, o.categorie, o.protection::text AS protection
    FROM objet_recensement_courant u
    JOIN objet o ON o.ref = u.objet_ref
    LEFT JOIN recensement_effectif c ON NOT CAST(:voit_securisation AS boolean) AND c.id = u.recensement_id
    WHERE u.urgence IS NOT NULL
      AND dans_perimetre_utilisateur(u.departement_code, o.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
      AND niveau_urgence_vu(u.urgence, c.localisation, c.etat_sanitaire,
                            CAST(:voit_securisation AS boolean)) IS NOT NULL
)
SELECT 'departement' AS quoi, cas.departement_code AS code, min(dp.nom) AS nom
FROM cas LEFT JOIN departement dp ON dp.code = cas.departement_code
WHERE cas.departement_code IS NOT NULL
GROUP BY cas.departement_code
UNION ALL
SELECT 'categorie', cat.valeur, NULL FROM cas CROSS JOIN LATERAL unnest(cas.categorie) AS cat(valeur) GROUP BY 2
UNION ALL
SELECT 'protection', protection, NULL FROM cas WHERE protection IS NOT NULL GROUP BY 2;
