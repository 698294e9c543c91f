-- Sign-in (migration 0007): accounts, sessions, throttling, one-time links for communes.
-- Durations are bound parameters (dashboard.domain.connexion): the rule is written once.

-- name: compte_par_email
-- E-mails compare case-insensitively (unique index on lower(email)).
SELECT id, mot_de_passe, actif FROM app_user WHERE lower(email) = lower(CAST(:email AS text));

-- name: compte_rehacher
UPDATE app_user SET mot_de_passe = :hache WHERE id = :id;

-- name: compte_par_oidc
SELECT id, actif FROM app_user WHERE oidc_issuer = :issuer AND oidc_sub = :sub;

-- name: compte_lier_oidc
-- The first OIDC sign-in of an agent links the account whose e-mail the ID token gives;
-- an account already linked to another identity is left as it is.
UPDATE app_user SET oidc_issuer = :issuer, oidc_sub = :sub
WHERE lower(email) = lower(CAST(:email AS text)) AND oidc_issuer IS NULL
RETURNING id, actif;

-- name: session_ouvrir
INSERT INTO session_connexion (id, user_id, methode, oidc_issuer, oidc_sub, oidc_iat)
VALUES (:id, :user_id, :methode, :issuer, :sub, :iat)
ON CONFLICT DO NOTHING;

-- name: session_oidc_id
SELECT id FROM session_connexion
WHERE methode = 'oidc' AND oidc_issuer = :issuer AND oidc_sub = :sub AND oidc_iat = :iat;

-- name: session_valider
-- The session a cookie (or an OIDC identity) names: its user while it may be used, else why
-- it ended. Notes its use at most once a :toucher, and ends it when a limit has passed or
-- its account was disabled; one statement, run at each script run.
WITH s AS (
    SELECT s.id, s.user_id, s.methode, s.vu_le,
           s.fin_le IS NOT NULL AS deja_finie,
           CASE WHEN s.fin_le IS NOT NULL THEN s.fin_motif
                WHEN NOT u.actif THEN 'compte'
                WHEN s.cree_le <= now() - CAST(:duree_max AS interval) THEN 'duree'
                WHEN s.vu_le <= now() - CAST(:inactivite AS interval) THEN 'inactivite'
           END AS fin
    FROM session_connexion s
    JOIN app_user u ON u.id = s.user_id
    WHERE s.id = :id
), fin AS (
    UPDATE session_connexion t SET fin_le = now(), fin_motif = s.fin
    FROM s WHERE t.id = s.id AND NOT s.deja_finie AND s.fin IS NOT NULL
    RETURNING t.id
), vu AS (
    UPDATE session_connexion t SET vu_le = now()
    FROM s WHERE t.id = s.id AND s.fin IS NULL AND s.vu_le <= now() - CAST(:toucher AS interval)
    RETURNING t.id
)
SELECT user_id, methode, fin FROM s;

-- name: session_terminer
UPDATE session_connexion SET fin_le = now(), fin_motif = 'deconnexion'
WHERE id = :id AND fin_le IS NULL
RETURNING methode;

-- name: sessions_terminer_compte
UPDATE session_connexion SET fin_le = now(), fin_motif = 'compte'
WHERE user_id = :user_id AND fin_le IS NULL;

-- name: tentatives_verrouiller
-- Attempts on one key wait for each other: five parallel requests cannot all pass the count.
SELECT pg_advisory_xact_lock(hashtextextended(CAST(:cle AS text), 10));

-- name: tentatives_bloque_jusqu_a
-- NULL when one more attempt is allowed; else when it will be: the oldest of the last :max
-- counted attempts leaves the window. Counted: failures since the last success (password),
-- or every request (links: :echecs_seulement false).
WITH comptees AS (
    SELECT at FROM tentative_connexion
    WHERE cle = :cle
      AND at > now() - CAST(:fenetre AS interval)
      AND (NOT CAST(:echecs_seulement AS boolean) OR NOT reussie)
      AND at > coalesce((SELECT max(at) FROM tentative_connexion
                         WHERE cle = :cle AND reussie AND CAST(:echecs_seulement AS boolean)), '-infinity')
    ORDER BY at DESC
    LIMIT :max
)
SELECT CASE WHEN count(*) >= :max THEN min(at) + CAST(:fenetre AS interval) END FROM comptees;

-- name: tentative_noter
INSERT INTO tentative_connexion (cle, reussie) VALUES (:cle, :reussie);

-- name: commune_adresse_connexion
-- Where a commune's sign-in link goes: the address a conservateur set, else the mairie's
-- (courriel_de_la_commune(), the rule campaign invitations follow too).
SELECT c.code_insee, c.nom, c.departement_code,
       courriel_de_la_commune(cc.email, c.mairie_email) AS email
FROM commune c
LEFT JOIN commune_contact cc ON cc.commune_code = c.code_insee
WHERE c.code_insee = CAST(:code AS text);

-- name: lien_creer
INSERT INTO lien_connexion (id, commune_code, destinataire, courriel_id, expire_le)
VALUES (:id, :commune_code, :destinataire, :courriel_id, now() + CAST(:validite AS interval));

-- name: lien_etat
SELECT l.commune_code, c.nom AS commune_nom, l.utilise_le IS NOT NULL AS utilise, l.expire_le <= now() AS expire
FROM lien_connexion l JOIN commune c ON c.code_insee = l.commune_code
WHERE l.id = :id;

-- name: lien_consommer
-- Once, within its validity: a second use, or a late one, changes nothing and returns nothing.
UPDATE lien_connexion SET utilise_le = now()
WHERE id = :id AND utilise_le IS NULL AND expire_le > now()
RETURNING commune_code;

-- name: lien_noter_compte
UPDATE lien_connexion SET user_id = :user_id WHERE id = :id;

-- name: compte_commune
-- The account of a commune (its scope is the commune), the oldest if several.
SELECT u.id, u.actif
FROM app_user u
JOIN user_scope s ON s.user_id = u.id AND s.niveau = 'commune' AND s.code = CAST(:code AS text)
WHERE u.role = CAST(:role AS role) AND NOT u.demo
ORDER BY u.id
LIMIT 1;

-- name: compte_commune_creer
INSERT INTO app_user (email, nom, role) VALUES (:email, :nom, CAST(:role AS role))
ON CONFLICT (lower(email)) DO NOTHING
RETURNING id;

-- name: purger_connexions
-- What sign-in keeps no longer than it needs (README, RGPD): ended or expired sessions,
-- attempts, used or expired links, older than :retention.
WITH sessions AS (
    DELETE FROM session_connexion
    WHERE coalesce(fin_le, greatest(vu_le + CAST(:inactivite AS interval), cree_le + CAST(:duree_max AS interval)))
          < now() - CAST(:retention AS interval)
    RETURNING 1
), tentatives AS (
    DELETE FROM tentative_connexion WHERE at < now() - CAST(:retention AS interval) RETURNING 1
), liens AS (
    DELETE FROM lien_connexion WHERE coalesce(utilise_le, expire_le) < now() - CAST(:retention AS interval) RETURNING 1
)
SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM tentatives) AS tentatives,
       (SELECT count(*) FROM liens) AS liens;
