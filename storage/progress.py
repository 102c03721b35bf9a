"""Progress queries over logged sets and paused days: a day's sets, the streak, the calendar.

Other features call these (reminders, /progress); the maths lives in `bot.streaks`. Every day
is judged against its own target by one rule, written once in `day_tallies`:

- a day with logged sets keeps the sets per side they were logged under
  (`LoggedSet.sets_target`; a set logged on a day that already has sets takes the day's
  target, see `storage.sets.day_sets`, so a change of the setting applies from the next
  stretch day and never un-finishes today or rewrites history; on days from before that rule,
  the most recently logged set's value wins);
- a day without sets has the user's current setting (the caller knows it);
- a set counts toward a day only if its number is within that day's target, so the numbers
  agree with the set buttons.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coach.routine import load_routine
from coach.streaks import Part, Streak, compute_streak, day_done, run_known_since, target_met
from storage import pauses
from storage.batch import fetch, in_ids
from storage.db import Executor
from storage.models import LoggedSet, User

_logged = cast(Table, LoggedSet.__table__)
_users = cast(Table, User.__table__)

# How far back `standings` reads, in days, before it looks further (None: all history).
# Most current runs are short, so most users cost one short read.
STREAK_WINDOWS: tuple[int | None, ...] = (8, 64, None)


def routine_parts() -> list[Part]:
    """Every (stretch key, side) of the routine: the parts of a day's target."""
    return list(load_routine().parts)


@dataclass(frozen=True)
class DayTally:
    """One stretch day: the sets counted toward its target, per part, and that target."""

    counts: Mapping[Part, int]  # only parts with at least one counted set
    sets_per_side: int

    @property
    def target(self) -> int:
        """Sets the whole day needs, e.g. 12 for 3 per side."""
        return load_routine().day_target(self.sets_per_side)

    @property
    def done(self) -> int:
        """Sets counted toward the target (extra sets on one part do not make up another)."""
        return day_done(self.counts, routine_parts(), self.sets_per_side)

    @property
    def met(self) -> bool:
        return target_met(self.counts, routine_parts(), self.sets_per_side)


async def day_tallies(
    session: Executor,
    user_ids: Collection[int],
    *,
    since: date | None = None,
    until: date | None = None,
) -> dict[tuple[int, date], DayTally]:
    """(user, stretch day) -> that day's tally, for every day with logged sets, in one query.

    Every day is judged by its recorded target (see the module docstring). A day whose sets
    all lie beyond its target is still listed, with no counts, so its target is known.
    """
    if not user_ids:
        return {}
    bounds = {name: day for name, day in (("since", since), ("until", until)) if day is not None}
    query = _tallies(since is not None, until is not None)
    found: dict[tuple[int, date], tuple[int, dict[Part, int]]] = {}
    rows = await fetch(session, query, ids=user_ids, **bounds)
    for user_id, stretch_day, day_target, key, side, count in rows:
        _, counts = found.setdefault((user_id, stretch_day), (int(day_target), {}))
        if count:
            counts[(key, side)] = int(count)
    return {key: DayTally(counts, sets) for key, (sets, counts) in found.items()}


@functools.cache
def _tallies(since: bool, until: bool) -> Select[Any]:
    """`day_tallies`' query for a list of users, from `since` and up to `until` where given:
    built once for each form, as `batch.fetch` wants."""
    # The most recently logged set of the day carries the day's target; id breaks ties.
    recorded = func.first_value(_logged.c.sets_target).over(
        partition_by=(_logged.c.user_id, _logged.c.stretch_day),
        order_by=(_logged.c.logged_at.desc(), _logged.c.id.desc()),
    )
    rows = select(
        _logged.c.user_id,
        _logged.c.stretch_day,
        _logged.c.stretch_key,
        _logged.c.side,
        _logged.c.set_number,
        recorded.label("target"),
    ).where(in_ids(_logged.c.user_id, "ids"))
    if since:
        rows = rows.where(_logged.c.stretch_day >= bindparam("since"))
    if until:
        rows = rows.where(_logged.c.stretch_day <= bindparam("until"))
    # The window needs the day's rows before filtering by set number, so count in an outer
    # query; grouping by the subquery's plain column keeps PostgreSQL's GROUP BY check happy.
    day = rows.subquery()
    counted = func.count(case((day.c.set_number <= day.c.target, day.c.set_number)))
    return select(
        day.c.user_id, day.c.stretch_day, day.c.target, day.c.stretch_key, day.c.side, counted
    ).group_by(day.c.user_id, day.c.stretch_day, day.c.target, day.c.stretch_key, day.c.side)


