"""The pause: no reminders, and the days it covers that were not met neither count nor break
the streak (`bot.streaks` states the rules). There is one kind of pause, of two lengths:

- N stretch days: one PausedDay row each;
- until the user resumes: `User.paused_since`, the first paused stretch day.

A pause chosen on a day whose target is already met starts the next day (the met day counts
anyway, and today's reminder is not needed). Resuming ends the pause from today on and keeps
the days already over, so the history, and the streak it protected, stays intact.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Select, Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from coach import schedule
from coach.streaks import Pause
from storage.batch import fetch, in_ids
from storage.db import Executor, upsert_insert
from storage.models import PausedDay, User

_paused = cast(Table, PausedDay.__table__)
_users = cast(Table, User.__table__)


def user_today(user: User, now: datetime) -> date:
    """The user's current stretch day (rolling over at 03:00 in their zone)."""
    return schedule.user_stretch_day(user.time_zone, now)


async def pause(
    session: AsyncSession, user: User, today: date, days: int | None, *, today_met: bool
) -> Pause:
    """Pause for `days` stretch days (None: until resumed), replacing any pause ahead."""
    if days is not None and days < 1:
        raise ValueError(f"a pause lasts at least one day, got {days}")
    await resume(session, user, today)
    first = today + timedelta(days=1) if today_met else today
    if days is None:
        user.paused_since = first
        return Pause(first, None)
    await _add_days(session, user.id, [first + timedelta(days=n) for n in range(days)])
    return Pause(first, first + timedelta(days=days - 1))


async def resume(session: AsyncSession, user: User, today: date) -> bool:
    """End the pause from today on; True when there was one to end."""
    ended = user.paused_since is not None
    if user.paused_since is not None:
        # The days of the open pause that are over become rows, so they stay protected.
        span = (today - user.paused_since).days
        await _add_days(
            session, user.id, [user.paused_since + timedelta(days=n) for n in range(span)]
        )
        user.paused_since = None
    outcome = await session.execute(
        delete(PausedDay).where(PausedDay.user_id == user.id, PausedDay.stretch_day >= today)
    )
    return ended or bool(outcome.rowcount)  # type: ignore[attr-defined]


async def _add_days(session: AsyncSession, user_id: int, days: Collection[date]) -> None:
    if not days:
        return
    rows = [{"user_id": user_id, "stretch_day": day} for day in days]
    # Insert-or-ignore: a day paused twice (two taps at once, say) stays one row.
    await session.execute(upsert_insert(session, PausedDay).values(rows).on_conflict_do_nothing())


async def pause_ahead(session: AsyncSession, user: User, today: date) -> Pause | None:
    """The pause that covers today or starts tomorrow, or None."""
    if user.paused_since is not None:
        return Pause(user.paused_since, None)
    days = set(
        await session.scalars(
            select(PausedDay.stretch_day).where(
                PausedDay.user_id == user.id, PausedDay.stretch_day >= today
            )
        )
    )
    first = next((day for day in (today, today + timedelta(days=1)) if day in days), None)
    if first is None:
        return None
    last = first
    while last + timedelta(days=1) in days:
        last += timedelta(days=1)
    return Pause(first, last)


async def paused_by_user(
    executor: Executor,
    user_ids: Collection[int],
    since: date | None,
    until: date | None = None,
    *,
    open_ended: bool = False,
) -> dict[int, set[date]]:
    """User -> paused stretch days in [since, until], in one query for many users: the days
    of N-day pauses and, with `open_ended` (and an `until`, since they have no end), those of
    pauses until resumed. Callers whose users cannot be paused until resumed (the tick claims
    none, and `reminder_plan.reschedule` stores no reminder for them) leave it off."""
    if not user_ids:
        return {}
    bounds = {name: day for name, day in (("since", since), ("until", until)) if day is not None}
    query = _paused_days(since is not None, until is not None)
    found: dict[int, set[date]] = {}
    for user_id, day in await fetch(executor, query, ids=user_ids, **bounds):
        found.setdefault(user_id, set()).add(day)
    if not open_ended:
        return found
    if until is None:
        raise ValueError("a pause until resumed needs an end to list its days")
    since_paused = select(_users.c.id, _users.c.paused_since).where(
        in_ids(_users.c.id, user_ids), _users.c.paused_since <= until
    )
    for user_id, first in await executor.execute(since_paused):
        day = first if since is None else max(first, since)
        days = found.setdefault(user_id, set())
        while day <= until:
            days.add(day)
            day += timedelta(days=1)
    return found


@functools.cache
def _paused_days(since: bool, until: bool) -> Select[tuple[int, date]]:
    """Paused days of a list of users, from `since` and up to `until` where given: built once
    for each form, as `batch.fetch` wants."""
    query = select(_paused.c.user_id, _paused.c.stretch_day).where(in_ids(_paused.c.user_id, "ids"))
    if since:
        query = query.where(_paused.c.stretch_day >= bindparam("since"))
    if until:
        query = query.where(_paused.c.stretch_day <= bindparam("until"))
    return query
