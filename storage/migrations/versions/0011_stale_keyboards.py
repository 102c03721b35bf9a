"""stale_keyboards: messages whose buttons no longer act and are to be taken away

A newer settings menu, question or day's reminder replaces the older one (storage.live,
storage.reminders), and an answered question stops acting; their messages are queued here and
a background job edits their buttons away within the bot's pace (handlers.keyboard_sweep), so
the action that replaced them never waits for it. One row per message: queued twice, stripped
once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stale_keyboards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_stale_keyboards_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stale_keyboards")),
        sa.UniqueConstraint("chat_id", "message_id", name="uq_stale_keyboards_message"),
    )


def downgrade() -> None:
    op.drop_table("stale_keyboards")
