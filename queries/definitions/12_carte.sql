-- carte_objets(): the counted objets that /carte shows (queries/carte.sql): the user's scope,
-- then région, département, protection, catégorie and siècle (NULL: no filter), with the
-- columns of objet_situation its figures read.
--
-- Inlinable (LANGUAGE sql, STABLE, not STRICT, one SELECT, no SET): in a FROM clause it
-- becomes a subquery that the planner pulls up into the statement, so the plan is the one
-- the conditions written in place would give (tests/test_perimetre.py checks no Function
-- Scan remains). A change of its columns needs a migration that drops it first
-- (CREATE OR REPLACE cannot change a function's result type).

CREATE OR REPLACE FUNCTION carte_objets(departements text[], commune text, region text, departement text,
                                        protection text, categorie text, siecle text)
    RETURNS TABLE (ref text, commune_code text, departement_code text, recense_le timestamptz,
                   recense_5_ans boolean, etat_sanitaire etat_sanitaire, urgence text, disparu boolean)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT s.ref, s.commune_code, s.departement_code, s.recense_le, s.recense_5_ans, s.etat_sanitaire, s.urgence,
       s.disparu
FROM objet_situation s
WHERE s.compte
  AND dans_perimetre_utilisateur(s.departement_code, s.commune_code, carte_objets.departements, carte_objets.commune)
  AND (carte_objets.region IS NULL
       OR s.departement_code IN (SELECT d.code FROM departement d WHERE d.region_code = carte_objets.region))
  AND (carte_objets.departement IS NULL OR s.departement_code = carte_objets.departement)
  AND (carte_objets.protection IS NULL OR s.protection::text = carte_objets.protection)
  AND (carte_objets.categorie IS NULL OR carte_objets.categorie = ANY (s.categorie))
  -- IN (subquery) inside OR: a hashed subplan, built only when a siècle is asked for.
  AND (carte_objets.siecle IS NULL
       OR s.ref IN (SELECT ob.ref FROM objet ob WHERE array_to_string(ob.siecle, ' ; ')
                    ~ ('(^|[^0-9])' || carte_objets.siecle || '(e|er) siècle')))
$$;
