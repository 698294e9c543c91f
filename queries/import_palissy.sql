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
-- Staged rows (dashboard/importer/palissy_lots.py): per-row values and the ids of their groups.
CREATE TEMP TABLE import_palissy_stage (
    lot integer NOT NULL DEFAULT CAST(current_setting('objets.import_lot') AS integer),
    line integer NOT NULL,
    ref text NOT NULL,
    titre text,
    edif text,
    com text,
    reg text,
    emplacement text,
    denq text,
    etat_pop text,
    groupe_commune integer NOT NULL,
    groupe_protection integer NOT NULL,
    groupe_perimetre integer NOT NULL,
    groupe_multi integer NOT NULL,
    groupe_site integer NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE import_palissy_groupe_commune (
    id integer PRIMARY KEY,
    insee_brut text, web text, deplacement text, dpt text,
    commune_code text, departement_code text, commune_resolution text NOT NULL,
    anomalies text[] NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE import_palissy_groupe_protection (
    id integer PRIMARY KEY,
    protection_brute text, dpro text, protection protection, protection_date date,
    anomalies text[] NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE import_palissy_groupe_perimetre (
    id integer PRIMARY KEY,
    dossier_type text, manquant text, statut_proprietaire text, proprietaire proprietaire NOT NULL,
    hors_perimetre_raison text
) ON COMMIT DROP;
CREATE TEMP TABLE import_palissy_groupe_multi (
    id integer PRIMARY KEY,
    denomination text[] NOT NULL, categorie text[] NOT NULL, siecle text[] NOT NULL,
    deno_brut text, cate_brut text, scle_brut text
) ON COMMIT DROP;
CREATE TEMP TABLE import_palissy_groupe_site (
    id integer PRIMARY KEY,
    refa text, mosa text, ref_merimee text, remplace_edifice boolean NOT NULL, mosa_nom text
) ON COMMIT DROP;

-- name: import_palissy_prepare
-- Staged rows with their groups joined back, then (import_palissy_lot_prepare) what they would
-- store in objet, their édifice included: defined once for the update and the insert.
-- Dropped before commit (import_palissy_prepare_fin); a rollback drops them too.
CREATE TEMP VIEW import_palissy_lignes AS
SELECT s.lot, s.line, s.ref, s.titre, s.edif, s.com, s.reg, s.emplacement, s.denq, s.etat_pop,
       c.insee_brut, c.web, c.deplacement, c.dpt, c.commune_code, c.departement_code, c.commune_resolution,
       p.protection_brute, p.dpro, p.protection, p.protection_date,
       h.dossier_type, h.manquant, h.statut_proprietaire, h.proprietaire, h.hors_perimetre_raison,
       m.denomination, m.categorie, m.siecle, m.deno_brut, m.cate_brut, m.scle_brut,
       -- An objet that moved (commune from DEPL) is in the building MOSA names.
       CASE WHEN e.remplace_edifice THEN e.mosa_nom ELSE s.edif END AS edifice_nom,
       e.ref_merimee, e.refa, e.mosa,
       c.anomalies || p.anomalies AS anomalies
FROM import_palissy_stage s
JOIN import_palissy_groupe_commune c ON c.id = s.groupe_commune
JOIN import_palissy_groupe_protection p ON p.id = s.groupe_protection
JOIN import_palissy_groupe_perimetre h ON h.id = s.groupe_perimetre
JOIN import_palissy_groupe_multi m ON m.id = s.groupe_multi
JOIN import_palissy_groupe_site e ON e.id = s.groupe_site;
-- What a staged row would store in objet, in the column order of import_palissy_update.
CREATE TEMP VIEW import_palissy_lot_prepare AS
SELECT s.lot, s.ref, s.titre, s.denomination, s.categorie, s.siecle, s.protection, s.protection_brute, s.dpro,
       s.protection_date, s.statut_proprietaire, s.proprietaire, s.insee_brut, s.commune_code,
       s.commune_resolution, s.departement_code, e.id AS edifice_id, s.edifice_nom, s.emplacement,
       s.ref_merimee, s.manquant, s.deplacement, s.dossier_type, s.denq, s.etat_pop,
       s.hors_perimetre_raison IS NULL AS dans_perimetre, s.hors_perimetre_raison,
       ARRAY[s.com, s.web, s.dpt, s.reg, s.edif, s.refa, s.mosa, s.deno_brut, s.cate_brut, s.scle_brut] AS palissy,
       s.anomalies
FROM import_palissy_lignes s
LEFT JOIN edifice e ON e.ref_merimee = s.ref_merimee;

-- name: import_palissy_prepare_fin
DROP VIEW import_palissy_lot_prepare;
DROP VIEW import_palissy_lignes;

-- name: import_palissy_lot
SELECT set_config('objets.import_lot', :lot, true);

-- name: import_palissy_analyse
-- Only the columns that joins and filters use (statistics of every text column cost 0.8 s).
ANALYZE import_palissy_stage (lot, ref, groupe_commune, groupe_protection, groupe_perimetre, groupe_multi,
                              groupe_site);

-- name: import_palissy_retraits_prevus
-- Run after the upsert: objets created by this transaction (created_at = now()) are not counted.
SELECT count(*) FILTER (WHERE o.created_at < now()) AS actifs,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM import_palissy_stage s WHERE s.ref = o.ref)) AS retires
FROM objet o
WHERE o.provenance = 'import' AND o.retire_le IS NULL
  AND o.departement_code IN (SELECT departement_code FROM import_palissy_groupe_commune);

-- name: import_palissy_retirer
-- Each withdrawal is a 'retrait' of objet_changement (where the objet was).
WITH retires AS (
    UPDATE objet o SET retire_le = now(), updated_at = now()
    WHERE o.provenance = 'import' AND o.retire_le IS NULL
      AND o.departement_code IN (SELECT departement_code FROM import_palissy_groupe_commune)
      AND NOT EXISTS (SELECT 1 FROM import_palissy_stage s WHERE s.ref = o.ref)
    RETURNING o.ref, o.departement_code, o.commune_code
), changements AS (
    INSERT INTO objet_changement (chargement_id, objet_ref, nature, departement_code, commune_code,
                                  departement_avant, commune_avant)
    SELECT CAST(:chargement_id AS integer), r.ref, 'retrait', r.departement_code, r.commune_code,
           r.departement_code, r.commune_code
    FROM retires r
    RETURNING 1
)
SELECT (SELECT count(*) FROM retires) AS retires, (SELECT count(*) FROM changements) AS changements;

-- name: import_palissy_changements
-- What an import changed, by kind (its report).
SELECT nature, count(*) AS nombre FROM objet_changement WHERE chargement_id = :chargement_id
GROUP BY nature ORDER BY nature;

-- name: import_palissy_departements
-- The départements the file covers: a commune group exists only for rows that were staged.
SELECT DISTINCT departement_code FROM import_palissy_groupe_commune
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
-- Only rows whose stored values differ (or that were withdrawn): a re-import of the same
-- file changes nothing. What changed for the dashboard's users (title, protection, commune,
-- building, an objet listed again) goes to objet_changement in the same statement: `a` is
-- objet as it was before the statement (every part of a statement sees the same snapshot).
WITH modifies AS (
    UPDATE objet o SET
        (titre, denomination, categorie, siecle, protection, protection_brute, dpro, protection_date,
         statut_proprietaire, proprietaire, insee_brut, commune_code, commune_resolution, departement_code,
         edifice_id, edifice_nom, emplacement, ref_merimee, manquant, deplacement, dossier_type, denq, etat_pop,
         dans_perimetre, hors_perimetre_raison, palissy, anomalies)
      = (s.titre, s.denomination, s.categorie, s.siecle, s.protection, s.protection_brute, s.dpro, s.protection_date,
         s.statut_proprietaire, s.proprietaire, s.insee_brut, s.commune_code, s.commune_resolution, s.departement_code,
         s.edifice_id, s.edifice_nom, s.emplacement, s.ref_merimee, s.manquant, s.deplacement, s.dossier_type, s.denq,
         s.etat_pop, s.dans_perimetre, s.hors_perimetre_raison, s.palissy, s.anomalies),
        retire_le = NULL, provenance = 'import', chargement_id = CAST(:chargement_id AS integer), updated_at = now()
    FROM import_palissy_lot_prepare s
    JOIN objet a ON a.ref = s.ref
    WHERE s.lot = :lot AND o.ref = s.ref
      AND (o.retire_le IS NOT NULL OR o.provenance IS DISTINCT FROM 'import'
           OR (o.titre, o.denomination, o.categorie, o.siecle, o.protection, o.protection_brute, o.dpro,
               o.protection_date, o.statut_proprietaire, o.proprietaire, o.insee_brut, o.commune_code,
               o.commune_resolution, o.departement_code, o.edifice_id, o.edifice_nom, o.emplacement, o.ref_merimee,
               o.manquant, o.deplacement, o.dossier_type, o.denq, o.etat_pop, o.dans_perimetre,
               o.hors_perimetre_raison, o.palissy, o.anomalies)
              IS DISTINCT FROM
              (s.titre, s.denomination, s.categorie, s.siecle, s.protection, s.protection_brute, s.dpro,
               s.protection_date, s.statut_proprietaire, s.proprietaire, s.insee_brut, s.commune_code,
               s.commune_resolution, s.departement_code, s.edifice_id, s.edifice_nom, s.emplacement, s.ref_merimee,
               s.manquant, s.deplacement, s.dossier_type, s.denq, s.etat_pop, s.dans_perimetre,
               s.hors_perimetre_raison, s.palissy, s.anomalies))
    RETURNING o.ref, o.departement_code, o.commune_code, o.titre, o.protection, o.edifice_nom, o.ref_merimee,
              a.departement_code AS departement_avant, a.commune_code AS commune_avant, a.titre AS titre_avant,
              a.protection AS protection_avant, a.edifice_nom AS edifice_nom_avant,
              a.ref_merimee AS ref_merimee_avant, a.retire_le IS NOT NULL AS etait_retire
), changements AS (
    INSERT INTO objet_changement (chargement_id, objet_ref, nature, avant, apres, departement_code, commune_code,
                                  departement_avant, commune_avant)
    SELECT CAST(:chargement_id AS integer), m.ref, c.nature, c.avant, c.apres, m.departement_code, m.commune_code,
           m.departement_avant, m.commune_avant
    FROM modifies m
    CROSS JOIN LATERAL (VALUES
        ('ajout', 'retiré', NULL, m.etait_retire),
        ('titre', m.titre_avant, m.titre, m.titre_avant IS DISTINCT FROM m.titre),
        ('protection', CAST(m.protection_avant AS text), CAST(m.protection AS text),
         m.protection_avant IS DISTINCT FROM m.protection),
        ('commune', m.commune_avant, m.commune_code, m.commune_avant IS DISTINCT FROM m.commune_code),
        ('edifice', concat_ws(' ', m.edifice_nom_avant, '(' || m.ref_merimee_avant || ')'),
         concat_ws(' ', m.edifice_nom, '(' || m.ref_merimee || ')'),
         (m.edifice_nom_avant, m.ref_merimee_avant) IS DISTINCT FROM (m.edifice_nom, m.ref_merimee))
    ) AS c(nature, avant, apres, change)
    WHERE c.change
    RETURNING 1
)
SELECT (SELECT count(*) FROM modifies) AS modifies, (SELECT count(*) FROM changements) AS changements;

