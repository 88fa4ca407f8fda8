"""Per-channel discovery figures of a source's run (feed, sitemap, listing, archive, hop pages;
releases new and known), so ``runs`` and ``sources check`` show where a site hides its releases.

Revision ID: 0002_channels
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_channels"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("run_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channels", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_sources", schema=None) as batch_op:
        batch_op.drop_column("channels")
