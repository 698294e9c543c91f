-- niveau_urgence(): the urgency rule of domain.md, in one place.
-- Prioritaire: disparu (absent) or in péril; préoccupant: état mauvais or easy to steal.
-- The état and sécurisation given are the retained ones (the conservateur's override wins).

CREATE OR REPLACE FUNCTION niveau_urgence(loc localisation, etat etat_sanitaire, secu securisation)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN loc = 'absent' OR etat = 'peril' THEN 'prioritaire'
        WHEN etat = 'mauvais' OR secu = 'en_danger' THEN 'preoccupant'
    END $$;

-- niveau_urgence_vu(): the level of a case as a role may see it. A role that may not see
-- sécurisation (dashboard.domain.rights: VOIR_SECURISATION) gets the level judged again
-- without it (it can only drop), so that objets urgent only for being easy to steal never
-- leave the database for it. `urgence` is niveau_urgence() of the same recensement with
-- its sécurisation (objet_recensement_courant.urgence). Inlinable, like the scope.
CREATE OR REPLACE FUNCTION niveau_urgence_vu(urgence text, loc localisation, etat etat_sanitaire,
                                             voit_securisation boolean)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN voit_securisation THEN urgence ELSE niveau_urgence(loc, etat, NULL) END $$;
