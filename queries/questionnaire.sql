-- The commune's questionnaire (issue 15): its dossier, its objets and their recensements,
-- the photos. Every write checks in its WHERE clause the user's scope (:departements /
-- :commune, dans_perimetre_utilisateur()), the author's stored role (:roles, the roles the
-- rights table lets answer: dashboard.domain.rights, REPONDRE_QUESTIONNAIRE), the dossier's
-- state ('construction': a submitted dossier is read-only) and, for a recensement, its
-- version (optimistic locking: nothing is silently overwritten). A write that matches no
-- row is explained by a read (dashboard/writes/questionnaire.py). Every table written here
-- bumps data_version (triggers): caches follow at once.

-- name: questionnaire_dossier
-- The commune's current dossier: its latest that is not archived (as commune_statut reads it).
SELECT d.id, d.version, d.statut::text AS statut, d.commune_code, d.campagne_id, ca.nom AS campagne_nom,
       d.created_at, d.submitted_at, d.accepted_at, d.notes_commune, d.notes_conservateur,
       d.visite::text AS visite, u.nom AS conservateur, d.renvoye_le, d.renvoi_motif, ur.nom AS renvoye_par
FROM commune c
JOIN dossier d ON d.commune_code = c.code_insee AND d.statut <> 'archived'
LEFT JOIN campagne ca ON ca.id = d.campagne_id
LEFT JOIN app_user u ON u.id = d.conservateur_id
LEFT JOIN app_user ur ON ur.id = d.renvoye_par
WHERE c.code_insee = CAST(:commune_code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY d.created_at DESC, d.id DESC
LIMIT 1;

-- name: questionnaire_campagne_invitee
-- The ongoing campaign the commune is invited to (the latest launched), if any.
SELECT ca.id, ca.nom, ca.date_fin
FROM campagne_commune cc
JOIN campagne ca ON ca.id = cc.campagne_id
WHERE cc.commune_code = CAST(:commune_code AS text) AND ca.statut = 'ongoing'
ORDER BY ca.date_lancement DESC, ca.id DESC
LIMIT 1;

-- name: questionnaire_verrou_commune
-- Two tabs starting a dossier at once: the second waits here, then sees the first's dossier.
SELECT c.code_insee
FROM commune c
WHERE c.code_insee = CAST(:commune_code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
FOR UPDATE;

-- name: questionnaire_commencer
-- A new dossier, when the commune has none in construction nor awaiting examen; the campaign
-- only one the commune is invited to.
INSERT INTO dossier (commune_code, campagne_id, provenance)
SELECT c.code_insee, CAST(:campagne_id AS integer), 'import'
FROM commune c
WHERE c.code_insee = CAST(:commune_code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
  AND NOT EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = c.code_insee
                  AND d.statut IN ('construction', 'submitted'))
  AND (CAST(:campagne_id AS integer) IS NULL
       OR EXISTS (SELECT 1 FROM campagne_commune cc WHERE cc.campagne_id = CAST(:campagne_id AS integer)
                  AND cc.commune_code = c.code_insee))
RETURNING id, version;

-- name: questionnaire_objets
-- The commune's objets to recense (objet_compte(): the recensement scope of Palissy), by
-- édifice, with their recensement in the dossier (if any) and their current recensement.
SELECT o.ref, o.titre, o.edifice_id, coalesce(e.nom, o.edifice_nom, 'Édifice non renseigné') AS edifice,
       o.emplacement, o.protection::text AS protection,
       r.id AS recensement_id, r.version, r.statut::text AS statut, r.localisation::text AS localisation,
       r.edifice_nom, r.autre_commune_code, ac.nom AS autre_commune_nom, r.recensable,
       r.etat_sanitaire::text AS etat_sanitaire, r.securisation::text AS securisation,
       r.confirmation_sans_photo, r.notes, r.nb_photos, r.etape,
       r.analyse_etat_sanitaire::text AS analyse_etat_sanitaire, r.analyse_notes, r.analyse_fiches, r.analyse_le,
       rc.id AS precedent_id, rc.recense_le AS precedent_le, rc.etat_sanitaire::text AS precedent_etat
FROM objet o
LEFT JOIN edifice e ON e.id = o.edifice_id
LEFT JOIN recensement r ON r.dossier_id = CAST(:dossier_id AS integer) AND r.objet_ref = o.ref
                       AND r.statut <> 'deleted'
LEFT JOIN commune ac ON ac.code_insee = r.autre_commune_code
LEFT JOIN recensement_courant rc ON rc.objet_ref = o.ref AND rc.dossier_id IS DISTINCT FROM CAST(:dossier_id AS integer)
WHERE o.commune_code = CAST(:commune_code AS text)
  AND objet_compte(o.dans_perimetre, o.retire_le)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY 4, o.titre, o.ref;

-- name: questionnaire_recensement
-- One recensement as the writes check it.
SELECT r.id, r.version, r.statut::text AS statut, r.objet_ref, r.dossier_id, r.localisation::text AS localisation,
       r.edifice_nom, r.autre_commune_code, r.recensable, r.etat_sanitaire::text AS etat_sanitaire,
       r.securisation::text AS securisation, r.confirmation_sans_photo, r.notes, r.nb_photos, r.etape,
       d.statut::text AS dossier_statut, d.commune_code
FROM recensement r
JOIN dossier d ON d.id = r.dossier_id
JOIN objet o ON o.ref = r.objet_ref
WHERE r.id = CAST(:id AS integer)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text));

