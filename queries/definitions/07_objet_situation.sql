-- objet_situation: each objet with what every page needs: counted or not (domain.md's
-- denominator), its current état, recensé within five years, disparu, urgency.

CREATE OR REPLACE VIEW objet_situation AS
SELECT o.ref,
       o.titre,
       o.commune_code,
       o.departement_code,
       o.protection,
       o.categorie,
       o.dans_perimetre,
       o.retire_le,
       o.dans_perimetre AND o.retire_le IS NULL AS compte,
       o.manquant IS NOT NULL OR o.deplacement ~* '(vol|disparu)' AS manquant_pop,
       c.id AS recensement_id,
       c.recense_le,
       c.localisation,
       c.etat_sanitaire,
       c.securisation,
       coalesce(c.disparu, false) AS disparu,
       coalesce(c.recense_le >= now() - interval '5 years', false) AS recense_5_ans,
       c.urgence,
       c.analyse AS analyse
FROM objet o
LEFT JOIN recensement_courant c ON c.objet_ref = o.ref;
