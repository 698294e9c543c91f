-- Urgent cases (/urgences, objets alertes): the current recensement of each objet
-- (recensement_courant) and niveau_urgence() of migration 0001, never restated here.
-- :voit_securisation false hides the sécurisation answer: the case is then judged as if it
-- were unknown, so objets listed only because they are easy to steal do not appear.

-- name: urgences
-- Starts from the objets of the scope that have an urgent current recensement (the partial
-- index of objet_recensement_courant), then reads that recensement through the view.
-- With :voit_securisation false the level is computed again without sécurisation (it can
-- only drop), so cases urgent only for being easy to steal are filtered out here.
WITH cas AS (
    SELECT niveau_urgence(c.localisation, c.etat_sanitaire,
                          CASE WHEN CAST(:voit_securisation AS boolean) THEN c.securisation END) AS niveau,
           c.*
    FROM objet_recensement_courant u
    JOIN objet s ON s.ref = u.objet_ref
    JOIN recensement_courant c ON c.objet_ref = u.objet_ref
    WHERE u.urgence IS NOT NULL
      AND (CAST(:departements AS text[]) IS NULL OR s.departement_code = ANY (CAST(:departements AS text[])))
      AND (CAST(:commune AS text) IS NULL OR s.commune_code = CAST(:commune AS text))
)
SELECT c.niveau,
       o.ref, o.titre, o.categorie, o.protection::text AS protection,
       o.commune_code, cm.nom AS commune_nom, normalise_texte(cm.nom) AS commune_norm,
       o.departement_code, dp.nom AS departement_nom,
       c.id AS recensement_id, c.recense_le, d.submitted_at AS transmis_le,
       c.localisation::text AS localisation, c.etat_sanitaire::text AS etat_sanitaire,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN c.securisation::text END AS securisation,
       c.corrige, c.analyse
FROM cas c
JOIN objet o ON o.ref = c.objet_ref
JOIN dossier d ON d.id = c.dossier_id
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
LEFT JOIN departement dp ON dp.code = o.departement_code
WHERE c.niveau IS NOT NULL
ORDER BY c.niveau = 'prioritaire' DESC, c.recense_le DESC, o.ref;

-- name: normalise
SELECT normalise_texte(CAST(:texte AS text));

-- name: visite_enregistrer
-- Records this visit and returns the previous one (NULL the first time). Both CTEs read the
-- snapshot taken before the upsert.
WITH avant AS (
    SELECT vue_le FROM derniere_visite WHERE user_id = :user_id AND page = :page
), maj AS (
    INSERT INTO derniere_visite (user_id, page, vue_le) VALUES (:user_id, :page, now())
    ON CONFLICT (user_id, page) DO UPDATE SET vue_le = excluded.vue_le
    RETURNING 1
)
SELECT (SELECT vue_le FROM avant) AS precedente, (SELECT count(*) FROM maj) AS ecrit;