-- name: questionnaire_commune
SELECT c.code_insee, c.nom, c.departement_code
FROM commune c
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text));

-- name: questionnaire_commune_existe
SELECT c.code_insee, c.nom FROM commune c WHERE c.code_insee = CAST(:code AS text);

-- name: questionnaire_recensement_creer
-- The first step of an objet: its recensement in the dossier (one live per objet: a second
-- tab's insert meets the unique index and returns nothing).
INSERT INTO recensement (objet_ref, dossier_id, statut, localisation, edifice_nom, autre_commune_code, recensable,
                         etat_sanitaire, securisation, notes, confirmation_sans_photo, etape, recense_le)
SELECT o.ref, d.id,
       CASE WHEN CAST(:complet AS boolean) THEN 'completed' ELSE 'draft' END::recensement_statut,
       CAST(:localisation AS localisation), CAST(:edifice_nom AS text), CAST(:autre_commune_code AS text),
       CAST(:recensable AS boolean), CAST(:etat_sanitaire AS etat_sanitaire), CAST(:securisation AS securisation),
       CAST(:notes AS text), coalesce(CAST(:confirmation_sans_photo AS boolean), false), CAST(:etape AS text),
       CASE WHEN CAST(:complet AS boolean) THEN now() END
FROM dossier d
JOIN objet o ON o.ref = CAST(:objet_ref AS text) AND o.commune_code = d.commune_code
WHERE d.id = CAST(:dossier_id AS integer)
  AND d.statut = 'construction'
  AND objet_compte(o.dans_perimetre, o.retire_le)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
ON CONFLICT (dossier_id, objet_ref) WHERE statut <> 'deleted' DO NOTHING
RETURNING id, version;

-- name: questionnaire_recensement_enregistrer
-- One step saved: every answer column (dashboard.domain.questionnaire.colonnes). A
-- conservateur's override that the new answer now equals is dropped (the CHECKs of 0001),
-- and the dépôt de plainte fiche of an objet no longer introuvable (0003).
UPDATE recensement r
SET statut = CASE WHEN CAST(:complet AS boolean) THEN 'completed' ELSE 'draft' END::recensement_statut,
    localisation = CAST(:localisation AS localisation),
    edifice_nom = CAST(:edifice_nom AS text),
    autre_commune_code = CAST(:autre_commune_code AS text),
    recensable = CAST(:recensable AS boolean),
    etat_sanitaire = CAST(:etat_sanitaire AS etat_sanitaire),
    securisation = CAST(:securisation AS securisation),
    notes = CAST(:notes AS text),
    confirmation_sans_photo = coalesce(CAST(:confirmation_sans_photo AS boolean), false),
    etape = CAST(:etape AS text),
    recense_le = CASE WHEN CAST(:complet AS boolean) THEN now() END,
    analyse_etat_sanitaire = CASE WHEN r.analyse_etat_sanitaire IS DISTINCT FROM CAST(:etat_sanitaire AS etat_sanitaire)
                                  THEN r.analyse_etat_sanitaire END,
    analyse_securisation = CASE WHEN r.analyse_securisation IS DISTINCT FROM CAST(:securisation AS securisation)
                                THEN r.analyse_securisation END,
    analyse_fiches = CASE WHEN CAST(:localisation AS localisation) = 'absent' THEN r.analyse_fiches
                          ELSE array_remove(r.analyse_fiches, 'depot_plainte') END,
    updated_at = now(),
    version = r.version + 1
FROM dossier d, objet o
WHERE r.id = CAST(:id AS integer)
  AND r.version = CAST(:version AS integer)
  AND r.statut <> 'deleted'
  AND d.id = r.dossier_id AND d.statut = 'construction'
  AND o.ref = r.objet_ref
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING r.version;

-- name: questionnaire_photo_ajouter
-- A photo's row, once both copies are written; nothing when the recensement cannot take
-- one (submitted dossier, introuvable or non recensable objet, out of scope, PHOTOS_MAX
-- reached) or already holds this very file (the partial unique index on the fingerprint).
INSERT INTO recensement_photo (recensement_id, rang, cle_grande, cle_vignette, largeur, hauteur, vignette_largeur,
                               vignette_hauteur, format_origine, octets_origine, empreinte, auteur_id)
SELECT r.id,
       coalesce((SELECT max(p.rang) FROM recensement_photo p WHERE p.recensement_id = r.id), 0) + 1,
       CAST(:cle_grande AS text), CAST(:cle_vignette AS text), CAST(:largeur AS integer), CAST(:hauteur AS integer),
       CAST(:vignette_largeur AS integer), CAST(:vignette_hauteur AS integer), CAST(:format_origine AS text),
       CAST(:octets_origine AS integer), CAST(:empreinte AS text), CAST(:user_id AS integer)
FROM recensement r
JOIN dossier d ON d.id = r.dossier_id
JOIN objet o ON o.ref = r.objet_ref
WHERE r.id = CAST(:recensement_id AS integer)
  AND r.statut <> 'deleted'
  AND d.statut = 'construction'
  AND r.localisation IS DISTINCT FROM 'absent' AND r.recensable IS NOT FALSE
  AND (SELECT count(*) FROM recensement_photo p WHERE p.recensement_id = r.id AND p.deleted_at IS NULL)
      < CAST(:photos_max AS integer)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
ON CONFLICT (recensement_id, empreinte) WHERE deleted_at IS NULL DO NOTHING
RETURNING id;

-- name: questionnaire_photo_supprimer
-- A photo removed (deleted_at); its keys, for the copies to be removed after the commit.
UPDATE recensement_photo p
SET deleted_at = now()
FROM recensement r, dossier d, objet o
WHERE p.id = CAST(:photo_id AS integer)
  AND p.deleted_at IS NULL
  AND r.id = p.recensement_id
  AND d.id = r.dossier_id AND d.statut = 'construction'
  AND o.ref = r.objet_ref
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING p.recensement_id, p.cle_grande, p.cle_vignette;

-- name: questionnaire_photos_retirer_toutes
-- A recensement that became non recensable or introuvable keeps no photo (domain.md).
UPDATE recensement_photo p
SET deleted_at = now()
WHERE p.recensement_id = CAST(:recensement_id AS integer) AND p.deleted_at IS NULL
RETURNING p.cle_grande, p.cle_vignette;

-- name: questionnaire_photos_compter
-- recensement.nb_photos follows the live photos; a completed recensement that lost its last
-- photo without the "no photo" confirmation is a draft again.
UPDATE recensement r
SET nb_photos = n.nb,
    confirmation_sans_photo = r.confirmation_sans_photo AND n.nb = 0,
    statut = CASE WHEN r.statut = 'completed' AND n.nb = 0 AND r.recensable AND NOT r.confirmation_sans_photo
                  THEN 'draft' ELSE r.statut END::recensement_statut,
    recense_le = CASE WHEN r.statut = 'completed' AND n.nb = 0 AND r.recensable AND NOT r.confirmation_sans_photo
                      THEN NULL ELSE r.recense_le END,
    updated_at = now(),
    version = r.version + 1
FROM (SELECT count(*) AS nb FROM recensement_photo p
      WHERE p.recensement_id = CAST(:recensement_id AS integer) AND p.deleted_at IS NULL) n
WHERE r.id = CAST(:recensement_id AS integer)
RETURNING r.version, r.nb_photos;

-- name: questionnaire_photos
-- The live photos of some recensements, in the user's scope.
SELECT p.id, p.recensement_id, p.rang, p.cle_grande, p.cle_vignette, p.largeur, p.hauteur, p.created_at
FROM recensement_photo p
JOIN recensement r ON r.id = p.recensement_id
JOIN objet o ON o.ref = r.objet_ref
WHERE p.recensement_id = ANY (CAST(:ids AS integer[]))
  AND p.deleted_at IS NULL
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY p.recensement_id, p.rang, p.id;

-- name: questionnaire_photos_objet
-- The photos of an objet's recensements that count (submitted dossiers), latest first: /objet.
SELECT p.id, p.recensement_id, p.cle_grande, p.cle_vignette, p.largeur, p.hauteur, e.recense_le
FROM recensement_effectif e
JOIN recensement_photo p ON p.recensement_id = e.id AND p.deleted_at IS NULL
JOIN objet o ON o.ref = e.objet_ref
WHERE e.objet_ref = CAST(:ref AS text)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY e.recense_le DESC, p.rang, p.id
LIMIT 60;

-- name: questionnaire_photos_commune
-- The photos of the current recensements of a commune's objets: /commune.
SELECT p.id, p.recensement_id, o.ref, o.titre, p.cle_grande, p.cle_vignette, p.largeur, p.hauteur, c.recense_le
FROM objet o
JOIN recensement_courant c ON c.objet_ref = o.ref
JOIN recensement_photo p ON p.recensement_id = c.id AND p.deleted_at IS NULL
WHERE o.commune_code = CAST(:code AS text)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY o.titre, o.ref, p.rang, p.id
LIMIT 200;

-- name: questionnaire_soumettre
-- The dossier submitted, when every objet to recense has a completed recensement in it.
UPDATE dossier d
SET statut = 'submitted', submitted_at = now(), notes_commune = CAST(:notes AS text),
    recenseur = CAST(:recenseur AS text), version = d.version + 1
FROM commune c
WHERE d.id = CAST(:id AS integer)
  AND d.version = CAST(:version AS integer)
  AND d.statut = 'construction'
  AND c.code_insee = d.commune_code
  AND dans_perimetre_utilisateur(c.departement_code, d.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
  AND EXISTS (SELECT 1 FROM recensement r WHERE r.dossier_id = d.id AND r.statut = 'completed')
  AND NOT EXISTS (SELECT 1 FROM objet o
                  WHERE o.commune_code = d.commune_code AND objet_compte(o.dans_perimetre, o.retire_le)
                    AND NOT EXISTS (SELECT 1 FROM recensement r WHERE r.dossier_id = d.id
                                    AND r.objet_ref = o.ref AND r.statut = 'completed'))
RETURNING d.version;

-- name: questionnaire_avancement
-- How far a dossier is: objets to recense, and those with a completed recensement.
SELECT count(*) AS objets,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM recensement r WHERE r.dossier_id = d.id
                                      AND r.objet_ref = o.ref AND r.statut = 'completed')) AS completes
FROM dossier d
JOIN objet o ON o.commune_code = d.commune_code AND objet_compte(o.dans_perimetre, o.retire_le)
WHERE d.id = CAST(:id AS integer);

-- name: questionnaire_version_dossier
SELECT d.version, d.statut::text AS statut, d.commune_code FROM dossier d WHERE d.id = CAST(:id AS integer);

-- name: questionnaire_cles_vivantes
-- Which of these storage keys a live photo still names (the purge of orphaned copies keeps them).
SELECT k.cle
FROM unnest(CAST(:cles AS text[])) AS k(cle)
WHERE EXISTS (SELECT 1 FROM recensement_photo p
              WHERE p.deleted_at IS NULL AND (p.cle_grande = k.cle OR p.cle_vignette = k.cle));
