-- The outbox (migration 0006): messages queued in the transaction of what causes them.

-- name: courriel_mettre_en_file
INSERT INTO courriel (destinataire, sujet, corps, motif, commune_code, user_id)
VALUES (:destinataire, :sujet, :corps, :motif, :commune_code, :user_id)
RETURNING id;
