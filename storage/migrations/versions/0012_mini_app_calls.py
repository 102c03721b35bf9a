"""mini_app_calls: each user's calls to the Mini App's API in the current minute

The Mini App's JSON API limits each user's calls per minute (miniapp.api). The count lives in
the database, one row per user, so every instance behind the proxy counts the same calls.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-12 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mini_app_calls",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mini_app_calls_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mini_app_calls")),
    )


def downgrade() -> None:
    op.drop_table("mini_app_calls")
