-- Examen by a conservateur: analysis of a recensement, dossier decisions, follow-up of a
-- disparu. Every write checks in its WHERE clause: the row's version (optimistic locking),
-- the user's scope (:departements / :commune) and the user's role (:roles_examen, the roles
-- the rights table lets examine: dashboard.domain.rights).
-- Callers set objets.user_id first (en_tant_que) so that the audit trigger records who.

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
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))

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
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles_examen AS text[]))
RETURNING r.version;

-- name: examen_dossier
SELECT d.id, d.version, d.statut::text AS statut, d.commune_code, cm.nom AS commune_nom,
       d.submitted_at, d.accepted_at, d.visite::text AS visite, d.notes_commune, d.notes_conservateur,
       u.nom AS conservateur,
       ch.recensements, ch.analyses, ch.prioritaires, ch.prioritaires_non_analyses
FROM dossier d
JOIN commune cm ON cm.code_insee = d.commune_code
LEFT JOIN app_user u ON u.id = d.conservateur_id
CROSS JOIN LATERAL dossier_chiffres(d.id) ch
WHERE d.id = :id
  AND dans_perimetre_utilisateur(cm.departement_code, d.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text));

-- name: examen_accepter
-- Only a submitted dossier whose prioritaires have all been analysed.
UPDATE dossier d
SET statut = 'accepted', accepted_at = now(), conservateur_id = :user_id, version = d.version + 1
FROM commune cm
WHERE d.id = :id
  AND d.version = :version
  AND d.statut = 'submitted'
  AND cm.code_insee = d.commune_code
  AND dans_perimetre_utilisateur(cm.departement_code, d.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles_examen AS text[]))
  AND (SELECT ch.prioritaires_non_analyses FROM dossier_chiffres(d.id) ch) = 0
RETURNING d.version;

-- name: examen_rouvrir
UPDATE dossier d
SET statut = 'submitted', accepted_at = NULL, version = d.version + 1
FROM commune cm
WHERE d.id = :id
  AND d.version = :version
  AND d.statut = 'accepted'
  AND cm.code_insee = d.commune_code
  AND dans_perimetre_utilisateur(cm.departement_code, d.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles_examen AS text[]))
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
  AND cm.code_insee = d.commune_code
  AND dans_perimetre_utilisateur(cm.departement_code, d.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles_examen AS text[]))
RETURNING d.version;

-- name: examen_suivi
SELECT s.recensement_id, s.objet_ref, s.plainte_deposee_le, s.plainte_service, s.plainte_reference,
       s.ocbc_signale_le, s.ocbc_reference, s.notes, s.maj_le, u.nom AS maj_par, s.version
FROM suivi_disparition s
JOIN objet o ON o.ref = s.objet_ref
LEFT JOIN app_user u ON u.id = s.maj_par
WHERE s.recensement_id = :recensement_id
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))

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
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles_examen AS text[]))
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

-- name: dossiers_a_examiner_liste
-- The inbox (/a-examiner): the submitted dossiers of the scope, those that hold a
-- prioritaire first, then the oldest transmitted first; with their figures
-- (dossier_chiffres) and where their examen stands. As many rows as the home page's count
-- (queries/accueil.sql, dossiers_a_examiner).
SELECT d.id, d.commune_code, c.nom AS commune_nom, c.departement_code, dp.nom AS departement_nom,
       d.submitted_at, d.visite::text AS visite, d.notes_commune IS NOT NULL AS notes_commune,
       ch.recensements, ch.analyses, ch.prioritaires, ch.prioritaires_non_analyses
FROM dossier d
JOIN commune c ON c.code_insee = d.commune_code
LEFT JOIN departement dp ON dp.code = c.departement_code
CROSS JOIN LATERAL dossier_chiffres(d.id) ch
WHERE d.statut = 'submitted'
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY ch.prioritaires > 0 DESC, d.submitted_at, d.id;

-- name: examen_compte_rendu_dossier
-- What the message to the mairie says of an accepted dossier (dashboard.domain.compte_rendu),
-- read in the acceptance's transaction.
SELECT d.id, d.commune_code, c.nom AS commune_nom, d.submitted_at, d.accepted_at, d.notes_conservateur,
       d.visite::text AS visite
FROM dossier d
JOIN commune c ON c.code_insee = d.commune_code
WHERE d.id = :id;

-- name: examen_compte_rendu_objets
-- The effective recensements of the dossier with the conservateur's examen (not the
-- sécurisation: it never travels in a message).
SELECT r.objet_ref AS ref, o.titre, r.localisation::text AS localisation,
       r.etat_sanitaire::text AS etat_commune, r.analyse_etat_sanitaire::text AS etat_conservateur,
       r.analyse_notes AS notes, r.analyse_fiches AS fiches
FROM recensement_effectif e
JOIN recensement r ON r.id = e.id
JOIN objet o ON o.ref = r.objet_ref
WHERE e.dossier_id = :id
ORDER BY o.titre, r.objet_ref;

-- name: examen_renvoyer
-- A submitted dossier sent back to its commune (issue 15): in construction again, so the
-- commune can correct it; its recensements stop counting (recensement_effectif reads
-- submitted_at) until it is submitted again. When, by whom and why are kept for the commune.
UPDATE dossier d
SET statut = 'construction', submitted_at = NULL, renvoye_le = now(), renvoye_par = :user_id,
    renvoi_motif = CAST(:motif AS text), version = d.version + 1
FROM commune cm
WHERE d.id = :id
  AND d.version = :version
  AND d.statut = 'submitted'
  AND cm.code_insee = d.commune_code
  AND dans_perimetre_utilisateur(cm.departement_code, d.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles_examen AS text[]))
RETURNING d.version;
