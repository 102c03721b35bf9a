"""guided_sessions.shown: what the session message shows, as Telegram last confirmed it

Written after each edit of the session message succeeds ("<screen token> <view hash>"). A
move is stored before its edit is made, so an instance that dies between the two leaves the
message behind the stored screen: the next tap sees `shown` differ from the stored screen's
view and shows it (the message heals), while a second tap on a message whose edit did land
finds them equal and edits nothing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("guided_sessions", sa.Column("shown", sa.String(96), nullable=True))


def downgrade() -> None:
    op.drop_column("guided_sessions", "shown")
