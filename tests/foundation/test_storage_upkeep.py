"""Storage upkeep: start-up schema check, SQLite's background checkpoint, and the text SQLite
holds for dates and times (the same as SQLAlchemy's own types, so older rows still compare)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeEngine

from storage.db import Database
from storage.migrate import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    downgrade,
    ensure_schema,
)
from storage.models import ReminderSent, User
from storage.users import ensure_user
from tests.harness import Harness

AT = datetime(2026, 11, 24, 7, 30, 15, 250, tzinfo=UTC)


def test_head_revision_is_the_newest_migration(tmp_path: Path) -> None:
    config = alembic_config(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


async def test_ensure_schema_migrates_only_when_behind(database_url: str) -> None:
    assert await current_revision(database_url) == HEAD_REVISION
    assert await ensure_schema(database_url) is False
    await downgrade(database_url, "0001")
    assert await current_revision(database_url) == "0001"
    assert await ensure_schema(database_url) is True
    assert await current_revision(database_url) == HEAD_REVISION


async def test_ensure_schema_creates_a_new_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    assert await current_revision(url) is None
    assert await ensure_schema(url) is True
    db = Database(url)
    try:
        async with db.transaction() as session:
            await ensure_user(session, 7, 7, "Ann")
    finally:
        await db.dispose()
    assert await ensure_schema(url) is False


def _stock_text(column_type: TypeEngine[Any], value: object) -> object:
    """What SQLAlchemy's own SQLite type would store for `value`."""
    process = column_type.bind_processor(sqlite.dialect())
    assert process is not None
    return process(value)


async def test_sqlite_text_for_dates_and_times_is_sqlalchemys_own(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'text.db'}"
    await ensure_schema(url)
    db = Database(url)
    try:
        async with db.transaction() as session:
            user, _ = await ensure_user(session, 1, 1, "Ann")
            user.reminder_time, user.next_reminder_at = time(7, 30), AT
            session.add(ReminderSent(user_id=1, stretch_day=date(2026, 11, 24), sent_at=AT))
        async with db.connection() as connection:
            raw = (
                await connection.execute(
                    text(
                        "SELECT u.next_reminder_at, u.reminder_time, r.stretch_day "
                        "FROM users u JOIN reminders_sent r ON r.user_id = u.id"
                    )
                )
            ).one()
        stock = (  # SQLAlchemy's dialect types are untyped
            _stock_text(sqlite.DATETIME(), AT.replace(tzinfo=None)),  # type: ignore[no-untyped-call]
            _stock_text(sqlite.TIME(), time(7, 30)),  # type: ignore[no-untyped-call]
            _stock_text(sqlite.DATE(), date(2026, 11, 24)),  # type: ignore[no-untyped-call]
        )
        assert tuple(raw) == stock
        assert stock == ("2026-11-24 07:30:15.000250", "07:30:00.000000", "2026-11-24")

        # A row written in that format by any other writer reads back as the same values.
        async with db.connection() as connection:
            await connection.execute(
                text("UPDATE users SET next_reminder_at = :at, reminder_time = :t"),
                {"at": "2026-12-01 06:00:00.000000", "t": "19:45:00.000000"},
            )
        async with db.transaction() as session:
            stored = await session.get(User, 1)
            assert stored is not None
            assert stored.next_reminder_at == datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
            assert stored.reminder_time == time(19, 45)
    finally:
        await db.dispose()


def _users_in_file_alone(database: Path, copy: Path) -> int:
    """Users visible from the database file without its write-ahead log."""
    shutil.copy(database, copy)
    with sqlite3.connect(copy) as connection:
        return int(connection.execute("SELECT count(*) FROM users").fetchone()[0])


async def test_checkpoint_moves_the_log_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    url = f"sqlite+aiosqlite:///{path}"
    await ensure_schema(url)
    db = Database(url)
    try:
        await db.checkpoint()
        async with db.transaction() as session:
            for uid in range(1, 201):
                await ensure_user(session, uid, uid, "Ann")
        # Committed, but only in the log: the automatic checkpoint waits for far more pages.
        assert _users_in_file_alone(path, tmp_path / "before.db") == 0
        log_pages, copied = await db.checkpoint() or (0, 0)
        assert log_pages > 0 and copied == log_pages
        assert _users_in_file_alone(path, tmp_path / "after.db") == 200
    finally:
        await db.dispose()


async def test_the_running_bot_checkpoints_sqlite_in_the_background(harness: Harness) -> None:
    jobs = {job.name: job for job in harness.app.job_queue.jobs()}  # type: ignore[union-attr]
    db = harness.services.db
    if not db.is_sqlite:
        assert "sqlite-checkpoint" not in jobs and await db.checkpoint() is None
        return
    await harness.send(41, "/start")
    path = Path(db.engine.url.database or "")
    assert _users_in_file_alone(path, path.with_name("before.db")) == 0
    await jobs["sqlite-checkpoint"].run(harness.app)
    assert _users_in_file_alone(path, path.with_name("after.db")) == 1
