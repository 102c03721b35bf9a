"""Pause days: no reminders, and the streak neither counts nor breaks. One PausedDay row each.

A pause covers today's stretch day and the days after it; resuming early removes today's and
later rows but keeps past ones, so the history (and the streak it protected) stays intact.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import schedule, zones
from storage.models import PausedDay, User

FALLBACK_ZONE = "UTC+00:00"


def user_today(user: User, now: datetime) -> date:
    """The user's current stretch day (rolling over at 03:00 in their zone)."""
    return schedule.stretch_day(now, zones.to_tzinfo(user.time_zone or FALLBACK_ZONE))


async def pause(session: AsyncSession, user_id: int, today: date, days: int) -> date:
    """Pause `days` stretch days from `today` on, replacing any pause already ahead; last day."""
    if days < 1:
        raise ValueError(f"a pause lasts at least one day, got {days}")
    await resume(session, user_id, today)
    session.add_all(
        PausedDay(user_id=user_id, stretch_day=today + timedelta(days=offset))
        for offset in range(days)
    )
    await session.flush()
    return today + timedelta(days=days - 1)


async def resume(session: AsyncSession, user_id: int, today: date) -> int:
    """End the pause now: delete today's and future paused days; returns how many."""
    outcome = await session.execute(
        delete(PausedDay).where(PausedDay.user_id == user_id, PausedDay.stretch_day >= today)
    )
    return int(outcome.rowcount)  # type: ignore[attr-defined]


async def paused_until(session: AsyncSession, user_id: int, today: date) -> date | None:
    """The last day of the pause that covers `today`, or None when today is not paused."""
    days = set(
        await session.scalars(
            select(PausedDay.stretch_day).where(
                PausedDay.user_id == user_id, PausedDay.stretch_day >= today
            )
        )
    )
    if today not in days:
        return None
    last = today
    while last + timedelta(days=1) in days:
        last += timedelta(days=1)
    return last
