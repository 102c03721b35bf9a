"""logged_sets.sets_target: the sets per side a set was logged under

A past day is judged by the target it had, not by today's setting. Rows logged before this
column existed were logged under the default of 3 sets per side.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a NOT NULL column in place everywhere; PostgreSQL runs a
    # plain ALTER TABLE. The server default fills the existing rows.
    with op.batch_alter_table("logged_sets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sets_target", sa.Integer(), server_default=sa.text("3"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("logged_sets", schema=None) as batch_op:
        batch_op.drop_column("sets_target")
