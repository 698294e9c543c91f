-- niveau_urgence(): the urgency rule of domain.md, in one place.
-- Prioritaire: disparu (absent) or in péril; préoccupant: état mauvais or easy to steal.
-- The état and sécurisation given are the retained ones (the conservateur's override wins).

CREATE OR REPLACE FUNCTION niveau_urgence(loc localisation, etat etat_sanitaire, secu securisation)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN loc = 'absent' OR etat = 'peril' THEN 'prioritaire'
        WHEN etat = 'mauvais' OR secu = 'en_danger' THEN 'preoccupant'
    END $$;
