-- The outbox (migration 0006): messages queued in the transaction of what causes them, and
-- the sender (dashboard/ops/courrier.py, `objets mail send`). In the sender's statements the
-- parameter maintenant is NULL in production (the database's clock, the one clock all
-- replicas share); tests pass a time.

-- name: courriel_mettre_en_file
INSERT INTO courriel (destinataire, sujet, corps, motif, commune_code, user_id)
VALUES (:destinataire, :sujet, :corps, :motif, :commune_code, :user_id)
RETURNING id;

-- name: courriel_reserver
-- The oldest due message, locked until the sender's transaction ends (after the SMTP
-- conversation and its record): SKIP LOCKED lets another sender take the next one instead
-- of waiting, and never the same one.
SELECT id, destinataire, sujet, corps, cree_le, tentatives
FROM courriel
WHERE envoye_le IS NULL AND abandonne_le IS NULL
  AND prochain_essai <= coalesce(CAST(:maintenant AS timestamptz), now())
ORDER BY cree_le, id
LIMIT 1
FOR UPDATE SKIP LOCKED;

-- name: courriel_dus
-- What a run would send (--sans-envoyer): read only, nothing locked.
SELECT id, destinataire, sujet, corps, motif, tentatives
FROM courriel
WHERE envoye_le IS NULL AND abandonne_le IS NULL
  AND prochain_essai <= coalesce(CAST(:maintenant AS timestamptz), now())
ORDER BY cree_le, id
LIMIT :limite;

-- name: courriel_noter_tentative
INSERT INTO courriel_envoi (courriel_id, tente_le, reussi, reponse)
VALUES (:id, coalesce(CAST(:maintenant AS timestamptz), now()), :reussi, :reponse);

-- name: courriel_envoye
UPDATE courriel
SET envoye_le = coalesce(CAST(:maintenant AS timestamptz), now()), tentatives = tentatives + 1,
    derniere_erreur = NULL
WHERE id = :id;

-- name: courriel_reessayer
UPDATE courriel
SET tentatives = tentatives + 1, derniere_erreur = :erreur,
    prochain_essai = coalesce(CAST(:maintenant AS timestamptz), now()) + CAST(:delai AS interval)
WHERE id = :id;

-- name: courriel_abandonner
UPDATE courriel
SET tentatives = tentatives + 1, derniere_erreur = :erreur,
    abandonne_le = coalesce(CAST(:maintenant AS timestamptz), now())
WHERE id = :id;

-- name: courriel_en_attente
-- Left after a run: not sent, not given up; and of those, due now.
SELECT count(*) AS en_attente,
       count(*) FILTER (WHERE prochain_essai <= coalesce(CAST(:maintenant AS timestamptz), now())) AS dus
FROM courriel
WHERE envoye_le IS NULL AND abandonne_le IS NULL;
