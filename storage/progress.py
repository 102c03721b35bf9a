"""Progress queries over logged sets and paused days: a day's sets, the streak, the calendar.

Other features call these (reminders, /progress); the maths lives in `bot.streaks`. Only sets
numbered within the user's sets per side count, so the numbers agree with the set buttons.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.routine import SIDES, load_routine
from bot.streaks import Part, Streak, compute_streak, day_done, target_met
from storage.models import LoggedSet, PausedDay, User


def routine_parts() -> list[Part]:
    """Every (stretch key, side) of the routine: the parts of a day's target."""
    return [(stretch.key, side) for stretch in load_routine().stretches for side in SIDES]


async def day_sets(
    session: AsyncSession, user_id: int, day: date, *, max_set: int | None = None
) -> dict[tuple[str, str], int]:
    """(stretch key, side) -> number of sets logged that stretch day (numbers ≤ max_set)."""
    by_day = await _counts_by_day(session, user_id, since=day, until=day, max_set=max_set)
    return by_day.get(day, {})


async def paused_days(session: AsyncSession, user_id: int) -> set[date]:
    """Every stretch day the user paused."""
    rows = await session.scalars(select(PausedDay.stretch_day).where(PausedDay.user_id == user_id))
    return set(rows)


async def user_streak(session: AsyncSession, user: User, today: date) -> Streak:
    """Current and best streak as of `today`, from the user's sets and paused days."""
    parts = routine_parts()
    by_day = await _counts_by_day(session, user.id, max_set=user.sets_per_side)
    met = [day for day, counts in by_day.items() if target_met(counts, parts, user.sets_per_side)]
    return compute_streak(met, await paused_days(session, user.id), today)


async def today_target_met(session: AsyncSession, user: User, today: date) -> bool:
    """Whether every stretch × side reached the user's sets per side on `today`."""
    counts = await day_sets(session, user.id, today, max_set=user.sets_per_side)
    return target_met(counts, routine_parts(), user.sets_per_side)


async def done_by_day(session: AsyncSession, user: User, since: date) -> dict[date, int]:
    """Stretch day -> sets counted toward that day's target (capped per part), from `since`."""
    parts = routine_parts()
    by_day = await _counts_by_day(session, user.id, since=since, max_set=user.sets_per_side)
    return {day: day_done(counts, parts, user.sets_per_side) for day, counts in by_day.items()}


async def _counts_by_day(
    session: AsyncSession,
    user_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
    max_set: int | None = None,
) -> dict[date, dict[Part, int]]:
    query = (
        select(LoggedSet.stretch_day, LoggedSet.stretch_key, LoggedSet.side, func.count())
        .where(LoggedSet.user_id == user_id)
        .group_by(LoggedSet.stretch_day, LoggedSet.stretch_key, LoggedSet.side)
    )
    if since is not None:
        query = query.where(LoggedSet.stretch_day >= since)
    if until is not None:
        query = query.where(LoggedSet.stretch_day <= until)
    if max_set is not None:
        query = query.where(LoggedSet.set_number <= max_set)
    counts: dict[date, dict[Part, int]] = {}
    for day, key, side, count in await session.execute(query):
        counts.setdefault(day, {})[(key, side)] = int(count)
    return counts
