-- The data-quality page (pages/qualite_donnees.py): imports, their reports, flagged objets.

-- name: qualite_chargements
SELECT id, nature, source, debut, fin,
       CAST(rapport ->> 'rows' AS integer) AS lignes,
       CAST(rapport -> 'imported' ->> 'total' AS integer) AS importes,
       CAST(rapport -> 'imported' ->> 'inserted' AS integer) AS nouveaux,
       CAST(rapport -> 'imported' ->> 'updated' AS integer) AS modifies,
       CAST(rapport -> 'imported' ->> 'withdrawn' AS integer) AS retires,
       (SELECT coalesce(sum(CAST(v AS integer)), 0) FROM jsonb_each_text(rapport -> 'excluded') AS e(k, v)) AS exclus,
       (SELECT coalesce(sum(CAST(v AS integer)), 0) FROM jsonb_each_text(rapport -> 'rejected') AS r(k, v)) AS rejetes
FROM chargement
WHERE nature IN ('palissy', 'merimee') AND fin IS NOT NULL
ORDER BY id DESC
LIMIT 50;

-- name: qualite_raisons
-- Counts by reason of one import's report, by kind (hors_perimetre, excluded, rejected, anomalies).
SELECT k.kind, r.key AS raison, CAST(r.value AS integer) AS nombre
FROM chargement c
CROSS JOIN (VALUES ('hors_perimetre'), ('excluded'), ('rejected'), ('anomalies')) AS k(kind)
CROSS JOIN LATERAL jsonb_each_text(coalesce(c.rapport -> k.kind, '{}'::jsonb)) AS r
WHERE c.id = :chargement_id
ORDER BY k.kind, nombre DESC, raison;

-- name: qualite_rejets
SELECT ligne, ref, categorie, raison, detail
FROM import_rejet
WHERE chargement_id = :chargement_id
ORDER BY ligne, id;

-- name: qualite_anomalies
-- Flagged objets in the user's scope, by anomaly.
SELECT a.anomalie, count(*) AS objets
FROM objet o
CROSS JOIN LATERAL unnest(o.anomalies) AS a(anomalie)
WHERE o.anomalies <> '{}' AND o.retire_le IS NULL
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
GROUP BY a.anomalie
ORDER BY objets DESC, a.anomalie;

-- name: qualite_objets_signales
-- Unresolved or flagged objets in the user's scope (optionally one anomaly), with what POP
-- published, so that a conservateur can send corrections back to POP.
SELECT o.ref, o.titre, o.departement_code, o.insee_brut, o.commune_code, c.nom AS commune_nom,
       o.commune_resolution, array_to_string(o.anomalies, ', ') AS anomalies,
       o.palissy[1] AS com_pop, o.palissy[2] AS web_pop, o.palissy[3] AS dpt_pop, o.deplacement,
       o.edifice_nom, o.ref_merimee, o.hors_perimetre_raison
FROM objet o
LEFT JOIN commune c ON c.code_insee = o.commune_code
WHERE o.anomalies <> '{}' AND o.retire_le IS NULL
  AND (CAST(:anomalie AS text) IS NULL OR CAST(:anomalie AS text) = ANY(o.anomalies))
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY o.departement_code NULLS FIRST, o.ref
LIMIT 20000;

-- name: qualite_deplacements_signales
-- Moves reported by current recensements (objets found in another commune), in scope: to be
-- corrected in POP, with the commune Palissy gives and the one the recensement reports.
SELECT p.ref, p.titre, p.commune_palissy, cp.nom AS commune_palissy_nom,
       p.commune_signalee, cs.nom AS commune_signalee_nom, p.recense_le
FROM pop_correction p
JOIN objet o ON o.ref = p.ref
LEFT JOIN commune cp ON cp.code_insee = p.commune_palissy
LEFT JOIN commune cs ON cs.code_insee = p.commune_signalee
WHERE true
  AND dans_perimetre_utilisateur(o.departement_code, o.commune_code,
                                 CAST(:departements AS text[]), CAST(:commune AS text))
ORDER BY p.recense_le DESC, p.ref;

-- name: qualite_changements
-- What the last :imports Palissy imports changed, in the user's scope: where the objet is
-- after the change or was before it (an objet that left a département is shown there too);
-- optionally one kind of change. Commune changes name the communes.
SELECT c.chargement_id AS import, c.importe_le, c.ref, c.titre, c.nature, c.avant, c.apres,
       c.departement_code, c.commune_code, c.commune_nom
FROM changement_affiche c
WHERE c.chargement_id IN (SELECT id FROM chargement WHERE nature = 'palissy' AND fin IS NOT NULL
                          ORDER BY id DESC LIMIT CAST(:imports AS integer))
  AND (CAST(:nature AS text) IS NULL OR c.nature = CAST(:nature AS text))
  AND (dans_perimetre_utilisateur(c.departement_code, c.commune_code,
                                  CAST(:departements AS text[]), CAST(:commune AS text))
       OR dans_perimetre_utilisateur(c.departement_avant, c.commune_avant,
                                     CAST(:departements AS text[]), CAST(:commune AS text)))
ORDER BY c.chargement_id DESC, c.departement_code NULLS FIRST, c.ref, c.nature
LIMIT CAST(:limite AS integer);

-- name: qualite_changements_periode
-- The changes of the imports that ended in (:depuis, :jusqu_a], in the user's scope (the
-- weekly digest: dashboard/ops/alertes.py).
SELECT c.ref, c.titre, c.nature, c.avant, c.apres, c.departement_code, c.commune_code, c.commune_nom
FROM changement_affiche c
WHERE c.importe_le > CAST(:depuis AS timestamptz) AND c.importe_le <= CAST(:jusqu_a AS timestamptz)
  AND (dans_perimetre_utilisateur(c.departement_code, c.commune_code,
                                  CAST(:departements AS text[]), CAST(:commune AS text))
       OR dans_perimetre_utilisateur(c.departement_avant, c.commune_avant,
                                     CAST(:departements AS text[]), CAST(:commune AS text)))
ORDER BY c.nature, c.departement_code NULLS FIRST, c.ref
LIMIT 20000;
