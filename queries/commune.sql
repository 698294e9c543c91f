-- /commune?code=INSEE: status (commune_statut), mairie, dossiers, objets by édifice, outline.

-- name: commune_existe
SELECT EXISTS (SELECT 1 FROM commune WHERE code_insee = CAST(:code AS text));

-- name: commune_fiche
-- A commune of the user's scope: its mairie, its status and current dossier (the /commune
-- page and the side panel of /carte).
SELECT c.code_insee, c.nom, c.population, c.departement_code, dp.nom AS departement_nom,
       c.mairie_email, c.mairie_telephone, c.mairie_adresse, c.mairie_horaires,
       st.statut, st.dossier_id,
       dos.created_at AS dossier_cree_le, dos.submitted_at AS dossier_transmis_le,
       dos.accepted_at AS dossier_accepte_le
FROM commune c
JOIN commune_statut st ON st.code_insee = c.code_insee
LEFT JOIN departement dp ON dp.code = c.departement_code
LEFT JOIN dossier dos ON dos.id = st.dossier_id
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))

-- name: commune_dossiers
-- "À examiner en priorité": a submitted dossier that really holds a prioritaire. Who did the
-- recensement (personal data) only for the roles that may see it (:voit_personnelles).
SELECT d.id, d.statut::text AS statut, d.created_at, d.submitted_at, d.accepted_at, d.archived_at,
       d.visite::text AS visite, d.notes_commune, d.notes_conservateur, u.nom AS conservateur, d.version,
       CASE WHEN CAST(:voit_personnelles AS boolean) THEN d.recenseur END AS recenseur,
       d.statut = 'submitted' AND ch.prioritaires > 0 AS a_examiner_en_priorite,
       ch.recensements, ch.analyses, ch.prioritaires, ch.prioritaires_non_analyses
FROM dossier d
JOIN commune c ON c.code_insee = d.commune_code
LEFT JOIN app_user u ON u.id = d.conservateur_id
CROSS JOIN LATERAL dossier_chiffres(d.id) ch
WHERE d.commune_code = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY d.created_at DESC, d.id DESC;

-- name: commune_dossier_recensements
-- What the commune sent in one of its dossiers: each effective recensement with the
-- commune's answers (not the overrides), its notes and photos (how many it came with, how
-- many of them the dashboard stores), whether it was analysed.
SELECT r.id, r.objet_ref AS ref, o.titre, r.recense_le, r.localisation::text AS localisation, r.edifice_nom,
       r.autre_commune_code, ac.nom AS autre_commune_nom, r.recensable,
       r.etat_sanitaire::text AS etat_commune,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN r.securisation::text END AS securisation_commune,
       r.notes, r.nb_photos, r.confirmation_sans_photo, e.analyse,
       (SELECT count(*) FROM recensement_photo p WHERE p.recensement_id = r.id AND p.deleted_at IS NULL) AS photos_ici
FROM recensement_effectif e
JOIN recensement r ON r.id = e.id
JOIN objet o ON o.ref = r.objet_ref
JOIN dossier d ON d.id = e.dossier_id
JOIN commune c ON c.code_insee = d.commune_code
LEFT JOIN commune ac ON ac.code_insee = r.autre_commune_code
WHERE e.dossier_id = :dossier_id
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY e.analyse, o.titre, r.objet_ref;

-- name: commune_objets
-- The commune's objets with their current recensement (recensement_courant, given the
-- commune's objets as an array so that the view is read for them only), and whether each is
-- to be recensé (objet_compte: the objets its questionnaire lists).
SELECT o.ref, o.titre, o.categorie, o.protection::text AS protection,
       coalesce(ed.nom, o.edifice_nom, 'Édifice non précisé') AS edifice,
       c.recense_le, c.localisation::text AS localisation, c.etat_sanitaire::text AS etat_sanitaire,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN c.securisation::text END AS securisation,
       coalesce(c.analyse, false) AS analyse, c.id IS NOT NULL AS recense,
       objet_compte(o.dans_perimetre, o.retire_le) AS a_recenser,
       niveau_urgence(c.localisation, c.etat_sanitaire,
                      CASE WHEN CAST(:voit_securisation AS boolean) THEN c.securisation END) AS urgence
FROM objet o
JOIN commune cm ON cm.code_insee = o.commune_code
LEFT JOIN edifice ed ON ed.id = o.edifice_id
LEFT JOIN recensement_courant c
       ON c.objet_ref = o.ref
      AND c.objet_ref = ANY (ARRAY(SELECT x.ref FROM objet x WHERE x.commune_code = CAST(:code AS text)))
WHERE o.commune_code = CAST(:code AS text)
  AND o.retire_le IS NULL
  AND dans_perimetre_utilisateur(cm.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY 5, o.titre, o.ref;

-- name: commune_objets_signales
-- Objets of other communes that their current recensement says are now here.
SELECT p.ref, p.titre, p.commune_palissy, cm.nom AS commune_palissy_nom, p.recense_le
FROM pop_correction p
JOIN commune here ON here.code_insee = p.commune_signalee
LEFT JOIN commune cm ON cm.code_insee = p.commune_palissy
WHERE p.commune_signalee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(here.departement_code, p.commune_signalee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY p.recense_le DESC, p.ref;

-- name: commune_contour
SELECT ST_AsGeoJSON(coalesce(geom_affichage, geom), 5) AS geojson,
       ST_Y(ST_Centroid(coalesce(geom_affichage, geom))) AS lat,
       ST_X(ST_Centroid(coalesce(geom_affichage, geom))) AS lon,
       ST_XMin(coalesce(geom_affichage, geom)) AS xmin, ST_YMin(coalesce(geom_affichage, geom)) AS ymin,
       ST_XMax(coalesce(geom_affichage, geom)) AS xmax, ST_YMax(coalesce(geom_affichage, geom)) AS ymax
FROM commune
WHERE code_insee = CAST(:code AS text) AND coalesce(geom_affichage, geom) IS NOT NULL;
