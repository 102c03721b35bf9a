"""users.paused_since replaces users.reminders_enabled: one pause, which keeps the streak safe

"Reminders off" (/pause) and "pause N days" were two things with one name. Now there is one
pause: N days (rows in paused_days) or until the user resumes (paused_since, the first paused
stretch day). A user whose reminders were off keeps them off, as a pause from today on.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("paused_since", sa.Date(), nullable=True))
    op.execute("UPDATE users SET paused_since = CURRENT_DATE WHERE NOT reminders_enabled")
    # A plain ALTER TABLE ... DROP COLUMN on both (SQLite has it since 3.35). Not batch mode:
    # on SQLite that copies and drops the users table, and with foreign keys on, dropping it
    # would cascade to every user's logged sets.
    op.drop_column("users", "reminders_enabled")


def downgrade() -> None:
    op.add_column(
        "users",
        sa.Column("reminders_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.execute("UPDATE users SET reminders_enabled = (paused_since IS NULL)")
    op.drop_column("users", "paused_since")
