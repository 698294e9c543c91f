-- Rules the examen statements share (queries/examen.sql, queries/commune.sql).

-- Who may examine: an active user whose stored role is one of `roles` (the roles the
-- rights table lets examine: dashboard.domain.rights, passed as :roles_examen). It does not
-- depend on the row, so the planner checks it once per statement (a one-time filter).
CREATE OR REPLACE FUNCTION auteur_autorise(user_id integer, roles text[]) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM app_user u
                   WHERE u.id = auteur_autorise.user_id AND u.actif
                     AND u.role::text = ANY (auteur_autorise.roles)) $$;

-- The figures of a dossier from its effective recensements: how many, analysed, prioritaires,
-- prioritaires not analysed yet (a dossier is accepted only when that is 0). One row, zeros
-- for a dossier without any. Inlinable (LANGUAGE sql, STABLE, not STRICT, one SELECT): in
-- `LATERAL dossier_chiffres(d.id)` it becomes a subquery on the dossier's recensements.
CREATE OR REPLACE FUNCTION dossier_chiffres(dossier_id integer)
    RETURNS TABLE (recensements bigint, analyses bigint, prioritaires bigint, prioritaires_non_analyses bigint)
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT count(*),
           count(*) FILTER (WHERE e.analyse),
           count(*) FILTER (WHERE e.prioritaire),
           count(*) FILTER (WHERE e.prioritaire AND NOT e.analyse)
    FROM (SELECT r.analyse,
                 niveau_urgence(r.localisation, r.etat_sanitaire, r.securisation) = 'prioritaire' AS prioritaire
          FROM recensement_effectif r
          WHERE r.dossier_id = dossier_chiffres.dossier_id) e $$;
