"""The language a user is spoken to in

users.language: one of coach.i18n.LANGUAGES ("en", "es", "pt_BR", "ru", "de"), set for a new
user from Telegram's language_code and changed by /language. NULL for users from before this
revision: they are spoken to in the language their Telegram language_code negotiates to.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (not batch mode: on SQLite that would copy and drop the users table).
    op.add_column("users", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "language")
