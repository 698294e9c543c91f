-- Examen by a conservateur: analysis of a recensement, dossier decisions, follow-up of a
-- disparu. Every write checks in its WHERE clause: the row's version (optimistic locking),
-- the user's scope (:departements / :commune) and the user's role (:roles_examen, the roles
-- the rights table lets examine: dashboard.domain.rights).
-- Callers set objets.user_id first (en_tant_que) so that the audit trigger records who.

-- fragment: examen_auteur_autorise
-- Who may examine: an active user (:user_id) whose stored role may (:roles_examen).
  AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = :user_id AND u.actif
              AND u.role::text = ANY (CAST(:roles_examen AS text[])))

-- fragment: examen_dossier_dans_perimetre
-- A dossier d of a commune cm (joined here) in the user's scope.
  AND cm.code_insee = d.commune_code
  AND (CAST(:departements AS text[]) IS NULL OR cm.departement_code = ANY (CAST(:departements AS text[])))
  AND (CAST(:commune AS text) IS NULL OR d.commune_code = CAST(:commune AS text))

-- fragment: dossier_chiffres
-- Select-list columns: the figures of a dossier d from its effective recensements e
-- (LEFT JOIN recensement_effectif e ON e.dossier_id = d.id, grouped by dossier).
count(e.id) AS recensements,
       count(e.id) FILTER (WHERE e.analyse) AS analyses,
       count(e.id) FILTER (WHERE niveau_urgence(e.localisation, e.etat_sanitaire, e.securisation) = 'prioritaire')
           AS prioritaires,
       count(e.id) FILTER (WHERE NOT e.analyse
                           AND niveau_urgence(e.localisation, e.etat_sanitaire, e.securisation) = 'prioritaire')
           AS prioritaires_non_analyses

-- name: en_tant_que
SELECT set_config('objets.user_id', CAST(:user_id AS text), true);

-- name: examen_recensement
SELECT r.id, r.version, r.objet_ref, o.titre, r.statut::text AS statut,
       r.localisation::text AS localisation, r.recensable,
       r.etat_sanitaire::text AS etat_sanitaire, r.securisation::text AS securisation, r.notes,
       r.analyse_etat_sanitaire::text AS analyse_etat_sanitaire,
       r.analyse_securisation::text AS analyse_securisation,
       r.analyse_notes, r.analyse_fiches, r.analyse_le, u.nom AS analyse_par,
       d.id AS dossier_id, d.statut::text AS dossier_statut, d.commune_code
FROM recensement r
JOIN objet o ON o.ref = r.objet_ref
JOIN dossier d ON d.id = r.dossier_id
LEFT JOIN app_user u ON u.id = r.analyse_par
WHERE r.id = :id
  -- include: objet_dans_perimetre

-- name: examen_analyser
-- An override equal to the commune's answer is stored as NULL (the CHECK of migration 0001
-- would refuse it); a non recensable objet has no état nor sécurisation to override.
UPDATE recensement r
SET analyse_etat_sanitaire = CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
                                       AND CAST(:etat AS etat_sanitaire) IS DISTINCT FROM r.etat_sanitaire
                                  THEN CAST(:etat AS etat_sanitaire) END,
    analyse_securisation = CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
                                     AND CAST(:securisation AS securisation) IS DISTINCT FROM r.securisation
                                THEN CAST(:securisation AS securisation) END,
    analyse_notes = CAST(:notes AS text),
    analyse_fiches = CAST(:fiches AS text[]),
    analyse_le = now(),
    analyse_par = :user_id,
    version = r.version + 1
FROM dossier d, objet o
WHERE r.id = :id
  AND r.version = :version
  AND d.id = r.dossier_id AND d.statut = 'submitted'
  AND r.statut = 'completed'
  AND o.ref = r.objet_ref
  -- include: objet_dans_perimetre
  -- include: examen_auteur_autorise
RETURNING r.version;

-- name: examen_dossier
SELECT d.id, d.version, d.statut::text AS statut, d.commune_code, cm.nom AS commune_nom,
       d.submitted_at, d.accepted_at, d.visite::text AS visite, d.notes_commune, d.notes_conservateur,
       u.nom AS conservateur,
       -- include: dossier_chiffres
