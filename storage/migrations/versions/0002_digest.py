"""digests: the daily digest mails, one row per day

Revision ID: 0002_digest
Revises: 0002_channels
Create Date: 2026-12-01 20:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_digest'
down_revision = '0002_channels'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('event_ids', sa.JSON(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day')
    )


def downgrade() -> None:
    op.drop_table('digests')
