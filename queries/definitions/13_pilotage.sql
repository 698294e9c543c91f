-- The pilotage of DRAC managers, conservateurs and administrateurs (issue 13: /couverture and
-- /restauration): the rules of the issue's "Definitions" that SQL computes, once each.
-- The others are shared with every page: objets counted (objet_situation.compte), recensé
-- in the last 5 years and the pace (recense_dans_le_cycle(), recense_dans_l_annee() of
-- 07_objet_situation.sql), urgency as a role may see it (niveau_urgence_vu() of
-- 04_niveau_urgence.sql). The arithmetic of the pace (full cycle, required monthly pace)
-- is dashboard/domain/objectif.py.

-- categories_comptees(): the catégories an objet counts in: once in each of its catégories
-- (a repeated one once), one NULL row for an objet without catégorie (so that it still
-- counts, under "sans catégorie"). Totals never add these rows up: an objet counts once in
-- every total. Inlinable (LANGUAGE sql, IMMUTABLE, one SELECT): in
-- `CROSS JOIN LATERAL categories_comptees(o.categorie)` it becomes a subquery.
CREATE OR REPLACE FUNCTION categories_comptees(categorie text[])
    RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT c
    FROM unnest(CASE WHEN cardinality(categorie) > 0 THEN categorie ELSE ARRAY[NULL::text] END) AS c $$;

