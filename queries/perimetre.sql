-- The user's scope (dashboard.users.Scope.params(): :departements, :commune; NULL means no
-- restriction), enforced in the WHERE clause of the statements that read a territory's data.

-- fragment: objet_dans_perimetre
-- An objet o of the user's scope.
AND (CAST(:departements AS text[]) IS NULL OR o.departement_code = ANY (CAST(:departements AS text[])))
AND (CAST(:commune AS text) IS NULL OR o.commune_code = CAST(:commune AS text))

-- fragment: commune_dans_perimetre
-- A commune c of the user's scope.
AND (CAST(:departements AS text[]) IS NULL OR c.departement_code = ANY (CAST(:departements AS text[])))
AND (CAST(:commune AS text) IS NULL OR c.code_insee = CAST(:commune AS text))
