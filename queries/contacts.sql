-- The address of a commune for its sign-in links (commune_contact, migration 0007), set by
-- a conservateur of its scope; the mairie's e-mail of the reference data otherwise.

-- name: contact_commune
SELECT c.code_insee, c.nom, nullif(btrim(c.mairie_email), '') AS mairie_email,
       cc.email AS contact, cc.defini_le, u.nom AS defini_par
FROM commune c
LEFT JOIN commune_contact cc ON cc.commune_code = c.code_insee
LEFT JOIN app_user u ON u.id = cc.defini_par
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text));

-- name: contact_definir
-- Only for a commune of the author's scope, and an author whose stored role may (:roles).
INSERT INTO commune_contact (commune_code, email, defini_par)
SELECT c.code_insee, :email, :user_id
FROM commune c
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = :user_id AND u.actif
                                          AND CAST(u.role AS text) = ANY (CAST(:roles AS text[])))
ON CONFLICT (commune_code) DO UPDATE
    SET email = EXCLUDED.email, defini_par = EXCLUDED.defini_par, defini_le = now()
RETURNING commune_code;

-- name: contact_supprimer
DELETE FROM commune_contact cc
USING commune c
WHERE cc.commune_code = CAST(:code AS text) AND c.code_insee = cc.commune_code
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = :user_id AND u.actif
                                          AND CAST(u.role AS text) = ANY (CAST(:roles AS text[])))
RETURNING cc.commune_code;

-- name: communes_sans_adresse
-- Communes of the scope that hold objets and have no address at all: no sign-in link can
-- reach them until a conservateur sets one.
SELECT c.code_insee, c.nom, c.departement_code, count(*) AS objets
FROM commune c
JOIN objet o ON o.commune_code = c.code_insee AND o.retire_le IS NULL
WHERE nullif(btrim(c.mairie_email), '') IS NULL
  AND NOT EXISTS (SELECT 1 FROM commune_contact cc WHERE cc.commune_code = c.code_insee)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
GROUP BY c.code_insee, c.nom, c.departement_code
ORDER BY c.departement_code, c.nom, c.code_insee;