-- dossier_accepte(): the conservateur accepted the dossier (examined). accepted_at is set at
-- acceptance, cleared when the dossier is reopened, and kept when an accepted dossier is
-- archived later (a new campaign): an archived dossier that was accepted still counts.
CREATE OR REPLACE FUNCTION dossier_accepte(accepted_at timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT accepted_at IS NOT NULL $$;

-- commune_contactee: the communes that were contacted: invited by a campaign that was
-- launched (ongoing or finished; a draft or planned campaign has sent nothing yet), or with
-- a contact recorded by a deployment officer (contact_commune, issue 14: a call, an e-mail,
-- a letter, a meeting, whatever its outcome). Every figure of "communes contactées" follows.
CREATE OR REPLACE VIEW commune_contactee AS
SELECT cc.commune_code
FROM campagne_commune cc
JOIN campagne ca ON ca.id = cc.campagne_id
WHERE ca.statut IN ('ongoing', 'finished')
UNION
SELECT k.commune_code
FROM contact_commune k;

-- commune_engagement: each commune, contacted (commune_contactee), participating (it has a
-- dossier, whatever its status) and completed (it has an accepted dossier, dossier_accepte()).
-- Each subquery is hashed once per statement.
CREATE OR REPLACE VIEW commune_engagement AS
SELECT c.code_insee,
       c.departement_code,
       c.code_insee IN (SELECT k.commune_code FROM commune_contactee k) AS contactee,
       c.code_insee IN (SELECT d.commune_code FROM dossier d) AS participante,
       c.code_insee IN (SELECT d.commune_code FROM dossier d WHERE dossier_accepte(d.accepted_at)) AS terminee
FROM commune c;

-- objet_evolution: each objet whose current recensement has a previous one, and how its
-- état sanitaire moved between the two.
-- - Previous recensement: the latest recensement before the current one (same order as the
--   current recensement: recense_le, then id), among the effective ones
--   (recensement_effectif: deleted ones, drafts and dossiers never transmitted excluded).
-- - The états are the retained ones (the conservateur's override wins, recensement_effectif).
-- - evolution: 'degrade' when the état moved down the scale bon > moyen > mauvais > péril,
--   'ameliore' when it moved up (after a restoration, for instance), NULL when it did not
--   move or when either état is unknown (not recensable, disparu). The enum etat_sanitaire
--   is declared from best to worst (bon, moyen, mauvais, peril; checked against the
--   vocabulary by tests/domain/test_vocabulary.py): a greater value is a worse état.
-- One pass over the effective recensements (a window), not a lookup per objet.
CREATE OR REPLACE VIEW objet_evolution AS
SELECT e.objet_ref,
       e.id AS recensement_id,
       e.recense_le,
       e.etat_sanitaire,
       e.precedent_id,
       e.precedent_le,
       e.precedent_etat,
       CASE WHEN e.etat_sanitaire > e.precedent_etat THEN 'degrade'
            WHEN e.etat_sanitaire < e.precedent_etat THEN 'ameliore'
       END AS evolution
FROM (SELECT r.objet_ref, r.id, r.recense_le, r.etat_sanitaire,
             lag(r.id) OVER w AS precedent_id,
             lag(r.recense_le) OVER w AS precedent_le,
             lag(r.etat_sanitaire) OVER w AS precedent_etat
      FROM recensement_effectif r
      WINDOW w AS (PARTITION BY r.objet_ref ORDER BY r.recense_le, r.id)) e
JOIN objet_recensement_courant c ON c.recensement_id = e.id
WHERE e.precedent_id IS NOT NULL;

-- dans_le_territoire(): the territory of a pilotage view inside the user's scope: a région
-- (:region), a département (:departement), or everywhere (both NULL). Called with the
-- département's région and code. Inlinable (one expression, no subquery).
CREATE OR REPLACE FUNCTION dans_le_territoire(region_code text, departement_code text, region text, departement text)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (region IS NULL OR region_code = region) AND (departement IS NULL OR departement_code = departement) $$;

-- pilotage_objets(): the objets the pilotage counts (objet_situation.compte) in the user's
-- scope and the view's territory (dans_le_territoire(); NULL: no restriction), with:
-- - niveau: the urgency of its current recensement as the role may see it
--   (niveau_urgence_vu(): without sécurisation for a role lacking VOIR_SECURISATION, as
--   /urgences does for it);
-- - traite: a prioritaire or préoccupant is handled when a conservateur has analysed its
--   (current) recensement.
-- Inlinable (LANGUAGE sql, STABLE, not STRICT, one SELECT), like carte_objets(). A change of
-- its columns needs a migration that drops it first.
CREATE OR REPLACE FUNCTION pilotage_objets(departements text[], commune text, region text, departement text,
                                           voit_securisation boolean)
    RETURNS TABLE (ref text, titre text, commune_code text, departement_code text, protection text,
                   categorie text[], recense_le timestamptz, recense_5_ans boolean, recense_12_mois boolean,
                   etat_sanitaire etat_sanitaire, niveau text, traite boolean)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT s.ref, s.titre, s.commune_code, s.departement_code, s.protection::text, s.categorie, s.recense_le,
       s.recense_5_ans, s.recense_12_mois, s.etat_sanitaire,
       niveau_urgence_vu(s.urgence, s.localisation, s.etat_sanitaire, pilotage_objets.voit_securisation),
       coalesce(s.analyse, false)
FROM objet_situation s
LEFT JOIN departement dp ON dp.code = s.departement_code
WHERE s.compte
  AND dans_perimetre_utilisateur(s.departement_code, s.commune_code, pilotage_objets.departements,
                                 pilotage_objets.commune)
  AND dans_le_territoire(dp.region_code, s.departement_code, pilotage_objets.region, pilotage_objets.departement)
$$;

-- pilotage_recensements(): every effective recensement (not only the current ones) of the
-- objets pilotage_objets() counts, for the recensements per month and the fiabilité:
-- - accepte: its dossier was accepted (dossier_accepte());
-- - corrige: the conservateur overrode the état or the sécurisation (recensement_effectif).
-- Fiabilité: the share of accepted recensements without override.
-- The same objets as pilotage_objets() (objet_compte(), the scope, the territory), read on
-- objet: no current recensement is needed here.
CREATE OR REPLACE FUNCTION pilotage_recensements(departements text[], commune text, region text, departement text)
    RETURNS TABLE (id integer, objet_ref text, departement_code text, recense_le timestamptz, accepte boolean,
                   corrige boolean)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT e.id, e.objet_ref, o.departement_code, e.recense_le, dossier_accepte(d.accepted_at), e.corrige
FROM recensement_effectif e
JOIN dossier d ON d.id = e.dossier_id
JOIN objet o ON o.ref = e.objet_ref
LEFT JOIN departement dp ON dp.code = o.departement_code
WHERE objet_compte(o.dans_perimetre, o.retire_le)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code, pilotage_recensements.departements,
                                 pilotage_recensements.commune)
  AND dans_le_territoire(dp.region_code, o.departement_code, pilotage_recensements.region,
                         pilotage_recensements.departement)
$$;
