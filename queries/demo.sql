-- The demo generator (dashboard/demo/): what it reads, its rows (COPY), the checks and the
-- markers of its load. Run in the caller's transaction by dashboard/demo/chargement.py.
-- The COPY statements' column lists are the order in which copy_rows sends the values: it
-- checks them against the columns it is given.

-- name: demo_sans_audit_par_ligne
-- One summary audit row instead of one per row (audit_row() reads objets.bulk).
SET LOCAL objets.bulk = 'on';

-- name: demo_deja_chargee
SELECT 1 FROM load_state WHERE name = 'demo';

-- name: demo_superutilisateur
SELECT current_setting('is_superuser') = 'on';

-- name: demo_reference_communes
SELECT c.code_insee AS code, c.nom, coalesce(c.population, 0) AS population, c.departement_code AS dep
FROM commune c ORDER BY c.code_insee;

-- name: demo_reference_departements
SELECT code, nom, region_code AS region FROM departement ORDER BY code;

-- name: demo_nouveau_chargement
INSERT INTO chargement (nature, source) VALUES ('demo', :source) RETURNING id;

-- name: demo_sans_declencheurs_par_ligne
-- As pg_restore --disable-triggers does (superuser only); foreign keys are checked afterwards
-- by demo_references_cassees.
SET LOCAL session_replication_role = replica;

-- name: demo_avec_declencheurs
SET LOCAL session_replication_role = origin;

-- name: demo_utilisateur
INSERT INTO app_user (email, nom, role, demo) VALUES (:email, :nom, CAST(:role AS role), true) RETURNING id;

-- name: demo_utilisateur_nom
UPDATE app_user SET nom = :nom WHERE id = :id;

-- name: demo_identifiants
-- The next n ids of a table's serial, in order: equal in a fresh database.
SELECT nextval(pg_get_serial_sequence(:table_name, 'id')) FROM generate_series(1, :n) ORDER BY 1;

-- name: demo_copie_edifice
COPY edifice (id, nom, commune_code, provenance, chargement_id) FROM STDIN;

-- name: demo_copie_objet
COPY objet (ref, titre, denomination, categorie, siecle, protection, protection_brute, dpro, protection_date,
            statut_proprietaire, proprietaire, insee_brut, commune_code, departement_code, commune_resolution,
            edifice_id, edifice_nom, emplacement, manquant, deplacement, dossier_type, denq, etat_pop,
            dans_perimetre, hors_perimetre_raison, provenance, chargement_id) FROM STDIN;

-- name: demo_copie_campagne
COPY campagne (id, departement_code, nom, statut, date_lancement, date_relance_1, date_relance_2,
               date_relance_3, date_fin, provenance) FROM STDIN;

-- name: demo_copie_campagne_commune
COPY campagne_commune (campagne_id, commune_code, invitee_le) FROM STDIN;

-- name: demo_copie_dossier
COPY dossier (id, commune_code, campagne_id, statut, created_at, submitted_at, accepted_at, archived_at,
              notes_commune, notes_conservateur, recenseur, visite, conservateur_id, provenance) FROM STDIN;

-- name: demo_copie_recensement
COPY recensement (id, objet_ref, dossier_id, statut, localisation, edifice_nom, autre_commune_code, recensable,
                  etat_sanitaire, securisation, notes, nb_photos, confirmation_sans_photo, recense_le,
                  created_at, updated_at, deleted_at, deleted_reason, analyse_etat_sanitaire,
                  analyse_securisation, analyse_notes, analyse_fiches, analyse_le, analyse_par) FROM STDIN;

-- name: demo_copie_contact_commune
COPY contact_commune (commune_code, contacte_le, canal, resultat, interlocuteur, prochaine_etape, rappeler_le, note,
                      auteur_id, cree_le) FROM STDIN;

-- name: demo_copie_user_scope
COPY user_scope (user_id, niveau, code) FROM STDIN;

