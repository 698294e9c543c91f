"""The changes in POP (0008, issue 12) and the déploiement (0009, issue 14) meet: one head
again. Both revise 0007 and touch different tables; nothing to run here.

Revision ID: fusion_0008_0009
Revises: 0008, 0009
"""
revision = "fusion_0008_0009"
down_revision = ("0008", "0009")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
