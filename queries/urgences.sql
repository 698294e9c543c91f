-- Urgent cases (/urgences, objets alertes): the current recensement of each objet
-- (recensement_courant) and niveau_urgence() of migration 0001, never restated here.
-- :voit_securisation false hides the sécurisation answer: the case is then judged as if it
-- were unknown, so objets listed only because they are easy to steal do not appear.

-- name: urgences
-- From the objets of the scope with an urgent current recensement (objet_recensement_courant
-- keeps niveau_urgence() of each current recensement, indexed by département) to that
-- recensement (recensement_effectif: overrides applied). When voit_securisation is false
-- the level is computed again without sécurisation (it can only drop), so cases urgent only
-- for being easy to steal never leave the database.
SELECT * FROM (
SELECT CASE WHEN CAST(:voit_securisation AS boolean) THEN u.urgence
            ELSE niveau_urgence(c.localisation, c.etat_sanitaire, NULL) END AS niveau,
       o.ref, o.titre, o.categorie, o.protection::text AS protection,
       o.commune_code, cm.nom AS commune_nom, cm.nom_normalise AS commune_norm,
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
  AND (CAST(:departements AS text[]) IS NULL OR u.departement_code = ANY (CAST(:departements AS text[])))
  AND (CAST(:commune AS text) IS NULL OR o.commune_code = CAST(:commune AS text))
) cas
WHERE niveau IS NOT NULL
ORDER BY niveau = 'prioritaire' DESC, recense_le DESC, ref;

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
