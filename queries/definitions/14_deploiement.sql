-- Déploiement (issue 14): the rules its statements share.

-- campagne_active(): a campaign is active when planned or ongoing (domain.md, "Campaigns").
-- Two active campaigns of one département never overlap: the exclusion constraint
-- campagne_actives_sans_chevauchement (migration 0009) writes the same condition.
CREATE OR REPLACE FUNCTION campagne_active(statut campagne_statut)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT statut IN ('planned', 'ongoing') $$;

-- courriel_de_la_commune(): where a message to a commune goes (sign-in links, campaign
-- invitations, the mail-merge export): the address a conservateur set (commune_contact),
-- else the mairie's e-mail of the reference data; NULL when neither is known.
CREATE OR REPLACE FUNCTION courriel_de_la_commune(contact text, mairie text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(contact, nullif(btrim(mairie), '')) $$;
