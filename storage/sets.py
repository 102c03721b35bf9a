"""Logging and undoing sets. The unique constraint on LoggedSet is the source of truth, so a
set tapped twice (or fifty times at once) is stored once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
    """Record a set under its day's sets per side (`sets_target`, see `day_sets`); True when
    it is new, False when already logged."""
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


@dataclass(frozen=True)
class DaySets:
    """A stretch day's logged sets and the sets per side they were logged under."""

    numbers: Mapping[tuple[str, str], frozenset[int]]  # (stretch key, side) -> set numbers
    recorded_target: int | None  # None while the day has no sets

    def sets_per_side(self, current: int) -> int:
        """The day's target: the recorded one, or the user's setting (`current`) while the
        day has no sets. Log the day's next set under it, so a change of the setting waits
        for the next stretch day once today has begun."""
        return self.recorded_target if self.recorded_target is not None else current

    def after(self, part: tuple[str, str], number: int, *, logged: bool, target: int) -> DaySets:
        """The day once set `number` of `part` is logged (under `target`) or undone: what a
        tap changed, without reading the day again."""
        numbers = dict(self.numbers)
        found = numbers.get(part, frozenset())
        numbers[part] = found | {number} if logged else found - {number}
        numbers = {key: sets for key, sets in numbers.items() if sets}
        if logged:
            return DaySets(numbers, target)  # the newest set's target is the day's
        return DaySets(numbers, self.recorded_target if numbers else None)


async def day_sets(session: AsyncSession, user_id: int, day: date) -> DaySets:
    """The day's logged sets; its recorded target is the most recent set's, as
    `storage.progress` reads it."""
    rows = await session.execute(
        select(LoggedSet.stretch_key, LoggedSet.side, LoggedSet.set_number, LoggedSet.sets_target)
        .where(LoggedSet.user_id == user_id, LoggedSet.stretch_day == day)
        .order_by(LoggedSet.logged_at, LoggedSet.id)
    )
    numbers: dict[tuple[str, str], set[int]] = {}
    target = None
    for key, side, number, sets_target in rows:
        numbers.setdefault((key, side), set()).add(number)
        target = sets_target
    return DaySets({part: frozenset(found) for part, found in numbers.items()}, target)
