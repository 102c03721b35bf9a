"""guided_sessions.timer_ends_at: a running hold timer survives a restart or another instance

Set when ⏱ is tapped, cleared when the countdown ends or the session moves on. At start, and
every minute, an instance resumes the countdowns whose end is still ahead and finishes those
whose owner is gone (a compare-and-set on this column, so exactly one instance does).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "guided_sessions", sa.Column("timer_ends_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("guided_sessions", "timer_ends_at")
