-- Déploiement (issue 14): the figures of each commune that the priority score reads
-- (dashboard/domain/priorite.py), and the contacts recorded with communes (contact_commune).
-- Every statement takes the user's scope (:departements, :commune); the writes check the
-- author's stored role too (auteur_autorise(), :roles from the rights table).

-- name: deploiement_communes
-- One row per commune holding counted objets, in the scope and the view's territory
-- (:region, :departement; NULL: the whole scope): the inputs of the score (classés never
-- recensed, objets in péril or disparus at their current recensement or marked stolen or
-- missing in POP, the year of the latest recensement or POP récolement, whether the
-- commune ever had a dossier, objets and population), what the filters read (EPCI,
-- contacted, in an active campaign) and how to reach the mairie (courriel_de_la_commune():
-- the address a conservateur set wins). One pass over the objets, grouped by commune.
WITH o AS (
    SELECT s.commune_code,
           count(*) AS objets,
           count(*) FILTER (WHERE s.protection = 'classe') AS classes,
           count(*) FILTER (WHERE s.protection = 'classe' AND s.recensement_id IS NULL) AS classes_jamais_recenses,
           count(*) FILTER (WHERE s.etat_sanitaire = 'peril' OR s.disparu OR s.manquant_pop) AS peril_ou_disparus,
           max(s.recense_le) AS dernier_recensement,
           -- DENQ: the year of the last récolement noted in POP (the last year written in it).
           max(CAST((regexp_match(s.denq, '.*([12][0-9][0-9][0-9])'))[1] AS integer)) AS annee_recolement_pop
    FROM objet_situation s
    LEFT JOIN departement dp ON dp.code = s.departement_code
    WHERE s.compte AND s.commune_code IS NOT NULL
      AND dans_perimetre_utilisateur(s.departement_code, s.commune_code,
                                     CAST(:departements AS text[]), CAST(:commune AS text))
      AND dans_le_territoire(dp.region_code, s.departement_code, CAST(:region AS text), CAST(:departement AS text))
    GROUP BY s.commune_code
)
SELECT c.code_insee AS code, c.nom, c.departement_code AS departement, dp.nom AS departement_nom,
       dp.region_code AS region, c.epci_code AS epci, ep.nom AS epci_nom, c.population,
       o.objets, o.classes, o.classes_jamais_recenses, o.peril_ou_disparus,
       CAST(o.dernier_recensement AT TIME ZONE 'Europe/Paris' AS date) AS dernier_recensement,
       o.annee_recolement_pop,
       greatest(CAST(extract(year FROM o.dernier_recensement AT TIME ZONE 'Europe/Paris') AS integer),
                o.annee_recolement_pop) AS derniere_annee,
       EXISTS (SELECT 1 FROM dossier d WHERE d.commune_code = c.code_insee) AS a_un_dossier,
       c.code_insee IN (SELECT k.commune_code FROM commune_contactee k) AS contactee,
       EXISTS (SELECT 1 FROM campagne_commune cc JOIN campagne ca ON ca.id = cc.campagne_id
               WHERE cc.commune_code = c.code_insee AND campagne_active(ca.statut)) AS en_campagne_active,
       courriel_de_la_commune(ct.email, c.mairie_email) AS courriel,
       ct.email IS NOT NULL AS courriel_enregistre,
       nullif(btrim(c.mairie_telephone), '') AS telephone,
       nullif(btrim(c.mairie_adresse), '') AS adresse,
       dern.contacte_le AS dernier_contact_le, CAST(dern.resultat AS text) AS dernier_resultat,
       dern.rappeler_le
FROM o
JOIN commune c ON c.code_insee = o.commune_code
LEFT JOIN departement dp ON dp.code = c.departement_code
LEFT JOIN epci ep ON ep.code = c.epci_code
LEFT JOIN commune_contact ct ON ct.commune_code = c.code_insee
LEFT JOIN LATERAL (SELECT k.contacte_le, k.resultat, k.rappeler_le FROM contact_commune k
                   WHERE k.commune_code = c.code_insee
                   ORDER BY k.contacte_le DESC, k.id DESC LIMIT 1) dern ON true
