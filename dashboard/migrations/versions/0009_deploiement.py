"""Déploiement (issue 14): contacts with communes, campaigns created and run by the app.

- contact_commune: each contact a deployment officer records with a commune (date, channel,
  outcome, the person reached and their e-mail, next step, when to call back, a note kept
  as typed). A new contact is a new row: nothing is overwritten. A correction of a row
  checks its `version` (concurrent edits refused). Audited (audit_row: its author comes from
  en_tant_que), and it bumps the data version (the pages show it).
- campagne: provenance 'application' (created on /communes-a-contacter); `version` (a
  user's edit of a campaign and the `objets campagnes` command never overwrite each other);
  who created it and when; its reminders inside its dates and in order; and the rule of
  domain.md: two active campaigns (planned or ongoing) of one
  département never overlap — an exclusion constraint on (département, [launch, end]),
  btree_gist for the equality of the département inside a GiST index.
- campagne_commune: the invitation's message (courriel), beside the day it was sent
  (invitee_le), and an index by commune (the ranking asks "in an active campaign?").
- campagne_relance: each reminder sent to a commune of a campaign (number 1 to 3, day, its
  message). Audited, and it bumps the data version.
- canal_contact, resultat_contact: the enums of the contacts (labels in
  dashboard/domain/vocabulary.py).

Revision ID: 0009
Revises: 0007
"""
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE canal_contact AS ENUM ('telephone', 'courriel', 'courrier', 'rendez_vous', 'autre');
CREATE TYPE resultat_contact AS ENUM (
    'pas_de_reponse', 'a_rappeler', 'interessee', 'accepte', 'refuse', 'coordonnees_erronees');

CREATE TABLE contact_commune (
    id serial PRIMARY KEY,
    commune_code text NOT NULL REFERENCES commune,
    contacte_le date NOT NULL,
    canal canal_contact NOT NULL,
    resultat resultat_contact NOT NULL,
    interlocuteur text CHECK (length(interlocuteur) <= 200),
    courriel text CHECK (courriel ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(courriel) <= 254),
    prochaine_etape text CHECK (length(prochaine_etape) <= 500),
    rappeler_le date,
    note text CHECK (length(note) <= 20000),
    auteur_id integer NOT NULL REFERENCES app_user,
    cree_le timestamptz NOT NULL DEFAULT now(),
    modifie_par integer REFERENCES app_user,
    modifie_le timestamptz,
    version integer NOT NULL DEFAULT 1,
    CHECK (rappeler_le IS NULL OR rappeler_le >= contacte_le)
);
CREATE INDEX contact_commune_commune_idx ON contact_commune (commune_code, contacte_le DESC, id DESC);

ALTER TABLE campagne
    DROP CONSTRAINT campagne_provenance_check,
    ADD CONSTRAINT campagne_provenance_check CHECK (provenance IN ('demo', 'import', 'application')),
    ADD COLUMN version integer NOT NULL DEFAULT 1,
    ADD COLUMN cree_par integer REFERENCES app_user,
    ADD COLUMN cree_le timestamptz,
    ADD CONSTRAINT campagne_relances_dans_la_campagne CHECK (
        (date_relance_1 IS NULL OR (date_relance_1 > date_lancement AND date_relance_1 < date_fin))
        AND (date_relance_2 IS NULL OR (date_relance_1 IS NOT NULL AND date_relance_2 > date_relance_1
                                        AND date_relance_2 < date_fin))
        AND (date_relance_3 IS NULL OR (date_relance_2 IS NOT NULL AND date_relance_3 > date_relance_2
                                        AND date_relance_3 < date_fin))),
    -- Active = planned or ongoing (campagne_active() of queries/definitions/14_deploiement.sql).
    ADD CONSTRAINT campagne_actives_sans_chevauchement EXCLUDE USING gist (
        departement_code WITH =, daterange(date_lancement, date_fin, '[]') WITH &&)
        WHERE (statut IN ('planned', 'ongoing'));

ALTER TABLE campagne_commune
    ADD COLUMN courriel_id bigint REFERENCES courriel ON DELETE SET NULL;
CREATE INDEX campagne_commune_commune_idx ON campagne_commune (commune_code);

CREATE TABLE campagne_relance (
    campagne_id integer NOT NULL,
    commune_code text NOT NULL,
    numero smallint NOT NULL CHECK (numero BETWEEN 1 AND 3),
    envoyee_le date NOT NULL,
    courriel_id bigint REFERENCES courriel ON DELETE SET NULL,
    PRIMARY KEY (campagne_id, commune_code, numero),
    FOREIGN KEY (campagne_id, commune_code) REFERENCES campagne_commune ON DELETE CASCADE
);

CREATE INDEX dossier_campagne_idx ON dossier (campagne_id) WHERE campagne_id IS NOT NULL;
"""

AUDITED = {"contact_commune": "id", "campagne_relance": "campagne_id"}


def upgrade() -> None:
    op.execute(SCHEMA)
    for table, key in AUDITED.items():
        op.execute(f"CREATE TRIGGER {table}_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION audit_row('{key}')")
        op.execute(f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")


def downgrade() -> None:
    op.execute("""
        DROP INDEX IF EXISTS dossier_campagne_idx;
        DROP TABLE campagne_relance;
        DROP INDEX campagne_commune_commune_idx;
        ALTER TABLE campagne_commune DROP COLUMN courriel_id;
        ALTER TABLE campagne DROP CONSTRAINT campagne_actives_sans_chevauchement,
            DROP CONSTRAINT campagne_relances_dans_la_campagne,
            DROP COLUMN version, DROP COLUMN cree_par, DROP COLUMN cree_le,
            DROP CONSTRAINT campagne_provenance_check,
            ADD CONSTRAINT campagne_provenance_check CHECK (provenance IN ('demo', 'import'));
        DROP TABLE contact_commune;
        DROP TYPE resultat_contact;
        DROP TYPE canal_contact;
    """)
