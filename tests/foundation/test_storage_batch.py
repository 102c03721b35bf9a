"""storage.batch on both databases: an id list bound as one value, and executemany with
values converted once per statement or once per row."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import reminders
from storage.batch import execute_many, fetch, in_ids
from storage.db import Database
from storage.models import ReminderSent, User
from storage.sqltypes import UTCDateTime

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
_users: Table = User.__table__  # type: ignore[assignment]
_sent: Table = ReminderSent.__table__  # type: ignore[assignment]

# Built once, as execute_many wants: a value in the statement, one shared, three per row.
_record = insert(_sent).values(
    user_id=bindparam("uid"),
    stretch_day=bindparam("day"),
    kind="skipped",
    sent_at=bindparam("now"),
    message_id=bindparam("mid"),
)
_move = (
    update(_users)
    .where(_users.c.id == bindparam("uid"))
    .values(next_reminder_at=bindparam("at"), updated_at=bindparam("now"))
)


async def _add_users(connection: AsyncConnection, ids: list[int]) -> None:
    rows = [{"id": uid, "chat_id": uid, "first_name": "Ann"} for uid in ids]
    await connection.execute(insert(_users), rows)


async def test_in_ids_matches_exactly_the_listed_ids(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.connection() as connection:
            # Telegram ids pass 2**31; 40,000 ids are more than either database would bind.
            big = 7_000_000_000
            await _add_users(connection, [1, 2, 3, big])
            query = select(_users.c.id).order_by(_users.c.id)
            for ids, expected in (
                ([3, 1, big, 99], [1, 3, big]),
                ([], []),
                ([2, 2], [2]),
                (range(2, 40_002), [2, 3]),
            ):
                found = await connection.scalars(query.where(in_ids(_users.c.id, ids)))
                assert list(found) == expected, ids
            # A mapped attribute works as well as a table's column.
            found = await connection.scalars(select(User.id).where(in_ids(User.id, {1, big})))
            assert sorted(found) == [1, big]
    finally:
        await db.dispose()


async def test_execute_many_writes_every_row_with_shared_and_own_values(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.connection() as connection:
            await _add_users(connection, [10, 11, 12])
            rows = [
                {"uid": 10, "day": date(2026, 11, 24), "mid": 500},
                {"uid": 11, "day": date(2026, 11, 25), "mid": None},
            ]
            await execute_many(connection, _record, rows, now=NOW)
            later = NOW + timedelta(hours=5)
            await execute_many(
                connection,
                _move,
                [{"uid": 10, "at": later}, {"uid": 12, "at": None}],
                now=NOW,
            )
            await execute_many(connection, _move, [], now=NOW)  # nothing to do: no statement
        async with db.connection() as connection:
            sent = await connection.execute(
                select(
                    _sent.c.user_id,
                    _sent.c.stretch_day,
                    _sent.c.kind,
                    _sent.c.sent_at,
                    _sent.c.message_id,
                ).order_by(_sent.c.user_id)
            )
            assert [tuple(row) for row in sent] == [
                (10, date(2026, 11, 24), "skipped", NOW, 500),
                (11, date(2026, 11, 25), "skipped", NOW, None),
            ]
            moved = await connection.execute(
                select(_users.c.id, _users.c.next_reminder_at, _users.c.updated_at).order_by(
                    _users.c.id
                )
            )
            rows_by_id = {row[0]: (row[1], row[2]) for row in moved}
            assert rows_by_id[10] == (later, NOW)
            assert rows_by_id[12] == (None, NOW)
            assert rows_by_id[11][1] != NOW  # not in the list: left alone
    finally:
        await db.dispose()


async def test_execute_many_refuses_a_row_without_a_parameter(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.connection() as connection:
            await _add_users(connection, [20])
            with pytest.raises(KeyError, match="at"):
                await execute_many(connection, _move, [{"uid": 20}], now=NOW)
    finally:
        await db.dispose()


# Built once, as fetch wants: a list parameter, a plain one, and columns of every kind the
# tick reads (UTC datetime, time of day, boolean, text).
_profile = (
    select(
        _users.c.id,
        _users.c.next_reminder_at,
        _users.c.reminder_time,
        _users.c.snoozed,
        _users.c.time_zone,
    )
    .where(in_ids(_users.c.id, "ids"), _users.c.weekdays >= bindparam("weekdays"))
    .order_by(_users.c.id)
)
_take = (
    update(_users)
    .where(in_ids(_users.c.id, "ids"))
    .values(snoozed=True, updated_at=bindparam("now"))
    .returning(_users.c.id, _users.c.snoozed)
)


async def test_fetch_reads_the_values_sqlalchemy_reads(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.connection() as connection:
            await _add_users(connection, [1, 2, 3])
            await connection.execute(
                update(_users)
                .where(_users.c.id == 1)
                .values(next_reminder_at=NOW, reminder_time=time(7, 30), time_zone="Asia/Tokyo")
            )
            await connection.execute(update(_users).where(_users.c.id == 2).values(weekdays=0))
            wanted = {"ids": {3: "a dict's keys", 1: "", 2: "", 99: ""}, "weekdays": 1}
            rows = await fetch(connection, _profile, **wanted)
            assert [tuple(row) for row in rows] == [
                (1, NOW, time(7, 30), False, "Asia/Tokyo"),
                (3, None, None, False, None),
            ]
            assert [type(value) for value in rows[0]] == [int, datetime, time, bool, str]
            by_sqlalchemy = await connection.execute(_profile, wanted)
            assert [tuple(row) for row in rows] == [tuple(row) for row in by_sqlalchemy]
            assert await fetch(connection, _profile, ids=[], weekdays=0) == []
    finally:
        await db.dispose()


async def test_fetch_and_execute_many_write_inside_the_callers_transaction(
    database_url: str,
) -> None:
    """Straight to the driver on SQLite, still in SQLAlchemy's transaction: a rollback takes
    back what they wrote, and a fetch outside any transaction is refused."""
    db = Database(database_url)
    try:
        async with db.connection() as connection:
            await _add_users(connection, [5, 6])
        taken: list[Any] = []

        async def write_then_fail() -> None:
            async with db.connection() as connection:
                taken.extend(await fetch(connection, _take, ids=[5], now=NOW))
                await execute_many(connection, _move, [{"uid": 6, "at": NOW}], now=NOW)
                raise LookupError("rolled back")

        with pytest.raises(LookupError, match="rolled back"):
            await write_then_fail()
        assert [tuple(row) for row in taken] == [(5, True)]
        async with db.connection() as connection:
            left = await connection.execute(
                select(_users.c.id, _users.c.snoozed, _users.c.next_reminder_at).order_by(
                    _users.c.id
                )
            )
            assert [tuple(row) for row in left] == [(5, False, None), (6, False, None)]
        if db.is_sqlite:
            async with db.engine.connect() as outside:
                with pytest.raises(RuntimeError, match="inside a transaction"):
                    await fetch(outside, _take, ids=[5], now=NOW)
    finally:
        await db.dispose()


def test_utc_datetimes_keep_sqlite_s_stored_text() -> None:
    """The fast SQLite conversions write and read exactly SQLAlchemy's own text form."""
    dialect = sqlite.dialect()
    to_db = UTCDateTime().bind_processor(dialect)
    from_db = UTCDateTime().result_processor(dialect, None)
    assert to_db is not None and from_db is not None
    east = datetime(2026, 3, 29, 3, 30, 0, 250, tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    assert to_db(east) == "2026-03-29 03:30:00.000250"
    assert from_db("2026-03-29 03:30:00.000250") == east
    assert to_db(None) is None and from_db(None) is None
    with pytest.raises(ValueError, match="naive"):
        to_db(datetime(2026, 1, 1))


async def test_complete_advances_each_claims_users_only_while_their_lease_holds(
    database_url: str,
) -> None:
    """Outcomes of two claims (two leases) recorded together: each user moves on to their
    next reminder and drops the lease, except one another instance has taken over since."""
    db = Database(database_url)
    try:
        async with db.connection() as connection:
            await _add_users(connection, [30, 31, 32])
            for uid, minutes in ((30, 3), (31, 2), (32, 1)):
                at = NOW - timedelta(minutes=minutes)
                await connection.execute(
                    update(_users).where(_users.c.id == uid).values(next_reminder_at=at)
                )
        async with db.connection() as connection:
            first = await reminders.claim_due(connection, NOW, limit=2)
        async with db.connection() as connection:
            # A second later, within the first claim's lease.
            second = await reminders.claim_due(connection, NOW + timedelta(seconds=1))
        assert [d.user_id for d in first] == [30, 31] and [d.user_id for d in second] == [32]
        assert first[0].lease != second[0].lease
        taken_over = NOW + timedelta(hours=1)
        async with db.connection() as connection:
            await connection.execute(
                update(_users).where(_users.c.id == 31).values(lease_until=taken_over)
            )
        for due in (*first, *second):
            due.next_at = NOW + timedelta(days=1, minutes=due.user_id)
        async with db.connection() as connection:
            outcomes = [reminders.Outcome(due) for due in (*first, *second)]
            await reminders.complete(connection, outcomes, NOW)
        async with db.connection() as connection:
            found = await connection.execute(
                select(_users.c.id, _users.c.next_reminder_at, _users.c.lease_until).order_by(
                    _users.c.id
                )
            )
            assert [tuple(row) for row in found] == [
                (30, NOW + timedelta(days=1, minutes=30), None),
                (31, NOW - timedelta(minutes=2), taken_over),  # not ours any more: untouched
                (32, NOW + timedelta(days=1, minutes=32), None),
            ]
    finally:
        await db.dispose()
