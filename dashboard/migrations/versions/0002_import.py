"""Import of real POP exports (Palissy, Mérimée): raw fields, change detection, anomalies,
rejected rows, background import tasks.

- objet.palissy: the published values of the fields the import reads and that no other column
  keeps (COM, WEB, DPT, REG, EDIF, REFA, MOSA, DENO, CATE, SCLE, in that order: a text[] costs a
  tenth of a jsonb to build at 300,000 rows); objet.content_hash: what the last import
  stored, so that a re-import of the same file changes nothing; objet.anomalies: what the
  cleaning had to guess (several INSEE codes, former code, unresolved commune...).
- import_rejet: the rows an import did not store (rejected or excluded), with their line.
- import_tache: imports started from the app, run by a background process that writes its
  progress here (the page polls it).

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = r"""
ALTER TABLE objet
    ADD COLUMN palissy text[],
    ADD COLUMN content_hash text,
    ADD COLUMN anomalies text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN objet.palissy IS 'POP values as published: COM, WEB, DPT, REG, EDIF, REFA, MOSA, DENO, CATE, SCLE';
CREATE INDEX objet_ref_merimee_idx ON objet (ref_merimee) WHERE ref_merimee IS NOT NULL;
-- The qualité page lists flagged objets by département; most objets have no anomaly.
CREATE INDEX objet_anomalies_idx ON objet (departement_code) WHERE anomalies <> '{}';

ALTER TABLE edifice
    ADD COLUMN merimee jsonb,
    ADD COLUMN anomalies text[] NOT NULL DEFAULT '{}';

CREATE TABLE import_rejet (
    id bigserial PRIMARY KEY,
    chargement_id integer NOT NULL REFERENCES chargement ON DELETE CASCADE,
    ligne integer NOT NULL,
    ref text,
    categorie text NOT NULL CHECK (categorie IN ('rejete', 'exclu')),
    raison text NOT NULL,
    detail text
);
CREATE INDEX import_rejet_chargement_idx ON import_rejet (chargement_id, raison);

CREATE TABLE import_tache (
    id serial PRIMARY KEY,
    nature text NOT NULL DEFAULT 'palissy' CHECK (nature IN ('palissy', 'merimee')),
    source text NOT NULL,
    options jsonb NOT NULL DEFAULT '{}'::jsonb,
    statut text NOT NULL DEFAULT 'en_attente'
        CHECK (statut IN ('en_attente', 'en_cours', 'termine', 'echec')),
    progression jsonb NOT NULL DEFAULT '{}'::jsonb,
    message text,
    pid integer,
    chargement_id integer REFERENCES chargement,
    user_id integer REFERENCES app_user,
    cree_le timestamptz NOT NULL DEFAULT now(),
    fin timestamptz
);
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute("CREATE TRIGGER import_tache_audit AFTER INSERT OR UPDATE OR DELETE ON import_tache "
               "FOR EACH ROW EXECUTE FUNCTION audit_row('id')")
    # import_tache gets no data-version trigger: its worker writes progress while its import
    # transaction holds the data_version row (a bump would wait for that very transaction).
    for table in ("import_rejet", "chargement"):
        op.execute(f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")


def downgrade() -> None:
    op.execute("""
        DROP TABLE import_tache;
        DROP TABLE import_rejet;
        DROP TRIGGER IF EXISTS chargement_data_version ON chargement;
        ALTER TABLE edifice DROP COLUMN merimee, DROP COLUMN anomalies;
        DROP INDEX objet_anomalies_idx;
        DROP INDEX objet_ref_merimee_idx;
        ALTER TABLE objet DROP COLUMN palissy, DROP COLUMN content_hash, DROP COLUMN anomalies;
    """)
