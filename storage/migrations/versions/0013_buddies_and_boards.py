"""Stretching together: buddies (/buddy) and group boards (/board)

buddy_invites: a /buddy link's random single-use token, its inviter, when it expires and when
it was used.
buddies: one row per side of a pairing (user_id sees buddy_id's day), with that side's wish
to be nudged when the buddy finishes a day.
buddy_nudges: a nudge sent on a stretch day of its recipient: at most one a day.
board_groups: a group that keeps a daily board: its zone, fallback language, deep-link code,
and today's board message (which day, what it shows, whether it is due a redraw).
board_members: who joined which group's board.
pending_starts: a deep link opened before onboarding was done, acted on once it is.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user(column: str = "user_id", *, primary_key: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        column,
        sa.BigInteger(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "buddy_invites",
        sa.Column("token", sa.String(length=32), primary_key=True),
        _user(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_buddy_invites_user_id", "buddy_invites", ["user_id"])
    op.create_table(
        "buddies",
        _user(primary_key=True),
        _user("buddy_id", primary_key=True),
        sa.Column("nudge", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_buddies_buddy_id", "buddies", ["buddy_id"])
    op.create_table(
        "buddy_nudges",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user(),
        sa.Column("stretch_day", sa.Date(), nullable=False),
        _user("buddy_id"),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "stretch_day"),
    )
    op.create_index("ix_buddy_nudges_buddy_id", "buddy_nudges", ["buddy_id"])
    op.create_table(
        "board_groups",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("shown", sa.String(length=64), nullable=True),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("join_code"),
    )
    op.create_index("ix_board_groups_dirty", "board_groups", ["dirty"])
    op.create_table(
        "board_members",
        sa.Column(
            "chat_id",
            sa.BigInteger(),
            sa.ForeignKey("board_groups.chat_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        _user(primary_key=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_board_members_user_id", "board_members", ["user_id"])
    op.create_table(
        "pending_starts",
        _user(primary_key=True),
        sa.Column("payload", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pending_starts")
    op.drop_index("ix_board_members_user_id", "board_members")
    op.drop_table("board_members")
    op.drop_index("ix_board_groups_dirty", "board_groups")
    op.drop_table("board_groups")
    op.drop_index("ix_buddy_nudges_buddy_id", "buddy_nudges")
    op.drop_table("buddy_nudges")
    op.drop_index("ix_buddies_buddy_id", "buddies")
    op.drop_table("buddies")
    op.drop_index("ix_buddy_invites_user_id", "buddy_invites")
    op.drop_table("buddy_invites")