async def user_days(
    session: AsyncSession,
    user_id: int,
    *,
    since: date | None = None,
    until: date | None = None,
) -> dict[date, DayTally]:
    """Stretch day -> tally for one user (see `day_tallies`)."""
    tallies = await day_tallies(session, [user_id], since=since, until=until)
    return {day: tally for (_, day), tally in tallies.items()}


async def paused_days(session: AsyncSession, user_id: int, until: date) -> set[date]:
    """Every stretch day the user paused, up to `until` (a pause until resumed has no end)."""
    found = await pauses.paused_by_user(session, [user_id], None, until, open_ended=True)
    return found.get(user_id, set())


@dataclass(frozen=True)
class Standing:
    """Where a user stands on `today`: the current streak and today's tally (None: no sets)."""

    streak: int
    today: DayTally | None

    @property
    def met(self) -> bool:
        return self.today is not None and self.today.met


_NO_RUN = Standing(0, None)


async def standings(session: Executor, todays: Mapping[int, date]) -> dict[int, Standing]:
    """Current streak and today's tally for many users, each on their own stretch day (the
    reminder tick's batch spans a few across time zones), with grouped queries that read
    only as far back as each user's run goes. None of them is paused until resumed: the tick
    claims no such user."""
    found: dict[int, Standing] = {}
    left, tallied = dict(todays), {}
    for window in STREAK_WINDOWS:
        if not left:
            break
        # One read for every day of the batch: from the earliest user's window on.
        first = None if window is None else min(left.values()) - timedelta(days=window)
        last = max(left.values())
        tallies = await day_tallies(session, left, since=first, until=last)
        paused = await pauses.paused_by_user(session, left, first, last)
        met: dict[int, set[date]] = {}
        for (user_id, day), tally in tallies.items():
            today = left[user_id]
            if day == today:
                tallied[user_id] = tally
            if tally.met and day <= today:
                met.setdefault(user_id, set()).add(day)
        further = {}
        for user_id, today in left.items():
            if user_id not in met and user_id not in paused:
                # Most of a batch: nothing met or paused in the window, so no current run.
                todays_tally = tallied.get(user_id)
                found[user_id] = _NO_RUN if todays_tally is None else Standing(0, todays_tally)
                continue
            days = met.get(user_id, set())
            off = {day for day in paused.get(user_id, ()) if day <= today}
            if window is not None:
                since = today - timedelta(days=window)
                if not run_known_since(days, off, today, since):
                    further[user_id] = today
                    continue
            streak = compute_streak(days, off, today).current if days else 0
            found[user_id] = Standing(streak, tallied.get(user_id))
        left = further
    return found


async def user_streak(session: AsyncSession, user_id: int, today: date) -> Streak:
    """Current and best streak as of `today`, from the user's sets and paused days."""
    days = await user_days(session, user_id, until=today)
    met = [day for day, tally in days.items() if tally.met]
    return compute_streak(met, await paused_days(session, user_id, today), today)


async def today_target_met(session: AsyncSession, user_id: int, today: date) -> bool:
    """Whether every stretch × side reached the day's sets per side on `today`."""
    days = await user_days(session, user_id, since=today, until=today)
    return today in days and days[today].met
