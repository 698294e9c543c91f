-- dans_perimetre_utilisateur(): the user's scope, the one condition every statement that
-- reads a territory's data applies (dashboard.domain.identity.Scope.params() gives
-- :departements and :commune; NULL means no restriction, an empty array means nothing).
--
-- It must stay inlinable, so that the planner sees the plain condition, folds away the
-- NULL cases and keeps its index scans (tests/test_perimetre.py checks plans and the
-- catalog): LANGUAGE sql, one SELECT of one expression, IMMUTABLE, not STRICT, not
-- SECURITY DEFINER, no SET clause. Its parameters must be cheap expressions (columns,
-- bound parameters): the planner does not inline a parameter used twice that is costly.
-- Call it with the columns that carry the indexes, e.g. for an objet o:
--   dans_perimetre_utilisateur(o.departement_code, o.commune_code,
--                              CAST(:departements AS text[]), CAST(:commune AS text))
-- (named after the user's scope: objet.dans_perimetre is the Palissy recensement scope).

CREATE OR REPLACE FUNCTION dans_perimetre_utilisateur(departement_code text, commune_code text,
                                                      departements text[], commune text)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (departements IS NULL OR departement_code = ANY (departements))
       AND (commune IS NULL OR commune_code = commune) $$;
