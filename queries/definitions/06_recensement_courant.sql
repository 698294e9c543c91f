-- The current recensement of each objet (domain.md): its latest effective recensement.
--
-- The rule is maj_recensement_courant(), once; its result is kept in the table
-- objet_recensement_courant (migrations: data and DDL) by the statement triggers whose
-- functions follow, so that a département's current recensements are an index lookup, not
-- a scan of every recensement of France. The table also keeps niveau_urgence() of that
-- recensement and the objet's département: a département's urgent cases are one index range.

-- refs NULL: every objet (after a bulk load).
CREATE OR REPLACE FUNCTION maj_recensement_courant(refs text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF refs IS NULL THEN
        DELETE FROM objet_recensement_courant;
        INSERT INTO objet_recensement_courant (objet_ref, recensement_id, urgence, departement_code)
        SELECT DISTINCT ON (e.objet_ref) e.objet_ref, e.id,
               niveau_urgence(e.localisation, e.etat_sanitaire, e.securisation), o.departement_code
        FROM recensement_effectif e JOIN objet o ON o.ref = e.objet_ref
        ORDER BY e.objet_ref, e.recense_le DESC, e.id DESC;
    ELSE
        DELETE FROM objet_recensement_courant WHERE objet_ref = ANY (refs);
        INSERT INTO objet_recensement_courant (objet_ref, recensement_id, urgence, departement_code)
        SELECT DISTINCT ON (e.objet_ref) e.objet_ref, e.id,
               niveau_urgence(e.localisation, e.etat_sanitaire, e.securisation), o.departement_code
        FROM recensement_effectif e JOIN objet o ON o.ref = e.objet_ref
        WHERE e.objet_ref = ANY (refs)
        ORDER BY e.objet_ref, e.recense_le DESC, e.id DESC;
    END IF;
END $$;

-- An objet that changes département (a corrected commune, an import) takes its row along.
CREATE OR REPLACE FUNCTION recensement_courant_apres_objet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objet_recensement_courant SET departement_code = NEW.departement_code WHERE objet_ref = NEW.ref;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION recensement_courant_apres_recensement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM maj_recensement_courant(ARRAY(SELECT DISTINCT objet_ref FROM nouveaux));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM maj_recensement_courant(ARRAY(SELECT DISTINCT objet_ref FROM anciens));
    ELSE
        PERFORM maj_recensement_courant(ARRAY(SELECT objet_ref FROM nouveaux UNION SELECT objet_ref FROM anciens));
    END IF;
    RETURN NULL;
END $$;

-- A dossier's submission decides whether its recensements count.
CREATE OR REPLACE FUNCTION recensement_courant_apres_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM maj_recensement_courant(ARRAY(
        SELECT DISTINCT r.objet_ref
        FROM nouveaux n JOIN anciens a ON a.id = n.id JOIN recensement r ON r.dossier_id = n.id
        WHERE a.submitted_at IS DISTINCT FROM n.submitted_at));
    RETURN NULL;
END $$;

CREATE OR REPLACE VIEW recensement_courant AS
SELECT e.*, c.urgence
FROM objet_recensement_courant c
JOIN recensement_effectif e ON e.id = c.recensement_id;
