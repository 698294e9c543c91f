-- Campaigns (issue 14): their list and progress, one campaign's communes, the writes of
-- /communes-a-contacter and /campagnes, and what `objets campagnes` reads and writes.
-- A campaign belongs to a département: a user sees those of the départements of their
-- scope (a commune's user none). Answered = the commune has a dossier of the campaign
-- (dossier.campagne_id): started; transmitted when submitted; accepted (dossier_accepte()).

-- name: campagnes_avancement
-- The campaigns of the scope and the view's territory (:region, :departement: NULL, the
-- whole scope), of the statuses :statuts (NULL: all) ending on or after :depuis (NULL: any),
-- with their communes: in the list, invited (the invitation sent), reminded, started,
-- transmitted, accepted.
WITH reponses AS (
    SELECT d.campagne_id, d.commune_code,
           bool_or(d.submitted_at IS NOT NULL) AS transmis,
           bool_or(dossier_accepte(d.accepted_at)) AS accepte
    FROM dossier d
    WHERE d.campagne_id IS NOT NULL
    GROUP BY 1, 2
), relancees AS (
    SELECT DISTINCT r.campagne_id, r.commune_code FROM campagne_relance r
)
SELECT ca.id, ca.nom, ca.departement_code AS departement, dp.nom AS departement_nom, CAST(ca.statut AS text) AS statut,
       ca.date_lancement, ca.date_relance_1, ca.date_relance_2, ca.date_relance_3, ca.date_fin, ca.version,
       count(cc.commune_code) AS communes,
       count(cc.invitee_le) AS invitees,
       count(rl.commune_code) AS relancees,
       count(r.commune_code) AS commencees,
       count(r.commune_code) FILTER (WHERE r.transmis) AS transmises,
       count(r.commune_code) FILTER (WHERE r.accepte) AS acceptees
FROM campagne ca
JOIN departement dp ON dp.code = ca.departement_code
LEFT JOIN campagne_commune cc ON cc.campagne_id = ca.id
LEFT JOIN reponses r ON r.campagne_id = cc.campagne_id AND r.commune_code = cc.commune_code
LEFT JOIN relancees rl ON rl.campagne_id = cc.campagne_id AND rl.commune_code = cc.commune_code
WHERE dans_perimetre_utilisateur(ca.departement_code, NULL, CAST(:departements AS text[]), CAST(:commune AS text))
  AND dans_le_territoire(dp.region_code, ca.departement_code, CAST(:region AS text), CAST(:departement AS text))
  AND (CAST(:statuts AS text[]) IS NULL OR CAST(ca.statut AS text) = ANY (CAST(:statuts AS text[])))
  AND (CAST(:depuis AS date) IS NULL OR ca.date_fin >= CAST(:depuis AS date))
GROUP BY ca.id, dp.nom
ORDER BY ca.departement_code, ca.date_lancement DESC, ca.id DESC;

-- name: campagne_communes
-- One campaign's communes: invited when, reminders sent, the dossier of the campaign (its
-- latest), where a message to it goes (courriel_de_la_commune()).
SELECT cc.commune_code AS code, c.nom, cc.invitee_le,
       (SELECT string_agg(CAST(r.numero AS text) || ' (' || to_char(r.envoyee_le, 'DD/MM/YYYY') || ')', ', '
                          ORDER BY r.numero)
        FROM campagne_relance r WHERE r.campagne_id = cc.campagne_id AND r.commune_code = cc.commune_code) AS relances,
       rep.statut AS dossier_statut, coalesce(rep.transmis, false) AS transmis, coalesce(rep.accepte, false) AS accepte,
       courriel_de_la_commune(ct.email, c.mairie_email) AS courriel
FROM campagne_commune cc
JOIN campagne ca ON ca.id = cc.campagne_id
JOIN commune c ON c.code_insee = cc.commune_code
LEFT JOIN commune_contact ct ON ct.commune_code = c.code_insee
LEFT JOIN LATERAL (SELECT CAST(d.statut AS text) AS statut, d.submitted_at IS NOT NULL AS transmis,
                          dossier_accepte(d.accepted_at) AS accepte
                   FROM dossier d WHERE d.campagne_id = cc.campagne_id AND d.commune_code = cc.commune_code
                   ORDER BY d.created_at DESC, d.id DESC LIMIT 1) rep ON true
