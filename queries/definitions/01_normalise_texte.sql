-- normalise_texte(): the accent-free lower-case form that commune searches compare.
--
-- unaccent() is only STABLE; this wrapper names its dictionary, so it is IMMUTABLE and can
-- feed commune.nom_normalise (a stored generated column) and its index. Changing what it
-- returns therefore needs a migration that recomputes that column (UPDATE commune SET nom = nom).

CREATE OR REPLACE FUNCTION normalise_texte(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

-- normalise_recherche(): what name searches compare (issue 11): normalise_texte(), then every
-- run of characters other than a-z and 0-9 (hyphens, apostrophes, dots, parentheses…)
-- becomes one space, trimmed: "Courcelles-lès-Lens" and "courcelles les  lens" are both
-- "courcelles les lens", "L'Haÿ-les-Roses" is "l hay les roses". It feeds the stored
-- generated columns commune.nom_recherche, objet.titre_recherche and edifice.nom_recherche
-- (migration 0010) and their trigram indexes: changing what it returns needs a migration
-- that recomputes them.
CREATE OR REPLACE FUNCTION normalise_recherche(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)),
                                      '[^a-z0-9]+', ' ', 'g')) $$;
