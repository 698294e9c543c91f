"""What each Palissy import changed, per objet (issue 12).

- objet_changement: one row per objet and kind of change an import made: 'ajout' (a new
  objet, or one withdrawn earlier that an export lists again: avant = 'retiré'), 'retrait'
  (missing from a complete export), 'protection' (classe / inscrit / non_protege), 'commune'
  (INSEE codes), 'edifice' (building name and Mérimée id), 'titre'. Written set-based by
  the import's own statements (queries/import_palissy.sql), in its transaction: a rolled-back
  import leaves no change behind. The first import into an empty table records none (every
  objet would be 'ajout').
- Where the objet is after the import (departement_code, commune_code) and was before it
  (departement_avant, commune_avant): a change is in a user's scope when either is, so that
  the conservateur of a département an objet left sees it go.

No foreign key to objet: objets are never deleted (a withdrawal dates them), and the bulk
path of an import drops objet's keys while it inserts. Bumps data_version (the pages show it).

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE TABLE objet_changement (
    id bigserial PRIMARY KEY,
    chargement_id integer NOT NULL REFERENCES chargement ON DELETE CASCADE,
    objet_ref text NOT NULL,
    nature text NOT NULL
        CHECK (nature IN ('ajout', 'retrait', 'protection', 'commune', 'edifice', 'titre')),
    avant text,
    apres text,
    departement_code text,
    commune_code text,
    departement_avant text,
    commune_avant text
);
-- The page and the digest read a département's changes of the last imports.
CREATE INDEX objet_changement_departement_idx ON objet_changement (departement_code, chargement_id);
CREATE INDEX objet_changement_departement_avant_idx ON objet_changement (departement_avant, chargement_id)
    WHERE departement_avant IS DISTINCT FROM departement_code;
CREATE INDEX objet_changement_chargement_idx ON objet_changement (chargement_id, nature);
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute("CREATE TRIGGER objet_changement_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
               "ON objet_changement FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")


def downgrade() -> None:
    op.execute("DROP TABLE objet_changement")
