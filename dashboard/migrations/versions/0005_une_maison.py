"""One house (issue 9): the two branches meet; the data version moves at commit; databases
built with the first 0001 get what its later edit added.

- Merges 0003 (examen) and 0004 (import comparison): one head again.
- The shared definitions (views, rule functions, trigger functions) now live in
  queries/definitions/ and dashboard.ops.migrate applies them after every upgrade, in the
  same transaction; migrations keep tables, indexes and triggers. This revision creates
  only what its own DDL needs (the functions its triggers execute), with the bodies of
  today; the applied definitions replace them at once.
- data_version_transaction: a write notes its transaction there (bump_data_version(), see
  queries/definitions/02_data_version.sql) and the row's deferred constraint trigger bumps
  data_version at COMMIT. Before, each write statement updated the data_version row and held
  it until its commit, so an examen save queued behind a whole import.
- 0001 was edited after 0003 existed (commit 47d96df: commune.nom_normalise and its index,
  objet_recensement_courant.departement_code and its urgence index, the trigger that moves
  that row with its objet). A database migrated before that edit never received them; the
  statements below add them where they are missing and change nothing elsewhere.

Revision ID: 0005
Revises: 0003, 0004
"""
from alembic import op

revision = "0005"
down_revision = ("0003", "0004")
branch_labels = None
depends_on = None

REPARATION_0001 = r"""
ALTER TABLE commune ADD COLUMN IF NOT EXISTS nom_normalise text GENERATED ALWAYS AS (normalise_texte(nom)) STORED;
DROP INDEX IF EXISTS commune_nom_norm_idx;
CREATE INDEX IF NOT EXISTS commune_nom_normalise_idx ON commune (nom_normalise text_pattern_ops);

ALTER TABLE objet_recensement_courant ADD COLUMN IF NOT EXISTS departement_code text;
UPDATE objet_recensement_courant c SET departement_code = o.departement_code
FROM objet o
WHERE o.ref = c.objet_ref AND c.departement_code IS DISTINCT FROM o.departement_code;
DO $$
BEGIN
    -- The first 0001 indexed (objet_ref) only: rebuilt where it is still that one.
    IF NOT EXISTS (SELECT 1 FROM pg_indexes
                   WHERE schemaname = current_schema() AND indexname = 'objet_recensement_courant_urgence_idx'
                     AND strpos(indexdef, '(departement_code, objet_ref) WHERE (urgence IS NOT NULL)') > 0) THEN
        DROP INDEX IF EXISTS objet_recensement_courant_urgence_idx;
        CREATE INDEX objet_recensement_courant_urgence_idx ON objet_recensement_courant (departement_code, objet_ref)
            WHERE urgence IS NOT NULL;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION recensement_courant_apres_objet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE objet_recensement_courant SET departement_code = NEW.departement_code WHERE objet_ref = NEW.ref;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER recensement_courant_objet AFTER UPDATE OF departement_code ON objet
    FOR EACH ROW WHEN (OLD.departement_code IS DISTINCT FROM NEW.departement_code)
    EXECUTE FUNCTION recensement_courant_apres_objet();
"""

VERSION_AU_COMMIT = r"""
-- One row per writing transaction, removed at its commit: a writer never waits for another's row.
CREATE TABLE data_version_transaction (
    xid xid8 PRIMARY KEY DEFAULT pg_current_xact_id()
);

CREATE FUNCTION data_version_au_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1, changed_at = clock_timestamp();
    DELETE FROM data_version_transaction WHERE xid = NEW.xid;
    RETURN NULL;
END $$;

-- Deferred: fires at COMMIT, once per transaction (one row each), inside that transaction.
CREATE CONSTRAINT TRIGGER data_version_au_commit AFTER INSERT ON data_version_transaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_au_commit();
"""


def upgrade() -> None:
    op.execute(REPARATION_0001)
    op.execute(VERSION_AU_COMMIT)


def downgrade() -> None:
    op.execute("""
        CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE data_version SET version = version + 1, changed_at = now();
            RETURN NULL;
        END $$;
        DROP FUNCTION IF EXISTS noter_changement();
        DROP TABLE data_version_transaction;
        DROP FUNCTION data_version_au_commit();
        DROP FUNCTION IF EXISTS carte_objets(text[], text, text, text, text, text, text);
        DROP FUNCTION IF EXISTS dossier_chiffres(integer);
        DROP FUNCTION IF EXISTS auteur_autorise(integer, text[]);
        DROP FUNCTION IF EXISTS dans_perimetre_utilisateur(text, text, text[], text);
    """)
