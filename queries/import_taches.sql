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
