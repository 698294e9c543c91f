"""The commune's questionnaire (issue 15): the photos of a recensement, and a dossier sent
back to its commune.

- recensement_photo: one row per photo kept for a recensement. The file itself is not here:
  its two copies (1,600 px and a thumbnail, dashboard/domain/photos.py) are in the storage
  (dashboard/stockage: a directory or S3), under keys made by the app, never from a file
  name. The original's format, size and SHA-256 fingerprint are kept (not the original: it
  is what carries the GPS position). A photo removed by the commune gets deleted_at (its
  copies are removed by the app, or by the daily purge of copies without a row). The same
  file sent twice to one recensement is one photo (partial unique index on the fingerprint).
  recensement.nb_photos follows the live rows (queries/questionnaire.sql).
- dossier.renvoye_le / renvoye_par / renvoi_motif: a conservateur sends a submitted dossier
  back to its commune (beside the reopening of an accepted one, queries/examen.sql). The
  dossier is again 'construction' with submitted_at NULL (its recensements stop counting
  until it is submitted again: recensement_effectif); these columns say it was sent back,
  by whom and why, for the commune's page. Kept after the next submission (history).
- recensement.etape: the furthest step saved, where the questionnaire resumes; a unique
  index makes one live recensement per objet and dossier.
- Both tables bump data_version (every cache follows) and are audited.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE TABLE recensement_photo (
    id serial PRIMARY KEY,
    recensement_id integer NOT NULL REFERENCES recensement,
    rang integer NOT NULL DEFAULT 1,
    cle_grande text NOT NULL UNIQUE,
    cle_vignette text NOT NULL UNIQUE,
    largeur integer NOT NULL CHECK (largeur > 0),
    hauteur integer NOT NULL CHECK (hauteur > 0),
    vignette_largeur integer NOT NULL CHECK (vignette_largeur > 0),
    vignette_hauteur integer NOT NULL CHECK (vignette_hauteur > 0),
    format_origine text NOT NULL CHECK (format_origine IN ('JPEG', 'PNG')),
    octets_origine integer NOT NULL CHECK (octets_origine > 0),
    empreinte text NOT NULL CHECK (empreinte ~ '^[0-9a-f]{64}$'),
    auteur_id integer REFERENCES app_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE INDEX recensement_photo_recensement_idx ON recensement_photo (recensement_id, rang, id)
    WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX recensement_photo_empreinte_idx ON recensement_photo (recensement_id, empreinte)
    WHERE deleted_at IS NULL;

-- The furthest step of the questionnaire the commune saved (dashboard/domain/questionnaire.py):
-- where it resumes after a reload. NULL for recensements written otherwise (demo, imports).
ALTER TABLE recensement ADD COLUMN etape text;

-- One live recensement per objet in a dossier: two tabs starting the same objet make one row.
CREATE UNIQUE INDEX recensement_dossier_objet_idx ON recensement (dossier_id, objet_ref)
    WHERE statut <> 'deleted';

ALTER TABLE dossier
    ADD COLUMN renvoye_le timestamptz,
    ADD COLUMN renvoye_par integer REFERENCES app_user,
    ADD COLUMN renvoi_motif text;

CREATE TRIGGER recensement_photo_audit AFTER INSERT OR UPDATE OR DELETE ON recensement_photo
    FOR EACH ROW EXECUTE FUNCTION audit_row('id');
CREATE TRIGGER recensement_photo_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recensement_photo
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("""
        DROP TABLE recensement_photo;
        DROP INDEX recensement_dossier_objet_idx;
        ALTER TABLE recensement DROP COLUMN etape;
        ALTER TABLE dossier DROP COLUMN renvoye_le, DROP COLUMN renvoye_par, DROP COLUMN renvoi_motif;
    """)
