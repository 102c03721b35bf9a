"""Logging and undoing sets. The unique constraint on LoggedSet is the source of truth, so a
set tapped twice (or fifty times at once) is stored once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import LoggedSet


async def log_set(
    session: AsyncSession,
    user_id: int,
    day: date,
    stretch_key: str,
    side: str,
    set_number: int,
    now: datetime,
    *,
    sets_target: int,
) -> bool:
    """Record a set under the user's current sets per side (`sets_target`), which stays the
    target of its day once the day is over; True when it is new, False when already logged."""
    values = {
        "user_id": user_id,
        "stretch_day": day,
        "stretch_key": stretch_key,
        "side": side,
        "set_number": set_number,
        "sets_target": sets_target,
        "logged_at": now,
    }
    # ON CONFLICT DO NOTHING instead of check-then-insert: concurrent taps cannot both insert,
    # and the losing one neither fails nor aborts its transaction.
    statement = upsert_insert(session, LoggedSet).values(**values).on_conflict_do_nothing()
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def undo_set(
    session: AsyncSession, user_id: int, day: date, stretch_key: str, side: str, set_number: int
) -> bool:
    """Remove a logged set; True when there was one to remove."""
    result = await session.execute(
        delete(LoggedSet).where(
            LoggedSet.user_id == user_id,
            LoggedSet.stretch_day == day,
            LoggedSet.stretch_key == stretch_key,
            LoggedSet.side == side,
            LoggedSet.set_number == set_number,
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def logged_numbers(
    session: AsyncSession, user_id: int, day: date
) -> dict[tuple[str, str], frozenset[int]]:
    """(stretch key, side) -> the set numbers logged on that stretch day."""
    rows = await session.execute(
        select(LoggedSet.stretch_key, LoggedSet.side, LoggedSet.set_number).where(
            LoggedSet.user_id == user_id, LoggedSet.stretch_day == day
        )
    )
    numbers: dict[tuple[str, str], set[int]] = {}
    for key, side, number in rows:
        numbers.setdefault((key, side), set()).add(number)
    return {part: frozenset(found) for part, found in numbers.items()}