FROM dossier d
JOIN commune cm ON cm.code_insee = d.commune_code
LEFT JOIN app_user u ON u.id = d.conservateur_id
LEFT JOIN recensement_effectif e ON e.dossier_id = d.id
WHERE d.id = :id
  AND (CAST(:departements AS text[]) IS NULL OR cm.departement_code = ANY (CAST(:departements AS text[])))
  AND (CAST(:commune AS text) IS NULL OR d.commune_code = CAST(:commune AS text))
GROUP BY d.id, cm.nom, u.nom;

-- name: examen_accepter
-- Only a submitted dossier whose prioritaires have all been analysed.
UPDATE dossier d
SET statut = 'accepted', accepted_at = now(), conservateur_id = :user_id, version = d.version + 1
FROM commune cm
WHERE d.id = :id
  AND d.version = :version
  AND d.statut = 'submitted'
  -- include: examen_dossier_dans_perimetre
  -- include: examen_auteur_autorise
  AND NOT EXISTS (
      SELECT 1 FROM recensement_effectif e
      WHERE e.dossier_id = d.id AND NOT e.analyse
        AND niveau_urgence(e.localisation, e.etat_sanitaire, e.securisation) = 'prioritaire')
RETURNING d.version;

-- name: examen_rouvrir
UPDATE dossier d
SET statut = 'submitted', accepted_at = NULL, version = d.version + 1
FROM commune cm
WHERE d.id = :id
  AND d.version = :version
  AND d.statut = 'accepted'
  -- include: examen_dossier_dans_perimetre
  -- include: examen_auteur_autorise
RETURNING d.version;

-- name: examen_dossier_enregistrer
-- Visit wish and the conservateur's notes, on a submitted or accepted dossier.
UPDATE dossier d
SET visite = CAST(:visite AS souhait_visite), notes_conservateur = CAST(:notes AS text),
    conservateur_id = coalesce(d.conservateur_id, :user_id), version = d.version + 1
FROM commune cm
WHERE d.id = :id
  AND d.version = :version
  AND d.statut IN ('submitted', 'accepted')
  -- include: examen_dossier_dans_perimetre
  -- include: examen_auteur_autorise
RETURNING d.version;

-- name: examen_suivi
SELECT s.recensement_id, s.objet_ref, s.plainte_deposee_le, s.plainte_service, s.plainte_reference,
       s.ocbc_signale_le, s.ocbc_reference, s.notes, s.maj_le, u.nom AS maj_par, s.version
FROM suivi_disparition s
JOIN objet o ON o.ref = s.objet_ref
LEFT JOIN app_user u ON u.id = s.maj_par
WHERE s.recensement_id = :recensement_id
  -- include: objet_dans_perimetre

-- name: examen_suivi_enregistrer
-- :version 0 creates the follow-up; otherwise it must still be the stored version.
INSERT INTO suivi_disparition AS s (recensement_id, objet_ref, plainte_deposee_le, plainte_service,
                                    plainte_reference, ocbc_signale_le, ocbc_reference, notes, maj_par)
SELECT r.id, r.objet_ref, CAST(:plainte_deposee_le AS date), CAST(:plainte_service AS text),
       CAST(:plainte_reference AS text), CAST(:ocbc_signale_le AS date), CAST(:ocbc_reference AS text),
       CAST(:notes AS text), :user_id
FROM recensement r
JOIN objet o ON o.ref = r.objet_ref
WHERE r.id = :recensement_id
  AND r.localisation = 'absent'
  -- include: objet_dans_perimetre
  -- include: examen_auteur_autorise
ON CONFLICT (recensement_id) DO UPDATE
SET plainte_deposee_le = excluded.plainte_deposee_le, plainte_service = excluded.plainte_service,
    plainte_reference = excluded.plainte_reference, ocbc_signale_le = excluded.ocbc_signale_le,
    ocbc_reference = excluded.ocbc_reference, notes = excluded.notes, maj_par = excluded.maj_par,
    maj_le = now(), version = s.version + 1
WHERE s.version = :version
RETURNING s.version;

-- name: examen_version_recensement
SELECT r.version, r.analyse_le, u.nom AS analyse_par
FROM recensement r LEFT JOIN app_user u ON u.id = r.analyse_par
WHERE r.id = :id;

-- name: examen_version_dossier
SELECT d.version, d.statut::text AS statut FROM dossier d WHERE d.id = :id;

-- name: examen_version_suivi
SELECT s.version, s.maj_le, u.nom AS maj_par
FROM suivi_disparition s LEFT JOIN app_user u ON u.id = s.maj_par
WHERE s.recensement_id = :recensement_id;
