"""Schedule math: stretch days (rolling over at 03:00 local) and when the daily reminder fires.

A reminder is "nominally" due at `local_time` on a local calendar date D whose weekday is chosen.
That nominal reminder belongs to stretch day D, or to D − 1 when `local_time` is before 03:00
(00:30 is still the evening before). Each calendar date gives one nominal reminder, so each
stretch day gets at most one. The instant it fires is the wall time resolved in the zone: the
first occurrence of a repeated (fall-back) time, or the end of a spring-forward gap.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from coach import zones
from coach.texts import Texts

ROLLOVER = time(3, 0)
MAX_LATENESS = timedelta(hours=2)
ALL_WEEKDAYS = 0b1111111  # bit 0 = Monday … bit 6 = Sunday, as in storage.models
WORKWEEK = 0b0011111
WEEKEND = 0b1100000
# How many nominal dates to try before concluding there is none: a week plus DST slack.
_SEARCH_DAYS = 10


def local_now(now: datetime, tz: tzinfo) -> datetime:
    """`now` on the user's wall clock."""
    return now.astimezone(tz)


# A pure function of hashable values, called several times per user by the tick: users due
# together mostly share a zone and a time, and one user's plan resolves the same dates twice.
@functools.lru_cache(maxsize=8192)
def _resolve(day: date, local_time: time, tz: tzinfo) -> datetime:
    """The UTC instant `tz` first shows `local_time` on `day`, or the end of its gap."""
    # fold=0 picks the first of two repeated wall times (PEP 495).
    wall = datetime.combine(day, local_time, tz)
    instant = wall.astimezone(UTC)
    # Same tzinfo on both sides: Python compares the wall clocks, as a naive comparison would.
    if instant.astimezone(tz) == wall:
        return instant
    naive = wall.replace(tzinfo=None)
    # `naive` lies in a spring-forward gap. With fold=0 it was read with the offset from before
    # the gap (an instant after the transition), with fold=1 with the offset after it (before the
    # transition); the transition itself, the first valid instant, lies in between.
    low_instant = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low_offset = low_instant.astimezone(tz).utcoffset()
    # Bisect whole seconds: transitions happen on whole seconds.
    low, high = math.floor(low_instant.timestamp()), math.ceil(instant.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == low_offset:
            low = middle
        else:
            high = middle
    # Transitions fall on whole minutes in every modern zone; round up in case one does not.
    return datetime.fromtimestamp(-(-high // 60) * 60, UTC)


def cache_clear() -> None:
    """Forget cached fire times (benchmarks start each run cold)."""
    _resolve.cache_clear()


def weekday_enabled(mask: int, weekday: int) -> bool:
    """Whether `weekday` (0 = Monday, as date.weekday()) is chosen in `mask`."""
    return bool(mask >> weekday & 1)


def set_weekday(mask: int, weekday: int, on: bool) -> int:
    """`mask` with `weekday` (0 = Monday) on or off, whatever it was."""
    bit = 1 << weekday
    return (mask | bit if on else mask & ~bit) & ALL_WEEKDAYS


def describe_weekdays(mask: int, texts: Texts) -> str:
    """Chosen weekdays in words: "every day", "weekdays", "weekends", "Mon, Wed, Fri"."""
    mask &= ALL_WEEKDAYS
    named = {
        ALL_WEEKDAYS: texts.WEEKDAYS_EVERY_DAY,
        WORKWEEK: texts.WEEKDAYS_WORKWEEK,
        WEEKEND: texts.WEEKDAYS_WEEKEND,
        0: texts.WEEKDAYS_NONE,
    }
    if mask in named:
        return named[mask]
    return ", ".join(
        name for day, name in enumerate(texts.WEEKDAY_SHORT) if weekday_enabled(mask, day)
    )


def stretch_day(now: datetime, tz: tzinfo) -> date:
    """The stretch day `now` belongs to: stretch day D runs from D 03:00 to D+1 03:00 local."""
    local = now.astimezone(tz)
    day = local.date() if local.time() >= ROLLOVER else local.date() - timedelta(days=1)
    # Where a fall-back repeats 03:00 (Pacific/Chatham: 03:45 → 02:45) the clock shows a time
    # before 03:00 again after the next day began; days never go backwards.
    if _resolve(day + timedelta(days=1), ROLLOVER, tz) <= now:
        day += timedelta(days=1)
    return day


def user_stretch_day(zone: str | None, now: datetime) -> date:
    """A user's stretch day at `now`, from their stored zone (`zones.user_tzinfo`'s fallback)."""
    return stretch_day(now, zones.user_tzinfo(zone))


def _nominal_stretch_day(day: date, local_time: time) -> date:
    return day if local_time >= ROLLOVER else day - timedelta(days=1)


def _first_nominal_date(after_day: date, local_time: time) -> date:
    """The first calendar date whose reminder belongs to a stretch day after `after_day`."""
    return after_day + timedelta(days=1 if local_time >= ROLLOVER else 2)


def _fire_times(start: date, tz: tzinfo, local_time: time, weekdays: int) -> Iterator[datetime]:
    day = start
    for _ in range(_SEARCH_DAYS):
        if weekday_enabled(weekdays, day.weekday()):
            yield _resolve(day, local_time, tz)
        day += timedelta(days=1)


def _first_fire(
    start: date, tz: tzinfo, local_time: time, weekdays: int, later_than: datetime | None
) -> datetime | None:
    """The first fire time of a nominal date ≥ `start`, strictly after `later_than` if given."""
    if weekdays & ALL_WEEKDAYS == 0:
        return None
    if later_than is not None:
        # Nothing on a date before the one before `later_than` can fire after it.
        start = max(start, later_than.astimezone(tz).date() - timedelta(days=1))
    for at in _fire_times(start, tz, local_time, weekdays):
        if later_than is None or at > later_than:
            return at
    return None


def next_reminder_at(
    after: datetime, tz: tzinfo, local_time: time, weekdays: int
) -> datetime | None:
    """The first fire time strictly after `after` on a chosen weekday (aware UTC), or None."""
    start = after.astimezone(tz).date() - timedelta(days=1)
    return _first_fire(start, tz, local_time, weekdays, after)


def next_reminder_after_day(
    day: date, tz: tzinfo, local_time: time, weekdays: int
) -> datetime | None:
    """The first fire time whose stretch day is after `day` ("Skip today", after a send)."""
    return _first_fire(_first_nominal_date(day, local_time), tz, local_time, weekdays, None)


def reminder_stretch_day(at: datetime, tz: tzinfo, local_time: time) -> date:
    """The stretch day of the reminder for `local_time` that fired last, at or before `at`.

    02:30 belongs to the day before, even where a DST gap moved it to 03:00. For a snooze (an
    instant a little after a reminder) it is the snoozed reminder's day, also across 03:00.
    """
    local_date = at.astimezone(tz).date()
    for offset in (1, 0, -1, -2):
        day = local_date + timedelta(days=offset)
        if _resolve(day, local_time, tz) <= at:
            return _nominal_stretch_day(day, local_time)
    raise AssertionError("unreachable: a reminder time two days back is always earlier")


def plan_after_due(
    due: datetime, now: datetime, tz: tzinfo, local_time: time, weekdays: int
) -> tuple[bool, datetime | None]:
    """Whether the reminder due at `due` is still worth sending now, and the next fire time.

    The next one belongs to a later stretch day. After a long outage it may lie in the past,
    but never more than MAX_LATENESS: the next tick then sends it, still on time enough.
    """
    if now < due:
        return False, due
    _, send, next_at = plan_reminder(due, now, tz, local_time, weekdays)
    return send, next_at


def plan_reminder(
    due: datetime,
    now: datetime,
    tz: tzinfo,
    local_time: time,
    weekdays: int,
    *,
    snoozed: bool = False,
) -> tuple[date, bool, datetime | None]:
    """The tick's whole decision for a reminder due at `due` (≤ `now`) in one pass.

    Returns its stretch day, whether it is still worth sending, and the next fire time (of a
    later stretch day). A snooze (`snoozed`) repeats a reminder already sent, so the next one
    is simply the first of a later stretch day, with no lateness window to catch up.
    """
    day = reminder_stretch_day(due, tz, local_time)
    send = now - due < MAX_LATENESS
    if snoozed:
        return day, send, next_reminder_after_day(day, tz, local_time, weekdays)
    start = _first_nominal_date(day, local_time)
    return day, send, _first_fire(start, tz, local_time, weekdays, now - MAX_LATENESS)


def skip_paused(
    at: datetime | None, tz: tzinfo, local_time: time, weekdays: int, paused: Collection[date]
) -> datetime | None:
    """`at`, or the first fire time after it whose stretch day is not in `paused`."""
    while at is not None and paused:
        day = reminder_stretch_day(at, tz, local_time)
        if day not in paused:
            break
        at = next_reminder_after_day(day, tz, local_time, weekdays)
    return at
