-- Loads and imports (dashboard/ops/bootstrap.py, dashboard/importer/): one at a time, in
-- bulk mode, and the markers that say which loads completed.

-- name: chargement_verrou
-- One load or import at a time on a database (transaction-level advisory lock).
SELECT pg_advisory_xact_lock(CAST(:cle AS bigint));

-- name: chargement_en_masse
-- For this transaction: one summary audit row instead of one per row (audit_row() reads it).
SELECT set_config('objets.bulk', 'on', true);

-- name: chargement_session_en_masse
-- For this session (a connection that only writes progress): no audit row for each update.
SELECT set_config('objets.bulk', 'on', false);

-- name: chargement_sans_boucle_imbriquee
-- For this transaction: a table that grows while its statistics say it is empty must not be
-- the inner side of a nested loop (set-based statements run as hash joins).
SELECT set_config('enable_nestloop', 'off', true);

-- name: chargement_table_etat_existe
SELECT to_regclass('load_state') IS NOT NULL;

-- name: chargements_faits
SELECT name FROM load_state ORDER BY name;

-- name: chargement_objets_importes
SELECT EXISTS (SELECT 1 FROM objet WHERE provenance = 'import');

-- name: chargement_statistiques
-- Fresh statistics and visibility map after a bulk load (outside a transaction).
VACUUM (ANALYZE);
