-- Background imports started from the app (dashboard/importer/taches.py).

-- name: tache_creer
INSERT INTO import_tache (source, options, user_id)
VALUES (:source, CAST(:options AS jsonb), CAST(:user_id AS integer)) RETURNING id;

-- name: tache_pid
UPDATE import_tache SET pid = :pid WHERE id = :id;

-- name: tache_demarrer
UPDATE import_tache SET statut = 'en_cours' WHERE id = :id RETURNING source, options, user_id;

-- name: tache_progression
UPDATE import_tache SET progression = CAST(:progression AS jsonb) WHERE id = :id;

-- name: tache_finir
UPDATE import_tache SET statut = :statut, message = :message, chargement_id = CAST(:chargement_id AS integer),
                        fin = now()
WHERE id = :id;

-- name: tache_etat
SELECT id, source, statut, progression, message, chargement_id, cree_le, fin FROM import_tache WHERE id = :id;

-- name: tache_dernieres
SELECT id, source, statut, message, chargement_id, cree_le, fin FROM import_tache ORDER BY id DESC LIMIT 20;

-- name: tache_verrou_lancement
-- One launch at a time across the app's processes (taches.lancer checks then inserts).
SELECT pg_advisory_xact_lock(CAST(:cle AS bigint));

-- name: tache_verrou_travailleur
-- Taken by the worker on its own connection and held until the process ends.
SELECT pg_try_advisory_lock(CAST(:cle AS bigint));

-- name: tache_travailleur_absent
-- True when no worker holds its lock (the probe's own hold ends with its transaction).
SELECT pg_try_advisory_xact_lock(CAST(:cle AS bigint));

-- name: tache_marquer_mortes
-- Run only when no worker holds its lock: a running task's worker is gone, and a waiting task
-- whose worker never took the lock did not start.
UPDATE import_tache
SET statut = 'echec', fin = now(),
    message = CASE WHEN statut = 'en_cours' THEN :mort ELSE :pas_demarre END
WHERE statut = 'en_cours'
   OR (statut = 'en_attente' AND cree_le < now() - CAST(:demarrage AS interval))
RETURNING id;

-- name: tache_active
SELECT min(id) FROM import_tache WHERE statut IN ('en_attente', 'en_cours');
