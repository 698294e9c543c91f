-- Exports for the ministry's other tools: objets keyed by REF, POP codes as headers, placed at
-- their commune (dashboard/importer/exports.py).

-- name: export_objets_pop
SELECT o.ref AS "REF", o.titre AS "TICO",
       coalesce(o.palissy[8], array_to_string(o.denomination, ';')) AS "DENO",
       coalesce(o.palissy[9], array_to_string(o.categorie, ';')) AS "CATE",
       coalesce(o.palissy[10], array_to_string(o.siecle, ';')) AS "SCLE",
       coalesce(o.palissy[1], c.nom) AS "COM", o.insee_brut AS "INSEE", o.palissy[2] AS "WEB",
       coalesce(o.palissy[3], o.departement_code) AS "DPT", o.palissy[4] AS "REG",
       coalesce(o.palissy[5], o.edifice_nom) AS "EDIF", o.emplacement AS "EMPL",
       coalesce(o.palissy[6], o.ref_merimee) AS "REFA", o.protection_brute AS "PROT", o.dpro AS "DPRO",
       o.statut_proprietaire AS "STAT", o.manquant AS "MANQUANT", o.dossier_type AS "DOSS",
       o.deplacement AS "DEPL", o.palissy[7] AS "MOSA", o.denq AS "DENQ", o.etat_pop AS "ETAT",
       o.commune_code AS commune_actuelle, c.nom AS commune_actuelle_nom, o.departement_code AS departement,
       o.protection, o.dans_perimetre, o.hors_perimetre_raison, array_to_string(o.anomalies, ', ') AS anomalies,
       o.retire_le, ST_X(c.point) AS longitude, ST_Y(c.point) AS latitude
FROM objet o
LEFT JOIN commune c ON c.code_insee = o.commune_code
WHERE true
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND (NOT CAST(:signales AS boolean) OR o.anomalies <> '{}')
ORDER BY o.ref;