-- name: demo_references_cassees
-- Every foreign key of the rows the demo writes, checked set-based when the per-row checks
-- were skipped: the ones with rows pointing nowhere, and how many.
SELECT cle, n FROM (VALUES
    (1, 'edifice.commune_code', (SELECT count(*) FROM edifice t WHERE t.commune_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM commune r WHERE r.code_insee = t.commune_code))),
    (2, 'edifice.chargement_id', (SELECT count(*) FROM edifice t WHERE t.chargement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM chargement r WHERE r.id = t.chargement_id))),
    (3, 'objet.commune_code', (SELECT count(*) FROM objet t WHERE t.commune_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM commune r WHERE r.code_insee = t.commune_code))),
    (4, 'objet.departement_code', (SELECT count(*) FROM objet t WHERE t.departement_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM departement r WHERE r.code = t.departement_code))),
    (5, 'objet.edifice_id', (SELECT count(*) FROM objet t WHERE t.edifice_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM edifice r WHERE r.id = t.edifice_id))),
    (6, 'objet.chargement_id', (SELECT count(*) FROM objet t WHERE t.chargement_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM chargement r WHERE r.id = t.chargement_id))),
    (7, 'campagne.departement_code', (SELECT count(*) FROM campagne t WHERE t.departement_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM departement r WHERE r.code = t.departement_code))),
    (8, 'campagne_commune.campagne_id', (SELECT count(*) FROM campagne_commune t WHERE t.campagne_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM campagne r WHERE r.id = t.campagne_id))),
    (9, 'campagne_commune.commune_code', (SELECT count(*) FROM campagne_commune t WHERE t.commune_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM commune r WHERE r.code_insee = t.commune_code))),
    (10, 'dossier.commune_code', (SELECT count(*) FROM dossier t WHERE t.commune_code IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM commune r WHERE r.code_insee = t.commune_code))),
    (11, 'dossier.campagne_id', (SELECT count(*) FROM dossier t WHERE t.campagne_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM campagne r WHERE r.id = t.campagne_id))),
    (12, 'dossier.conservateur_id', (SELECT count(*) FROM dossier t WHERE t.conservateur_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM app_user r WHERE r.id = t.conservateur_id))),
    (13, 'recensement.objet_ref', (SELECT count(*) FROM recensement t WHERE t.objet_ref IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM objet r WHERE r.ref = t.objet_ref))),
    (14, 'recensement.dossier_id', (SELECT count(*) FROM recensement t WHERE t.dossier_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM dossier r WHERE r.id = t.dossier_id))),
    (15, 'recensement.analyse_par', (SELECT count(*) FROM recensement t WHERE t.analyse_par IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM app_user r WHERE r.id = t.analyse_par))),
    (16, 'user_scope.user_id', (SELECT count(*) FROM user_scope t WHERE t.user_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM app_user r WHERE r.id = t.user_id))),
    (17, 'contact_commune.commune_code', (SELECT count(*) FROM contact_commune t
        WHERE NOT EXISTS (SELECT 1 FROM commune r WHERE r.code_insee = t.commune_code))),
    (18, 'contact_commune.auteur_id', (SELECT count(*) FROM contact_commune t
        WHERE NOT EXISTS (SELECT 1 FROM app_user r WHERE r.id = t.auteur_id)))
) AS cles (ordre, cle, n)
WHERE n > 0
ORDER BY ordre;

-- name: demo_data_version
-- The statement triggers that note the change were skipped with the row triggers: noted
-- here, as they would (the version moves when the load commits: queries/definitions/02_data_version.sql).
SELECT noter_changement();

-- name: demo_sans_index_gin
-- The trigram (GIN) indexes of the tables the demo fills (the name searches of migration
-- 0010), kept aside for the load: maintained row by row during the COPY they cost about twice
-- what one build at the end costs (measured: 275,000 objets, 6.0 s with the index against
-- 3.6 s without it plus 1.1 s to build it). Their definitions, as the catalogue gives them,
-- wait in a temporary table of the transaction; a failed load rolls the drop back.
DO $$ DECLARE r record; BEGIN
    CREATE TEMP TABLE demo_index_gin ON COMMIT DROP AS
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename IN ('objet', 'edifice') AND i.indexdef LIKE '% USING gin %';
    FOR r IN SELECT indexname FROM demo_index_gin LOOP EXECUTE format('DROP INDEX public.%I', r.indexname); END LOOP;
END $$;

-- name: demo_index_gin_rebatir
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT indexdef FROM demo_index_gin LOOP EXECUTE r.indexdef; END LOOP;
END $$;

-- name: demo_recensement_courant
-- Statement triggers kept it current as rows came in, unless they were skipped: one
-- recomputation over everything settles both cases.
SELECT maj_recensement_courant(NULL);

-- name: demo_fin_chargement
UPDATE chargement SET fin = clock_timestamp(), rapport = CAST(:rapport AS jsonb) WHERE id = :id;

-- name: demo_audit_resume
INSERT INTO audit (table_name, action, after) VALUES ('objet', 'load demo', CAST(:rapport AS jsonb));

-- name: demo_load_state
-- Commits with the data: an interrupted load leaves no marker.
INSERT INTO load_state (name, detail) VALUES ('demo', CAST(:rapport AS jsonb));
