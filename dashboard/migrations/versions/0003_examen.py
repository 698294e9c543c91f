"""Conservateur interface: last visits, follow-up of disparus, digests sent, examen rules.

- derniere_visite: when each user last opened a page (for "nouveau depuis votre dernière
  visite" on /urgences).
- suivi_disparition: for a recensement that says absent, the dépôt de plainte and the
  report to the OCBC (dates, references), edited by the conservateur with optimistic
  locking (version).
- alerte_envoi: the weekly digests sent (or printed), so the next one starts where the
  previous one stopped.
- recensement.analyse_fiches: only the five fiches conseils, and "dépôt de plainte" only for
  an objet that was not found (domain.md).
- pop_correction: objets that their current recensement says moved to another commune,
  for the POP-correction export.

Revision ID: 0003
Revises: 0001
"""
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE TABLE derniere_visite (
    user_id integer NOT NULL REFERENCES app_user ON DELETE CASCADE,
    page text NOT NULL,
    vue_le timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, page)
);

CREATE TABLE suivi_disparition (
    recensement_id integer PRIMARY KEY REFERENCES recensement,
    objet_ref text NOT NULL REFERENCES objet,
    plainte_deposee_le date,
    plainte_service text,           -- commissariat, brigade de gendarmerie
    plainte_reference text,
    ocbc_signale_le date,
    ocbc_reference text,
    notes text,
    maj_le timestamptz NOT NULL DEFAULT now(),
    maj_par integer REFERENCES app_user,
    version integer NOT NULL DEFAULT 1,
    CHECK (plainte_reference IS NULL OR plainte_deposee_le IS NOT NULL),
    CHECK (ocbc_reference IS NULL OR ocbc_signale_le IS NOT NULL)
);
CREATE INDEX suivi_disparition_objet_idx ON suivi_disparition (objet_ref);

CREATE TABLE alerte_envoi (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES app_user ON DELETE CASCADE,
    depuis timestamptz NOT NULL,
    jusqu_a timestamptz NOT NULL,
    nb_cas integer NOT NULL,
    canal text NOT NULL CHECK (canal IN ('smtp', 'console')),
    envoye_le timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerte_envoi_user_idx ON alerte_envoi (user_id, jusqu_a DESC);

ALTER TABLE recensement
    ADD CONSTRAINT recensement_fiches_connues CHECK (analyse_fiches <@ ARRAY[
        'depot_plainte', 'securisation', 'restauration', 'entretien_edifices', 'entretien_objets']::text[]),
    ADD CONSTRAINT recensement_plainte_si_absent CHECK (
        NOT ('depot_plainte' = ANY (analyse_fiches)) OR localisation = 'absent');

-- Moves reported by the current recensement, to be corrected in POP.
CREATE VIEW pop_correction AS
SELECT c.objet_ref AS ref,
       o.titre,
       o.commune_code AS commune_palissy,
       c.autre_commune_code AS commune_signalee,
       c.recense_le,
       c.id AS recensement_id
FROM recensement_courant c
JOIN objet o ON o.ref = c.objet_ref
WHERE c.localisation = 'deplacement_autre_commune' AND c.autre_commune_code IS NOT NULL;
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    # The follow-up of a disparu is a user write like the examen: audited, and it bumps
    # the data version so cached pages show it at once.
    op.execute("CREATE TRIGGER suivi_disparition_audit AFTER INSERT OR UPDATE OR DELETE ON suivi_disparition "
               "FOR EACH ROW EXECUTE FUNCTION audit_row('recensement_id')")
    op.execute("CREATE TRIGGER suivi_disparition_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
               "ON suivi_disparition FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")
    # A page visit is audited (who looked at the urgent cases, and when) but must not bump
    # the data version: that would empty every reader's cache at each visit.
    op.execute("CREATE TRIGGER derniere_visite_audit AFTER INSERT OR UPDATE OR DELETE ON derniere_visite "
               "FOR EACH ROW EXECUTE FUNCTION audit_row('user_id')")
    # Digests are written by the `objets alertes` command, not by users; they are audited.
    op.execute("CREATE TRIGGER alerte_envoi_audit AFTER INSERT OR UPDATE OR DELETE ON alerte_envoi "
               "FOR EACH ROW EXECUTE FUNCTION audit_row('id')")


def downgrade() -> None:
    op.execute("""
        DROP VIEW pop_correction;
        ALTER TABLE recensement DROP CONSTRAINT recensement_plainte_si_absent,
                                DROP CONSTRAINT recensement_fiches_connues;
        DROP TABLE alerte_envoi;
        DROP TABLE suivi_disparition;
        DROP TABLE derniere_visite;
    """)
