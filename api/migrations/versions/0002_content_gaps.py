"""Content gaps: no_answer counts by nearest passage, document, topic and partner (issue 16).

Written on branch issue-16b before Alembic reached main: it follows 0001 of branch issue-16a.
A database made before Alembic by a build with `content_gaps` (create_all) already has the
table; then it is left as it is.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "content_gaps" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "content_gaps",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("partner", sa.String(64), primary_key=True),
        sa.Column("passage_id", sa.String(160), primary_key=True),
        sa.Column("doc_id", sa.String(128), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("content_gaps")