-- name: import_palissy_insert
-- New objets; each one an 'ajout' in objet_changement unless :changements is false (the first
-- import into an empty table, where every objet would be one).
WITH nouveaux AS (
    INSERT INTO objet (
        ref, titre, denomination, categorie, siecle, protection, protection_brute, dpro, protection_date,
        statut_proprietaire, proprietaire, insee_brut, commune_code, commune_resolution, departement_code,
        edifice_id, edifice_nom, emplacement, ref_merimee, manquant, deplacement, dossier_type, denq, etat_pop,
        dans_perimetre, hors_perimetre_raison, palissy, anomalies, provenance, chargement_id)
    SELECT s.ref, s.titre, s.denomination, s.categorie, s.siecle, s.protection, s.protection_brute, s.dpro,
           s.protection_date, s.statut_proprietaire, s.proprietaire, s.insee_brut, s.commune_code,
           s.commune_resolution, s.departement_code, s.edifice_id, s.edifice_nom, s.emplacement, s.ref_merimee,
           s.manquant, s.deplacement, s.dossier_type, s.denq, s.etat_pop, s.dans_perimetre, s.hors_perimetre_raison,
           s.palissy, s.anomalies, 'import', CAST(:chargement_id AS integer)
    FROM import_palissy_lot_prepare s
    WHERE s.lot = :lot
      -- tout_nouveau: objet was empty at the start and REFs are unique in the file's staging.
      AND (CAST(:tout_nouveau AS boolean) OR NOT EXISTS (SELECT 1 FROM objet o WHERE o.ref = s.ref))
    RETURNING ref, departement_code, commune_code
), changements AS (
    INSERT INTO objet_changement (chargement_id, objet_ref, nature, departement_code, commune_code)
    SELECT CAST(:chargement_id AS integer), n.ref, 'ajout', n.departement_code, n.commune_code
    FROM nouveaux n
    WHERE CAST(:changements AS boolean)
    RETURNING 1
)
SELECT (SELECT count(*) FROM nouveaux) AS nouveaux, (SELECT count(*) FROM changements) AS changements;
