-- Import of a Palissy export (dashboard/importer/palissy_import.py): staging, upsert, withdrawals.

-- name: import_reference_communes
SELECT code_insee, departement_code FROM commune;

-- name: import_reference_anciennes
SELECT code, commune_code FROM commune_ancienne ORDER BY code, nature;

-- name: import_reference_departements
SELECT code FROM departement;

-- name: import_demo_presente
SELECT EXISTS (SELECT 1 FROM objet WHERE provenance = 'demo')
    OR EXISTS (SELECT 1 FROM load_state WHERE name = 'demo');

-- name: import_objet_existe
SELECT EXISTS (SELECT 1 FROM objet);

-- name: import_reference_chargee
SELECT EXISTS (SELECT 1 FROM load_state WHERE name = 'reference');

-- name: import_supprimer_demo_recensements
DELETE FROM recensement r
WHERE r.objet_ref IN (SELECT ref FROM objet WHERE provenance = 'demo')
   OR r.dossier_id IN (SELECT id FROM dossier WHERE provenance = 'demo');

-- name: import_supprimer_demo_dossiers
DELETE FROM dossier WHERE provenance = 'demo';

-- name: import_supprimer_demo_campagnes
DELETE FROM campagne WHERE provenance = 'demo';

-- name: import_supprimer_demo_objets
DELETE FROM objet WHERE provenance = 'demo';

-- name: import_supprimer_demo_edifices
DELETE FROM edifice e WHERE provenance = 'demo' AND NOT EXISTS (SELECT 1 FROM objet o WHERE o.edifice_id = e.id);

-- name: import_supprimer_demo_marqueur
DELETE FROM load_state WHERE name = 'demo';

-- name: import_nouveau_chargement
INSERT INTO chargement (nature, source, user_id) VALUES (:nature, :source, :user_id) RETURNING id;

-- name: import_fin_chargement
UPDATE chargement SET fin = clock_timestamp(), rapport = CAST(:rapport AS jsonb) WHERE id = :id;

-- name: import_audit_resume
INSERT INTO audit (user_id, table_name, action, after)
VALUES (CAST(:user_id AS integer), :table_name, :action, CAST(:rapport AS jsonb));

-- name: import_palissy_staging
CREATE TEMP TABLE import_palissy_stage (
    lot integer NOT NULL DEFAULT CAST(current_setting('objets.import_lot') AS integer),
    line integer NOT NULL,
    ref text NOT NULL,
    titre text,
    denomination text[] NOT NULL,
    categorie text[] NOT NULL,
    siecle text[] NOT NULL,
    protection protection,
    protection_brute text,
    dpro text,
    protection_date date,
    statut_proprietaire text,
    proprietaire proprietaire NOT NULL,
    insee_brut text,
    commune_code text,
    commune_resolution text NOT NULL,
    departement_code text,
    edifice_nom text,
    emplacement text,
    ref_merimee text,
    manquant text,
    deplacement text,
    dossier_type text,
    denq text,
    etat_pop text,
    hors_perimetre_raison text,
    anomalies text[] NOT NULL,
    com text,
    web text,
    dpt text,
    reg text,
    refa text,
    mosa text,
    edif text,
    deno_brut text,
    cate_brut text,
    scle_brut text
) ON COMMIT DROP;

-- name: import_palissy_prepare
-- What the update and the insert both read: staged rows with their édifice and their content
-- hash, defined once. Dropped before commit (import_palissy_prepare_fin); a rollback drops it too.
CREATE TEMP VIEW import_palissy_lot_prepare AS
SELECT s.*,
       e.id AS edifice_id,
       -- Published values and what the reference data made of them (a new commune code changes
       -- the hash); the other columns are functions of these. 'regles-1' names the version of
       -- the cleaning rules (dashboard.palissy): change it when they change.
       md5(CAST(ARRAY[s.titre, s.insee_brut, s.web, s.deplacement, s.dpt, s.protection_brute, s.dpro,
                      s.dossier_type, s.manquant, s.statut_proprietaire, s.deno_brut, s.cate_brut, s.scle_brut,
                      s.edif, s.refa, s.mosa, s.com, s.reg, s.emplacement, s.denq, s.etat_pop,
                      s.commune_code, s.departement_code, 'regles-1'] AS text)) AS content_hash
FROM import_palissy_stage s
LEFT JOIN edifice e ON e.ref_merimee = s.ref_merimee;

-- name: import_palissy_prepare_fin
DROP VIEW import_palissy_lot_prepare;

-- name: import_palissy_lot
SELECT set_config('objets.import_lot', :lot, true);

-- name: import_palissy_analyse
-- Only the columns that joins and filters use: statistics of the 36 text columns cost 0.8 s a lot.
ANALYZE import_palissy_stage (lot, ref, ref_merimee, departement_code);

