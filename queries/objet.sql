-- /objet?ref=REF: Palissy fields, current situation, recensement history, follow-up of a disparu.
-- :voit_securisation false hides the sécurisation answers (sensitive, see dashboard/urgences.py).

-- name: objet_existe
SELECT EXISTS (SELECT 1 FROM objet WHERE ref = CAST(:ref AS text));

-- name: objet_fiche
SELECT o.ref, o.titre, o.denomination, o.categorie, o.siecle, o.protection::text AS protection,
       o.protection_brute, o.dpro, o.protection_date, o.statut_proprietaire, o.proprietaire::text AS proprietaire,
       o.insee_brut, o.commune_code, cm.nom AS commune_nom, o.departement_code, dp.nom AS departement_nom,
       coalesce(e.nom, o.edifice_nom) AS edifice, o.emplacement, o.ref_merimee, o.manquant, o.deplacement,
       o.dossier_type, o.denq, o.etat_pop, o.dans_perimetre, o.hors_perimetre_raison, o.retire_le,
       s.recensement_id, s.recense_le, s.localisation::text AS localisation,
       s.etat_sanitaire::text AS etat_sanitaire,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN s.securisation::text END AS securisation,
       s.disparu, s.recense_5_ans, s.manquant_pop, s.analyse,
       niveau_urgence(s.localisation, s.etat_sanitaire,
                      CASE WHEN CAST(:voit_securisation AS boolean) THEN s.securisation END) AS urgence
FROM objet_situation s
JOIN objet o ON o.ref = s.ref
LEFT JOIN commune cm ON cm.code_insee = o.commune_code
LEFT JOIN departement dp ON dp.code = o.departement_code
LEFT JOIN edifice e ON e.id = o.edifice_id
WHERE s.ref = CAST(:ref AS text)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))

-- name: objet_recensements
-- Every recensement that counts (recensement_effectif), newest first: the commune's
-- answers, the conservateur's overrides and the resulting values.
SELECT e.id, e.recense_le, e.dossier_id, d.statut::text AS dossier_statut,
       e.localisation::text AS localisation, r.edifice_nom, e.autre_commune_code, ac.nom AS autre_commune_nom,
       e.recensable, r.etat_sanitaire::text AS etat_commune,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN r.securisation::text END AS securisation_commune,
       r.analyse_etat_sanitaire::text AS etat_conservateur,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN r.analyse_securisation::text END AS securisation_conservateur,
       e.etat_sanitaire::text AS etat_retenu,
       CASE WHEN CAST(:voit_securisation AS boolean) THEN e.securisation::text END AS securisation_retenue,
       r.notes, r.nb_photos, r.confirmation_sans_photo,
       e.analyse, r.analyse_le, u.nom AS analyse_par, r.analyse_notes, r.analyse_fiches, r.version
FROM recensement_effectif e
JOIN recensement r ON r.id = e.id
JOIN dossier d ON d.id = e.dossier_id
JOIN objet o ON o.ref = e.objet_ref
LEFT JOIN commune ac ON ac.code_insee = e.autre_commune_code
LEFT JOIN app_user u ON u.id = r.analyse_par
WHERE e.objet_ref = CAST(:ref AS text)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY e.recense_le DESC, e.id DESC;

-- name: objet_suivis
SELECT s.recensement_id, s.plainte_deposee_le, s.plainte_service, s.plainte_reference,
       s.ocbc_signale_le, s.ocbc_reference, s.notes, s.maj_le, u.nom AS maj_par, s.version
FROM suivi_disparition s
JOIN objet o ON o.ref = s.objet_ref
LEFT JOIN app_user u ON u.id = s.maj_par
WHERE s.objet_ref = CAST(:ref AS text)
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY s.recensement_id DESC;
