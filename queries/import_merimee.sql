-- Import of Mérimée édifices (dashboard/importer/merimee_import.py).

-- name: import_merimee_staging
CREATE TEMP TABLE import_merimee_stage (
    line integer NOT NULL,
    ref_merimee text NOT NULL,
    nom text,
    commune_code text,
    anomalies text[] NOT NULL,
    merimee jsonb NOT NULL
) ON COMMIT DROP;

-- name: import_merimee_upsert
WITH upserted AS (
    INSERT INTO edifice AS e (ref_merimee, nom, commune_code, provenance, chargement_id, merimee, anomalies)
    SELECT ref_merimee, nom, commune_code, 'import', CAST(:chargement_id AS integer), merimee, anomalies
    FROM import_merimee_stage
    ON CONFLICT (ref_merimee) DO UPDATE SET
        nom = EXCLUDED.nom, commune_code = EXCLUDED.commune_code, provenance = 'import',
        chargement_id = EXCLUDED.chargement_id, merimee = EXCLUDED.merimee, anomalies = EXCLUDED.anomalies
    WHERE (e.nom, e.commune_code, e.merimee, e.anomalies)
          IS DISTINCT FROM (EXCLUDED.nom, EXCLUDED.commune_code, EXCLUDED.merimee, EXCLUDED.anomalies)
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM upserted;

-- name: import_merimee_rattacher
-- Objets whose REFA (or MOSA, for moved ones) names an édifice now known.
UPDATE objet o SET edifice_id = e.id, updated_at = now()
FROM edifice e
WHERE e.ref_merimee = o.ref_merimee AND o.edifice_id IS DISTINCT FROM e.id;
