-- pop_correction: objets that their current recensement says moved to another commune, for
-- the POP-correction export and the commune and qualité pages.

CREATE OR REPLACE VIEW pop_correction AS
SELECT c.objet_ref AS ref,
       o.titre,
       o.commune_code AS commune_palissy,
       c.autre_commune_code AS commune_signalee,
       c.recense_le,
       c.id AS recensement_id
FROM recensement_courant c
JOIN objet o ON o.ref = c.objet_ref
WHERE c.localisation = 'deplacement_autre_commune' AND c.autre_commune_code IS NOT NULL;
