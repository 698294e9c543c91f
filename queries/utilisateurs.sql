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
