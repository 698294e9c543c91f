-- Identities and scopes.

-- name: demo_users
SELECT id, nom, email, role::text AS role
FROM app_user
WHERE demo AND actif
-- :roles, the roles in the vocabulary's order (dashboard.domain.vocabulary.ROLE).
ORDER BY array_position(CAST(:roles AS text[]), role::text), id;

-- name: user_by_id
SELECT id, nom, email, role::text AS role FROM app_user WHERE id = :id AND actif;

-- name: user_scopes
SELECT s.niveau::text AS niveau, s.code,
       coalesce(r.nom, d.nom, c.nom) AS libelle
FROM user_scope s
LEFT JOIN region r ON s.niveau = 'region' AND r.code = s.code
LEFT JOIN departement d ON s.niveau = 'departement' AND d.code = s.code
LEFT JOIN commune c ON s.niveau = 'commune' AND c.code_insee = s.code
WHERE s.user_id = :id
ORDER BY s.niveau, s.code;

-- name: departements_of_regions
SELECT code FROM departement WHERE region_code = ANY(CAST(:regions AS text[])) ORDER BY code;

-- name: departements_of_communes
SELECT DISTINCT departement_code FROM commune WHERE code_insee = ANY(CAST(:communes AS text[])) ORDER BY 1;

-- Accounts managed with `objets users` (dashboard.ops.utilisateurs).

-- name: utilisateur_creer
INSERT INTO app_user (email, nom, role, mot_de_passe)
VALUES (:email, :nom, CAST(:role AS role), :mot_de_passe)
ON CONFLICT (lower(email)) DO NOTHING
RETURNING id;

-- name: utilisateur_par_email
SELECT id, email, nom, role::text AS role, actif FROM app_user WHERE lower(email) = lower(CAST(:email AS text));

-- name: utilisateurs_liste
SELECT u.id, u.email, u.nom, u.role::text AS role, u.actif, u.demo,
       u.mot_de_passe IS NOT NULL AS mot_de_passe, u.oidc_issuer IS NOT NULL AS oidc,
       coalesce(string_agg(CASE WHEN s.niveau = 'national' THEN 'national' ELSE s.niveau::text || ' ' || s.code END,
                           ', ' ORDER BY s.niveau, s.code), '') AS perimetre
FROM app_user u
LEFT JOIN user_scope s ON s.user_id = u.id
GROUP BY u.id
ORDER BY u.demo, u.email;

-- name: utilisateur_desactiver
UPDATE app_user SET actif = false, desactive_le = now() WHERE id = :id AND actif RETURNING id;

-- name: utilisateur_mot_de_passe
UPDATE app_user SET mot_de_passe = :mot_de_passe WHERE id = :id;

-- name: utilisateur_delier_oidc
UPDATE app_user SET oidc_issuer = NULL, oidc_sub = NULL WHERE id = :id;

-- name: perimetre_vider
DELETE FROM user_scope WHERE user_id = :user_id;

-- name: perimetre_ajouter
INSERT INTO user_scope (user_id, niveau, code) VALUES (:user_id, CAST(:niveau AS niveau_perimetre), :code)
ON CONFLICT DO NOTHING;

-- name: territoire_existe
SELECT CASE CAST(:niveau AS text)
           WHEN 'departement' THEN EXISTS (SELECT 1 FROM departement WHERE code = :code)
           WHEN 'region' THEN EXISTS (SELECT 1 FROM region WHERE code = :code)
           WHEN 'commune' THEN EXISTS (SELECT 1 FROM commune WHERE code_insee = :code)
           ELSE true
       END;
