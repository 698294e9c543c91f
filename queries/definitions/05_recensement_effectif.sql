-- recensement_effectif: the recensements that count (domain.md), with the conservateur's
-- overrides replacing the commune's answers.
-- Completed, in a dossier that was submitted (accepted or not).

CREATE OR REPLACE VIEW recensement_effectif AS
SELECT r.id,
       r.objet_ref,
       r.dossier_id,
       d.commune_code AS dossier_commune_code,
       r.recense_le,
       r.localisation,
       r.localisation = 'absent' AS disparu,
       coalesce(r.recensable, false) AND r.localisation IS DISTINCT FROM 'absent' AS recensable,
       CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
            THEN coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire) END AS etat_sanitaire,
       CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
            THEN coalesce(r.analyse_securisation, r.securisation) END AS securisation,
       r.analyse_etat_sanitaire IS NOT NULL OR r.analyse_securisation IS NOT NULL AS corrige,
       r.analyse_le IS NOT NULL AS analyse,
       r.analyse_le,
       r.autre_commune_code,
       d.submitted_at AS transmis_le
FROM recensement r
JOIN dossier d ON d.id = r.dossier_id
WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL;
