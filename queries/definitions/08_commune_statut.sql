-- commune_statut: the status of each commune (domain.md), from its latest dossier that is
-- not archived: non recensé, en cours, à examiner, en cours d'examen, examiné.

CREATE OR REPLACE VIEW commune_statut AS
SELECT c.code_insee,
       d.id AS dossier_id,
       CASE
           WHEN d.id IS NULL THEN 'non_recense'
           WHEN d.statut = 'construction' THEN 'en_cours'
           WHEN d.statut = 'accepted' THEN 'examine'
           WHEN EXISTS (SELECT 1 FROM recensement r
                        WHERE r.dossier_id = d.id AND r.analyse_le IS NOT NULL) THEN 'en_cours_examen'
           ELSE 'a_examiner'
       END AS statut
FROM commune c
LEFT JOIN (
    SELECT DISTINCT ON (commune_code) id, commune_code, statut
    FROM dossier
    WHERE statut <> 'archived'
    ORDER BY commune_code, created_at DESC, id DESC
) d ON d.commune_code = c.code_insee;
