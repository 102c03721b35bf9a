"""Storage: migrations on both databases, and SQLite transactions that never lose an update."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.migrate import downgrade, upgrade
from storage.models import Base, LoggedSet, User
from storage.users import ensure_user

EXPECTED_TABLES = {t.name for t in Base.metadata.sorted_tables}


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names())) - {
            "alembic_version"
        }


async def test_migrations_up_down_up(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await _tables(db) == EXPECTED_TABLES
        await downgrade(database_url)
        assert await _tables(db) == set()
        await upgrade(database_url)
        assert await _tables(db) == EXPECTED_TABLES
    finally:
        await db.dispose()


async def test_models_match_the_migrations(database_url: str) -> None:
    """No drift between storage/models.py and what the migrations build (types included)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database(database_url)
    try:
        async with db.engine.connect() as conn:
            drift = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await db.dispose()
    assert drift == []


async def test_utc_datetimes_round_trip_aware(database_url: str) -> None:
    db = Database(database_url)
    berlin_morning = datetime(2026, 3, 29, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    try:
        async with db.transaction() as session:
            user, created = await ensure_user(session, 1, 1, "Ann")
            assert created
            user.next_reminder_at = berlin_morning
        async with db.transaction() as session:
            stored = await session.get(User, 1)
            assert stored is not None
            assert stored.next_reminder_at == berlin_morning
            assert stored.next_reminder_at.tzinfo is not None
            assert stored.next_reminder_at.utcoffset() == timedelta(0)
    finally:
        await db.dispose()


async def test_a_set_is_unique_per_day_stretch_side_and_number(database_url: str) -> None:
    db = Database(database_url)
    row = {"user_id": 1, "stretch_day": date(2026, 11, 24), "stretch_key": "mid_trunk"}
    try:
        async with db.transaction() as session:
            await ensure_user(session, 1, 1, "Ann")
            session.add(LoggedSet(**row, side="left", set_number=1))
        with pytest.raises(IntegrityError):
            async with db.transaction() as session:
                session.add(LoggedSet(**row, side="left", set_number=1))
        async with db.transaction() as session:
            count = len((await session.execute(select(LoggedSet))).scalars().all())
        assert count == 1
    finally:
        await db.dispose()


async def test_deleting_a_user_cascades(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            await ensure_user(session, 5, 5, "Bo")
            session.add(
                LoggedSet(
                    user_id=5,
                    stretch_day=date(2026, 1, 1),
                    stretch_key="a",
                    side="left",
                    set_number=1,
                    logged_at=datetime.now(UTC),
                )
            )
        async with db.transaction() as session:
            await session.delete(await session.get(User, 5))
        async with db.transaction() as session:
            assert (await session.execute(select(LoggedSet))).first() is None
    finally:
        await db.dispose()


async def test_200_concurrent_read_increment_write_transactions(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'counter.db'}"
    await upgrade(url)
    db = Database(url)
    try:
        async with db.transaction() as session:
            await ensure_user(session, 1, 1, "Counter")

        async def increment() -> None:
            async with db.transaction() as session:
                user = await session.get(User, 1)
                assert user is not None
                value = user.hold_seconds
                await asyncio.sleep(0)  # let every other transaction try to interleave here
                user.hold_seconds = value + 1

        async with db.transaction() as session:
            await session.execute(text("UPDATE users SET hold_seconds = 0"))
        await asyncio.gather(*(increment() for _ in range(200)))
        async with db.transaction() as session:
            user = await session.get(User, 1)
            assert user is not None and user.hold_seconds == 200
    finally:
        await db.dispose()


async def test_a_read_waits_for_no_writer_and_sees_the_last_commit(database_url: str) -> None:
    """A tap that only looks must not queue behind another user's write (on SQLite the
    writers take turns); it sees what was committed, not what is being written."""
    await upgrade(database_url)
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            await ensure_user(session, 1, 1, "Reader")
        writing, read_done = asyncio.Event(), asyncio.Event()

        async def writer() -> None:
            async with db.transaction() as session:
                await session.execute(text("UPDATE users SET hold_seconds = 45 WHERE id = 1"))
                writing.set()
                await asyncio.wait_for(read_done.wait(), 10)  # holds its turn until read

        async def reader() -> int | None:
            await writing.wait()
            async with db.read() as session:
                seen = (await session.execute(select(User.hold_seconds))).scalar_one()
            read_done.set()
            return seen

        _, seen = await asyncio.gather(writer(), reader())
        assert seen == 30  # the default, committed before; the writer's 45 is not yet
        async with db.read() as session:
            assert (await session.execute(select(User.hold_seconds))).scalar_one() == 45
    finally:
        await db.dispose()
