"""Apply Alembic migrations from code (the CLI, `make run` and the tests all use this)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.db import create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions; a test holds it to Alembic's own answer.
HEAD_REVISION = "0014"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at; None when it has no schema yet."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:  # no alembic_version table: a new database
        found = None
    finally:
        await engine.dispose()
    return str(found) if found is not None else None


async def ensure_schema(url: str) -> bool:
    """Upgrade to the newest revision unless the database is already there; True if it did.

    What the bot runs on every start: when nothing changed it reads one row and never
    imports Alembic, which with its template engine would stay in a running bot's memory
    (~9 MB of ~88 at start; `make bench` measures it).
    """
    if await current_revision(url) == HEAD_REVISION:
        return False
    await upgrade(url)
    return True


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`, on a connection of our own engine."""
    from alembic import command

    await _run(url, lambda config: command.upgrade(config, revision))


async def downgrade(url: str, revision: str = "base") -> None:
    from alembic import command

    await _run(url, lambda config: command.downgrade(config, revision))


async def _run(url: str, step: Callable[[Config], None]) -> None:
    # Alembic is synchronous: hand it a connection of our async engine (SQLite pragmas
    # included) instead of letting env.py start an event loop of its own.
    engine = create_engine(url)
    config = alembic_config(url)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        step(config)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()