ORDER BY c.code_insee;

-- name: suivi_historique
-- A commune's contacts, the latest first.
SELECT k.id, k.contacte_le, CAST(k.canal AS text) AS canal, CAST(k.resultat AS text) AS resultat, k.interlocuteur,
       k.courriel, k.prochaine_etape, k.rappeler_le, k.note, a.nom AS auteur, k.cree_le, m.nom AS modifie_par,
       k.modifie_le, k.version
FROM contact_commune k
JOIN commune c ON c.code_insee = k.commune_code
LEFT JOIN app_user a ON a.id = k.auteur_id
LEFT JOIN app_user m ON m.id = k.modifie_par
WHERE k.commune_code = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY k.contacte_le DESC, k.id DESC;

-- name: suivi_a_rappeler
-- The communes to call back: those whose latest contact gives a date to call back (a later
-- contact, the call back itself, replaces it), by that date; :departement and :jusqu_a
-- (NULL: no limit) narrow the list.
SELECT dern.rappeler_le, c.code_insee AS code, c.nom, c.departement_code AS departement,
       dern.contacte_le, CAST(dern.canal AS text) AS canal, CAST(dern.resultat AS text) AS resultat,
       dern.interlocuteur, dern.courriel AS courriel_interlocuteur, dern.prochaine_etape, a.nom AS auteur,
       courriel_de_la_commune(ct.email, c.mairie_email) AS courriel, nullif(btrim(c.mairie_telephone), '') AS telephone
FROM (SELECT DISTINCT ON (k.commune_code) k.*
      FROM contact_commune k
      ORDER BY k.commune_code, k.contacte_le DESC, k.id DESC) dern
JOIN commune c ON c.code_insee = dern.commune_code
LEFT JOIN app_user a ON a.id = dern.auteur_id
LEFT JOIN commune_contact ct ON ct.commune_code = c.code_insee
WHERE dern.rappeler_le IS NOT NULL
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND (CAST(:departement AS text) IS NULL OR c.departement_code = CAST(:departement AS text))
  AND (CAST(:jusqu_a AS date) IS NULL OR dern.rappeler_le <= CAST(:jusqu_a AS date))
ORDER BY dern.rappeler_le, c.nom, c.code_insee;

-- name: suivi_ajouter
-- A new contact: a new row, never a change to another one. Only for a commune of the scope,
-- by an author whose stored role may (:roles).
INSERT INTO contact_commune (commune_code, contacte_le, canal, resultat, interlocuteur, courriel, prochaine_etape,
                             rappeler_le, note, auteur_id)
SELECT c.code_insee, :contacte_le, CAST(:canal AS canal_contact), CAST(:resultat AS resultat_contact),
       :interlocuteur, :courriel, :prochaine_etape, :rappeler_le, :note, :user_id
FROM commune c
WHERE c.code_insee = CAST(:code AS text)
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING id, version;

-- name: suivi_modifier
-- A correction of a contact: only the version the author read (a concurrent correction makes
-- it match nothing: refused, not overwritten).
UPDATE contact_commune k
SET contacte_le = :contacte_le, canal = CAST(:canal AS canal_contact), resultat = CAST(:resultat AS resultat_contact),
    interlocuteur = :interlocuteur, courriel = :courriel, prochaine_etape = :prochaine_etape,
    rappeler_le = :rappeler_le, note = :note, modifie_par = :user_id, modifie_le = now(), version = k.version + 1
FROM commune c
WHERE k.id = :id AND k.version = :version AND c.code_insee = k.commune_code
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING k.version;

-- name: suivi_contact
-- One contact of the scope, to explain a refused correction.
SELECT k.id, k.version, coalesce(m.nom, a.nom) AS par
FROM contact_commune k
JOIN commune c ON c.code_insee = k.commune_code
LEFT JOIN app_user a ON a.id = k.auteur_id
LEFT JOIN app_user m ON m.id = k.modifie_par
WHERE k.id = :id
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text));
