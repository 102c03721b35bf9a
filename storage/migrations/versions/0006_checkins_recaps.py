"""How the back feels, the weekly recap and the streak milestones

back_checkins: one 0–10 answer per user and stretch day ("How does your back feel?").
weekly_recaps: the week (its first stretch day) a recap went out for, so it goes once.
users.weekly_recap: the recap's switch in /settings, on by default.
users.milestone_seen: the highest streak milestone the summary has celebrated.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "back_checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stretch_day", sa.Date(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "stretch_day"),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="ck_back_checkins_score"),
    )
    op.create_table(
        "weekly_recaps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "week_start"),
    )
    # Plain ALTER TABLE (not batch mode: on SQLite that would copy and drop the users table).
    op.add_column(
        "users",
        sa.Column("weekly_recap", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.add_column(
        "users",
        sa.Column("milestone_seen", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("users", "milestone_seen")
    op.drop_column("users", "weekly_recap")
    op.drop_table("weekly_recaps")
    op.drop_table("back_checkins")
