-- normalise_texte(): the accent-free lower-case form that commune searches compare.
--
-- unaccent() is only STABLE; this wrapper names its dictionary, so it is IMMUTABLE and can
-- feed commune.nom_normalise (a stored generated column) and its index. Changing what it
-- returns therefore needs a migration that recomputes that column (UPDATE commune SET nom = nom).

CREATE OR REPLACE FUNCTION normalise_texte(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
