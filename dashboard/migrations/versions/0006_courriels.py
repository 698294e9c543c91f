"""One mailer for the whole product (issue 10): an outbox written in the transaction of what
causes a message, sent later by `objets mail send`, every attempt recorded.

- courriel: a message to send. Written by dashboard.writes.courriels.mettre_en_file() in
  the caller's transaction: a message queued by a transaction that rolls back never
  existed, so it is never sent. `motif` says what caused it (digest, sign-in link,
  invitation, notes to a commune...), `objet_ref`/`commune_code` what it is about, for the
  follow-up pages; `prochain_essai` is when the sender may try it (again).
- courriel_envoi: each attempt to send one (when, outcome, the server's answer), so that a
  message is never sent twice unknowingly and a failure can be explained.

Neither table bumps data_version: a queued or sent message changes no figure the pages
show, and the sender's bookkeeping must not empty every read cache.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = r"""
CREATE TABLE courriel (
    id bigserial PRIMARY KEY,
    destinataire text NOT NULL CHECK (destinataire ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    sujet text NOT NULL CHECK (length(sujet) BETWEEN 1 AND 300 AND sujet !~ '[\r\n]'),
    corps text NOT NULL,
    motif text NOT NULL,
    commune_code text REFERENCES commune,
    user_id integer REFERENCES app_user,          -- who caused it, when a user did
    cree_le timestamptz NOT NULL DEFAULT now(),
    prochain_essai timestamptz NOT NULL DEFAULT now(),
    tentatives integer NOT NULL DEFAULT 0,
    envoye_le timestamptz,
    abandonne_le timestamptz,                      -- given up after too many failures
    derniere_erreur text
);
CREATE INDEX courriel_a_envoyer_idx ON courriel (prochain_essai)
    WHERE envoye_le IS NULL AND abandonne_le IS NULL;
CREATE INDEX courriel_commune_idx ON courriel (commune_code, cree_le DESC);

CREATE TABLE courriel_envoi (
    id bigserial PRIMARY KEY,
    courriel_id bigint NOT NULL REFERENCES courriel ON DELETE CASCADE,
    tente_le timestamptz NOT NULL DEFAULT now(),
    reussi boolean NOT NULL,
    reponse text                                    -- the server's answer or the error, one line
);
CREATE INDEX courriel_envoi_courriel_idx ON courriel_envoi (courriel_id, tente_le);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("DROP TABLE courriel_envoi; DROP TABLE courriel;")