-- name: import_palissy_retraits_prevus
-- Run after the upsert: objets created by this transaction (created_at = now()) are not counted.
SELECT count(*) FILTER (WHERE o.created_at < now()) AS actifs,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM import_palissy_stage s WHERE s.ref = o.ref)) AS retires
FROM objet o
WHERE o.provenance = 'import' AND o.retire_le IS NULL
  AND o.departement_code IN (SELECT DISTINCT departement_code FROM import_palissy_stage
                             WHERE departement_code IS NOT NULL);

-- name: import_palissy_retirer
UPDATE objet o SET retire_le = now(), updated_at = now()
WHERE o.provenance = 'import' AND o.retire_le IS NULL
  AND o.departement_code IN (SELECT DISTINCT departement_code FROM import_palissy_stage
                             WHERE departement_code IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM import_palissy_stage s WHERE s.ref = o.ref);

-- name: import_palissy_departements
SELECT DISTINCT departement_code FROM import_palissy_stage
WHERE departement_code IS NOT NULL ORDER BY departement_code;

-- name: import_palissy_nouveaux
SELECT count(*) FROM import_palissy_stage s
WHERE s.lot = :lot AND NOT EXISTS (SELECT 1 FROM objet o WHERE o.ref = s.ref);

-- name: import_contraintes_secondaires
-- Foreign keys first (dropped first, re-created last), then indexes that back no constraint.
SELECT kind, name, definition FROM (
    SELECT 'cle' AS kind, conname AS name, pg_get_constraintdef(oid) AS definition, 1 AS rank
    FROM pg_constraint
    WHERE conrelid = CAST(CAST(:table_name AS text) AS regclass) AND contype = 'f'
    UNION ALL
    SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid), 2
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = CAST(CAST(:table_name AS text) AS regclass)
      AND NOT i.indisunique AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
) found
ORDER BY rank, name;

-- name: import_palissy_update
UPDATE objet o SET
    titre = s.titre, denomination = s.denomination, categorie = s.categorie, siecle = s.siecle,
    protection = s.protection, protection_brute = s.protection_brute, dpro = s.dpro,
    protection_date = s.protection_date, statut_proprietaire = s.statut_proprietaire,
    proprietaire = s.proprietaire, insee_brut = s.insee_brut, commune_code = s.commune_code,
    commune_resolution = s.commune_resolution, departement_code = s.departement_code,
    edifice_id = s.edifice_id, edifice_nom = s.edifice_nom, emplacement = s.emplacement,
    ref_merimee = s.ref_merimee, manquant = s.manquant, deplacement = s.deplacement,
    dossier_type = s.dossier_type, denq = s.denq, etat_pop = s.etat_pop,
    dans_perimetre = s.hors_perimetre_raison IS NULL, hors_perimetre_raison = s.hors_perimetre_raison,
    retire_le = NULL, provenance = 'import', chargement_id = CAST(:chargement_id AS integer),
    palissy = ARRAY[s.com, s.web, s.dpt, s.reg, s.edif, s.refa, s.mosa, s.deno_brut, s.cate_brut, s.scle_brut],
    content_hash = s.content_hash, anomalies = s.anomalies, updated_at = now()
FROM import_palissy_lot_prepare s
WHERE s.lot = :lot AND o.ref = s.ref
  AND (o.content_hash IS DISTINCT FROM s.content_hash OR o.retire_le IS NOT NULL);

-- name: import_palissy_insert
INSERT INTO objet (
    ref, titre, denomination, categorie, siecle, protection, protection_brute, dpro, protection_date,
    statut_proprietaire, proprietaire, insee_brut, commune_code, commune_resolution, departement_code,
    edifice_id, edifice_nom, emplacement, ref_merimee, manquant, deplacement, dossier_type, denq, etat_pop,
    dans_perimetre, hors_perimetre_raison, provenance, chargement_id, palissy, content_hash, anomalies)
SELECT s.ref, s.titre, s.denomination, s.categorie, s.siecle, s.protection, s.protection_brute, s.dpro,
       s.protection_date, s.statut_proprietaire, s.proprietaire, s.insee_brut, s.commune_code,
       s.commune_resolution, s.departement_code, s.edifice_id, s.edifice_nom, s.emplacement, s.ref_merimee,
       s.manquant, s.deplacement, s.dossier_type, s.denq, s.etat_pop,
       s.hors_perimetre_raison IS NULL, s.hors_perimetre_raison, 'import', CAST(:chargement_id AS integer),
       ARRAY[s.com, s.web, s.dpt, s.reg, s.edif, s.refa, s.mosa, s.deno_brut, s.cate_brut, s.scle_brut],
       s.content_hash, s.anomalies
FROM import_palissy_lot_prepare s
WHERE s.lot = :lot AND NOT EXISTS (SELECT 1 FROM objet o WHERE o.ref = s.ref);
