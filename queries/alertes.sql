-- The weekly digest (dashboard/ops/alertes.py): who receives it, where the last one stopped,
-- and the record of each one sent or printed.

-- name: alertes_destinataires
-- Active users of the roles that examine (:roles, from the rights table).
SELECT id FROM app_user WHERE actif AND role::text = ANY (CAST(:roles AS text[])) ORDER BY id;

-- name: alertes_dernier_envoi
SELECT max(jusqu_a) FROM alerte_envoi WHERE user_id = :user_id;

-- name: alertes_enregistrer
INSERT INTO alerte_envoi (user_id, depuis, jusqu_a, nb_cas, canal)
VALUES (:user_id, :depuis, :jusqu_a, :nb_cas, :canal);

-- name: alertes_verrou
-- One digest run at a time, whichever machine runs it (a timer on each replica): a second
-- run waits here until the first commits, then finds its records and has nothing new to send.
SELECT pg_advisory_xact_lock(hashtext('objets alertes'));
