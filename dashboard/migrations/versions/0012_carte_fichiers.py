"""Map files (issue 16): the geometry the browser fetches for the map of every commune of
France, generated once at reference load time (dashboard/ops/fichiers_carte.py) and served
by the app itself (dashboard/app/fichiers_carte.py), from the database so that every replica
serves the same bytes.

- nom: the file's name ("communes-france", "communes-noms", "communes-62"…);
- empreinte: a hash of its content, put in its URL (a new content, a new URL: browsers keep
  a file for ever);
- contenu: JSON, gzip-compressed once here (served as is to browsers that accept gzip);
- octets: the size of the JSON before compression.

Revision ID: 0012
Revises: 0011 (0011_questionnaire, on main when this branch was merged)
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
CREATE TABLE carte_fichier (
    nom text PRIMARY KEY CHECK (nom ~ '^[a-z0-9-]{1,40}$'),
    empreinte text NOT NULL CHECK (empreinte ~ '^[0-9a-f]{16}$'),
    contenu bytea NOT NULL,
    octets integer NOT NULL CHECK (octets >= 0),
    cree_le timestamptz NOT NULL DEFAULT now()
);
""")


def downgrade() -> None:
    op.execute("DROP TABLE carte_fichier")
