"""send_pace and ix_users_due: one send pace for every instance, due users claimed in order

send_pace is the whole bot's book of send slots (ops.pace, storage.send_pace), one row that
every instance on PostgreSQL takes its slots from, so together they stay within Telegram's
limit. ix_users_due serves the reminder tick's claim: due users by due time, then id, of those
a reminder can go to (not blocked, not paused).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pace = op.create_table(
        "send_pace",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("free_next", sa.Double(), nullable=False),
        sa.Column("paid_next", sa.Double(), nullable=False),
        sa.Column("paid_day", sa.Integer(), nullable=False),
        sa.Column("paid_used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_pace")),
    )
    op.bulk_insert(pace, [{"id": 1, "free_next": 0.0, "paid_next": 0.0, "paid_day": 0, "paid_used": 0}])
    due = sa.text("blocked IS false AND paused_since IS NULL")
    op.create_index(
        "ix_users_due",
        "users",
        ["next_reminder_at", "id"],
        postgresql_where=due,
        sqlite_where=sa.text("blocked = 0 AND paused_since IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_users_due", table_name="users")
    op.drop_table("send_pace")
