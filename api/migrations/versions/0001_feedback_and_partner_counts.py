"""Feedback and per-partner outcome counts (the schema before Alembic, unchanged).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("passage_ids", sa.Text(), nullable=False),
        sa.Column("corpus_version", sa.String(64), nullable=False),
        sa.Column("partner", sa.String(64), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
    )
    op.create_table(
        "partner_counts",
        sa.Column("partner", sa.String(64), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("outcome", sa.String(20), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("partner_counts")
    op.drop_table("feedback")
