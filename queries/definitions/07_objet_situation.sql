-- objet_situation: each objet with what every page needs: counted or not (domain.md's
-- denominator), its current état, recensé within five years, recensé within the last
-- twelve months (the pace), disparu, urgency; and the year of its last récolement noted in
-- POP (DENQ, as published: /communes-a-contacter's score reads it).

-- objet_compte(): the objets counted (domain.md's denominator): in the recensement scope of
-- Palissy and not withdrawn from it. objet_situation.compte; statements that need no
-- current recensement read it on objet directly (queries/definitions/13_pilotage.sql).
CREATE OR REPLACE FUNCTION objet_compte(dans_perimetre boolean, retire_le timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT dans_perimetre AND retire_le IS NULL $$;

-- recense_dans_le_cycle(): recensé within the five years before a date (domain.md: the
-- récolement quinquennal). At now(), "recensé depuis 5 ans" (objet_situation.recense_5_ans,
-- coverage); at a target date D, whether an objet still needs a recensement before D (the
-- pace required to reach the objective by D, queries/pilotage.sql). The date of the
-- recensement counts, not the dossier's acceptance. No recensement: false.
-- STABLE, not IMMUTABLE: subtracting years from a timestamptz reads the session's time zone.
-- Inlinable (LANGUAGE sql, one expression, each argument used once).
CREATE OR REPLACE FUNCTION recense_dans_le_cycle(recense_le timestamptz, a_la_date timestamptz)
    RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(recense_le >= a_la_date - interval '5 years', false) $$;

-- recense_dans_l_annee(): recensé within the twelve months before a date: the pace p of
-- domain.md ("Pace and objective") counts the objets recensés in the last twelve months
-- (an objet recensed twice in that year counts once: its current recensement is the latest).
CREATE OR REPLACE FUNCTION recense_dans_l_annee(recense_le timestamptz, a_la_date timestamptz)
    RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(recense_le >= a_la_date - interval '1 year', false) $$;

CREATE OR REPLACE VIEW objet_situation AS
SELECT o.ref,
       o.titre,
       o.commune_code,
       o.departement_code,
       o.protection,
       o.categorie,
       o.dans_perimetre,
       o.retire_le,
       objet_compte(o.dans_perimetre, o.retire_le) AS compte,
       o.manquant IS NOT NULL OR o.deplacement ~* '(vol|disparu)' AS manquant_pop,
       c.id AS recensement_id,
       c.recense_le,
       c.localisation,
       c.etat_sanitaire,
       c.securisation,
       coalesce(c.disparu, false) AS disparu,
       recense_dans_le_cycle(c.recense_le, now()) AS recense_5_ans,
       c.urgence,
       c.analyse AS analyse,
       recense_dans_l_annee(c.recense_le, now()) AS recense_12_mois,
       o.denq
FROM objet o
LEFT JOIN recensement_courant c ON c.objet_ref = o.ref;
