"""Sign-in (issue 10): accounts that can prove who they are, sessions any replica can check,
one-time links for communes, throttling, and the address a conservateur sets for a commune.

- app_user: `mot_de_passe` (argon2 hash; NULL for OIDC-only and commune accounts),
  `oidc_issuer`/`oidc_sub` (the OIDC identity, linked at the agent's first sign-in; unique
  pair), `cree_le`, `desactive_le` (kept in step with `actif`). E-mails are compared
  case-insensitively, so they are unique that way too.
- session_connexion: one row per sign-in. Its id is the SHA-256 of a random token: the
  signed cookie carries the token (password and link sign-ins), so a copy of the table
  opens no session. An OIDC session (st.login) is bound to the ID token's (iss, sub, iat)
  instead. Limits (12 h without activity, 7 days at most) are checked against
  `vu_le`/`cree_le`; `fin_le` ends it (sign-out, expiry, account disabled).
- lien_connexion: one-time sign-in links for communes, valid 48 h, used once; the SHA-256
  of the link's token, never the token.
- tentative_connexion: failed password sign-ins and link requests, keyed by account,
  client address or commune, for throttling.
- commune_contact: the address a conservateur set for a commune, used instead of the
  mairie's e-mail of the reference data.

Neither sessions, attempts nor links bump data_version: a sign-in changes no figure, and it
must not empty every read cache. commune_contact does (the pages show it) and is audited.

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = r"""
ALTER TABLE app_user
    ADD COLUMN mot_de_passe text,
    ADD COLUMN oidc_issuer text,
    ADD COLUMN oidc_sub text,
    ADD COLUMN cree_le timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN desactive_le timestamptz;
UPDATE app_user SET desactive_le = now() WHERE NOT actif;
ALTER TABLE app_user
    ADD CONSTRAINT app_user_oidc_unique UNIQUE (oidc_issuer, oidc_sub),
    ADD CONSTRAINT app_user_oidc_paire CHECK ((oidc_issuer IS NULL) = (oidc_sub IS NULL)),
    ADD CONSTRAINT app_user_desactive CHECK (actif = (desactive_le IS NULL)),
    ADD CONSTRAINT app_user_mot_de_passe_argon2 CHECK (mot_de_passe IS NULL OR mot_de_passe LIKE '$argon2%');
CREATE UNIQUE INDEX app_user_email_lower_idx ON app_user (lower(email));

CREATE TABLE session_connexion (
    id bytea PRIMARY KEY CHECK (length(id) = 32),
    user_id integer NOT NULL REFERENCES app_user ON DELETE CASCADE,
    methode text NOT NULL CHECK (methode IN ('mot_de_passe', 'oidc', 'lien')),
    cree_le timestamptz NOT NULL DEFAULT now(),
    vu_le timestamptz NOT NULL DEFAULT now(),
    fin_le timestamptz,
    fin_motif text CHECK (fin_motif IN ('deconnexion', 'inactivite', 'duree', 'compte')),
    oidc_issuer text,
    oidc_sub text,
    oidc_iat timestamptz,
    CHECK ((methode = 'oidc') = (oidc_issuer IS NOT NULL AND oidc_sub IS NOT NULL AND oidc_iat IS NOT NULL)),
    CHECK ((fin_le IS NULL) = (fin_motif IS NULL))
);
CREATE UNIQUE INDEX session_connexion_oidc_idx ON session_connexion (oidc_issuer, oidc_sub, oidc_iat)
    WHERE methode = 'oidc';
CREATE INDEX session_connexion_user_idx ON session_connexion (user_id) WHERE fin_le IS NULL;

CREATE TABLE lien_connexion (
    id bytea PRIMARY KEY CHECK (length(id) = 32),
    commune_code text NOT NULL REFERENCES commune,
    destinataire text NOT NULL,
    courriel_id bigint REFERENCES courriel ON DELETE SET NULL,
    cree_le timestamptz NOT NULL DEFAULT now(),
    expire_le timestamptz NOT NULL,
    utilise_le timestamptz,
    user_id integer REFERENCES app_user ON DELETE SET NULL,   -- the account it signed in
    CHECK (expire_le > cree_le)
);
CREATE INDEX lien_connexion_commune_idx ON lien_connexion (commune_code, cree_le DESC);

CREATE TABLE tentative_connexion (
    id bigserial PRIMARY KEY,
    cle text NOT NULL,            -- 'compte:<email>', 'adresse:<ip>', 'commune:<code>', 'lien:<ip>'
    at timestamptz NOT NULL DEFAULT now(),
    reussie boolean NOT NULL
);
CREATE INDEX tentative_connexion_cle_idx ON tentative_connexion (cle, at DESC);

CREATE TABLE commune_contact (
    commune_code text PRIMARY KEY REFERENCES commune,
    email text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254),
    defini_par integer NOT NULL REFERENCES app_user,
    defini_le timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER commune_contact_audit AFTER INSERT OR UPDATE OR DELETE ON commune_contact
    FOR EACH ROW EXECUTE FUNCTION audit_row('commune_code');
CREATE TRIGGER commune_contact_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commune_contact
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("""
        DROP TABLE commune_contact, tentative_connexion, lien_connexion, session_connexion;
        DROP INDEX app_user_email_lower_idx;
        ALTER TABLE app_user DROP CONSTRAINT app_user_oidc_unique, DROP CONSTRAINT app_user_oidc_paire,
            DROP CONSTRAINT app_user_desactive, DROP CONSTRAINT app_user_mot_de_passe_argon2,
            DROP COLUMN mot_de_passe, DROP COLUMN oidc_issuer, DROP COLUMN oidc_sub, DROP COLUMN cree_le,
            DROP COLUMN desactive_le;
    """)