WHERE cc.campagne_id = :id
  AND dans_perimetre_utilisateur(ca.departement_code, NULL, CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY c.nom, cc.commune_code;

-- name: campagnes_chevauchantes
-- The active campaigns of a département whose dates share a day with [:lancement, :fin],
-- other than :sauf (what a refused campaign overlaps, for its message).
SELECT ca.id, ca.nom, CAST(ca.statut AS text) AS statut, ca.date_lancement, ca.date_fin
FROM campagne ca
WHERE ca.departement_code = CAST(:departement AS text)
  AND campagne_active(ca.statut)
  AND daterange(ca.date_lancement, ca.date_fin, '[]') && daterange(CAST(:lancement AS date), CAST(:fin AS date), '[]')
  AND ca.id <> coalesce(CAST(:sauf AS integer), -1)
ORDER BY ca.date_lancement;

-- name: campagne_creer
INSERT INTO campagne (departement_code, nom, statut, date_lancement, date_relance_1, date_relance_2, date_relance_3,
                      date_fin, provenance, cree_par, cree_le)
SELECT d.code, :nom, CAST(:statut AS campagne_statut), :lancement, :relance_1, :relance_2, :relance_3, :fin,
       'application', :user_id, now()
FROM departement d
WHERE d.code = CAST(:departement AS text)
  AND dans_perimetre_utilisateur(d.code, NULL, CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING id, version;

-- name: campagne_ajouter_communes
-- Communes of the campaign's département and of the scope, to a campaign not finished; those
-- already in it are left as they are. Returns the codes added.
INSERT INTO campagne_commune (campagne_id, commune_code)
SELECT ca.id, c.code_insee
FROM campagne ca
JOIN commune c ON c.departement_code = ca.departement_code
WHERE ca.id = :id AND c.code_insee = ANY (CAST(:codes AS text[])) AND ca.statut <> 'finished'
  AND dans_perimetre_utilisateur(c.departement_code, c.code_insee,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
ON CONFLICT DO NOTHING
RETURNING commune_code;

-- name: campagne_changer_statut
-- A user's change of status (:de -> :vers), on the version they read.
UPDATE campagne ca SET statut = CAST(:vers AS campagne_statut), version = ca.version + 1
WHERE ca.id = :id AND ca.version = :version AND ca.statut = CAST(:de AS campagne_statut)
  AND dans_perimetre_utilisateur(ca.departement_code, NULL, CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING ca.version;

-- name: campagne_modifier
-- The name and dates of a campaign still in draft or planned, on the version the user read.
UPDATE campagne ca
SET nom = :nom, date_lancement = :lancement, date_relance_1 = :relance_1, date_relance_2 = :relance_2,
    date_relance_3 = :relance_3, date_fin = :fin, version = ca.version + 1
WHERE ca.id = :id AND ca.version = :version AND CAST(ca.statut AS text) = ANY (CAST(:modifiables AS text[]))
  AND dans_perimetre_utilisateur(ca.departement_code, NULL, CAST(:departements AS text[]), CAST(:commune AS text))
  AND auteur_autorise(CAST(:user_id AS integer), CAST(:roles AS text[]))
RETURNING ca.version;

-- name: campagne_lire
-- One campaign of the scope (to explain a refused write, and the page's header).
SELECT ca.id, ca.nom, ca.departement_code AS departement, CAST(ca.statut AS text) AS statut, ca.date_lancement,
       ca.date_relance_1, ca.date_relance_2, ca.date_relance_3, ca.date_fin, ca.version
FROM campagne ca
WHERE ca.id = :id
  AND dans_perimetre_utilisateur(ca.departement_code, NULL, CAST(:departements AS text[]), CAST(:commune AS text));

-- --- `objets campagnes` (dashboard/ops/campagnes.py): every département, no user ---------

-- name: campagnes_verrou
-- One run at a time, whichever machine runs it: a second run waits here until the first
-- commits, then finds its records and has nothing left to send.
SELECT pg_advisory_xact_lock(hashtext('objets campagnes'));

-- name: campagnes_actives
SELECT ca.id, ca.nom, CAST(ca.statut AS text) AS statut, ca.date_lancement, ca.date_relance_1, ca.date_relance_2,
       ca.date_relance_3, ca.date_fin, ca.version
FROM campagne ca
WHERE campagne_active(ca.statut)
ORDER BY ca.id;

-- name: campagne_passer
-- The command moves a campaign on its dates, on the version it read.
UPDATE campagne SET statut = CAST(:vers AS campagne_statut), version = version + 1
WHERE id = :id AND version = :version
RETURNING version;

-- name: campagnes_envois
-- The communes of the ongoing campaigns: invited when, reminders sent, answered or not,
-- where a message to them goes.
SELECT ca.id AS campagne_id, ca.nom AS campagne_nom, ca.date_lancement, ca.date_relance_1, ca.date_relance_2,
       ca.date_relance_3, ca.date_fin, cc.commune_code AS code, c.nom AS commune_nom, cc.invitee_le,
       coalesce((SELECT array_agg(CAST(r.numero AS integer) ORDER BY r.numero) FROM campagne_relance r
                 WHERE r.campagne_id = cc.campagne_id AND r.commune_code = cc.commune_code), '{}') AS relances,
       EXISTS (SELECT 1 FROM dossier d WHERE d.campagne_id = cc.campagne_id AND d.commune_code = cc.commune_code)
           AS a_repondu,
       courriel_de_la_commune(ct.email, c.mairie_email) AS courriel
FROM campagne ca
JOIN campagne_commune cc ON cc.campagne_id = ca.id
JOIN commune c ON c.code_insee = cc.commune_code
LEFT JOIN commune_contact ct ON ct.commune_code = c.code_insee
WHERE ca.statut = 'ongoing'
ORDER BY ca.id, cc.commune_code;

-- name: campagne_noter_invitation
UPDATE campagne_commune SET invitee_le = :jour, courriel_id = :courriel_id
WHERE campagne_id = :campagne_id AND commune_code = CAST(:code AS text) AND invitee_le IS NULL
RETURNING commune_code;

-- name: campagne_noter_relance
INSERT INTO campagne_relance (campagne_id, commune_code, numero, envoyee_le, courriel_id)
VALUES (:campagne_id, :code, :numero, :jour, :courriel_id)
ON CONFLICT DO NOTHING
RETURNING numero;
