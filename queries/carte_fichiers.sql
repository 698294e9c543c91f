-- The map files of every commune of France (issue 16, migration 0012): written at reference
-- load time (dashboard/ops/fichiers_carte.py), read by the app's route that serves them
-- (dashboard/app/fichiers_carte.py) and by /carte for their names and order.

-- name: carte_fichiers_source
-- The communes drawn on the map, in the files' order (geo.nationale.ordre: département, code).
SELECT c.code_insee AS code, c.nom, c.departement_code AS departement, ST_AsBinary(c.geom_affichage) AS wkb
FROM commune c
WHERE c.geom_affichage IS NOT NULL
ORDER BY c.departement_code, c.code_insee;

-- name: carte_fichiers_empreintes
-- What a map file preparation computed beforehand must match (dashboard.ops.fichiers_carte):
-- the communes drawn, with the md5 of their display geometry's WKB.
SELECT c.code_insee AS code, c.nom, c.departement_code AS departement, md5(ST_AsBinary(c.geom_affichage)) AS md5
FROM commune c
WHERE c.geom_affichage IS NOT NULL;

-- name: carte_fichiers_departements
-- The départements' display contours: their borders drawn over the communes at national scale.
SELECT d.code, ST_AsBinary(d.geom_affichage) AS wkb
FROM departement d
WHERE d.geom_affichage IS NOT NULL
ORDER BY d.code;

-- name: carte_fichiers_vider
DELETE FROM carte_fichier;

-- name: carte_fichier_ecrire
INSERT INTO carte_fichier (nom, empreinte, contenu, octets)
VALUES (CAST(:nom AS text), CAST(:empreinte AS text), CAST(:contenu AS bytea), CAST(:octets AS integer))
ON CONFLICT (nom) DO UPDATE
    SET empreinte = excluded.empreinte, contenu = excluded.contenu, octets = excluded.octets, cree_le = now();

-- name: carte_fichier_lire
SELECT nom, empreinte, contenu, octets FROM carte_fichier WHERE nom = CAST(:nom AS text);

-- name: carte_fichier_empreinte
SELECT empreinte FROM carte_fichier WHERE nom = CAST(:nom AS text);

-- name: carte_fichiers_bilan
SELECT count(*) AS fichiers, coalesce(sum(length(contenu)), 0) AS octets_compresses,
       coalesce(sum(octets), 0) AS octets
FROM carte_fichier;
