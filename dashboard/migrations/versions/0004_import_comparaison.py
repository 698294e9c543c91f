"""Re-imports compare what they would store with what is stored, column by column, instead of
a hash of the published values: objet.content_hash goes.

Why: computing the hash (an array of 24 values cast to text, then md5) was a fifth of the
database's work in a 300,000-row import, and the comparison is also exact where the hash
was not (a rule that changes nothing no longer rewrites every row; an édifice imported
since is linked on the next import).

Revision ID: 0004
Revises: 0002
"""
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE objet DROP COLUMN content_hash")


def downgrade() -> None:
    op.execute("ALTER TABLE objet ADD COLUMN content_hash text")
