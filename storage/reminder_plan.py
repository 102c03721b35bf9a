"""A user's reminder plan, changed one user at a time: after /time, /timezone, the weekdays,
a pause or resume (`reschedule`), a snooze or Skip today; and which message is the day's
reminder. The batch tick's queries are in `storage.reminders`.

Every change here clears the user's lease, so a tick sending to them right now leaves the new
plan alone (its completion is a compare-and-set on the lease it took).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from coach import schedule, zones
from storage import pauses, progress
from storage.models import ReminderSent, User


async def reschedule(session: AsyncSession, user: User, now: datetime) -> datetime | None:
    """Recompute and store `user.next_reminder_at` from time, zone, weekdays, pauses and the
    days already done: the next reminder that will really be sent.

    Call after any change to those (a day met or no longer met included); a pending snooze is
    dropped because the user has just chosen a new plan, and the lease is cleared so a tick
    sending right now keeps its hands off the new plan. The stored time never lies on a day
    that gets no reminder (paused, met, reminded or skipped), so confirmations can name it.
    """
    user.snoozed = False
    user.lease_until = None
    if user.paused_since is not None or user.time_zone is None or user.reminder_time is None:
        user.next_reminder_at = None
        return None
    tz = zones.user_tzinfo(user.time_zone)
    at = schedule.next_reminder_at(now, tz, user.reminder_time, user.weekdays)
    closed = await _closed_days(session, user.id, schedule.stretch_day(now, tz))
    user.next_reminder_at = schedule.skip_days(at, tz, user.reminder_time, user.weekdays, closed)
    return user.next_reminder_at


async def _closed_days(session: AsyncSession, user_id: int, today: date) -> set[date]:
    """Days from `today` on that get no reminder: paused, reminded or skipped, today if met."""
    closed = await _paused_from(session, user_id, today)
    reminded = await session.scalars(
        select(ReminderSent.stretch_day).where(
            ReminderSent.user_id == user_id, ReminderSent.stretch_day >= today
        )
    )
    closed.update(reminded)
    if await progress.today_target_met(session, user_id, today):
        closed.add(today)
    return closed


async def _paused_from(session: AsyncSession, user_id: int, since: date) -> set[date]:
    return (await pauses.paused_by_user(session, [user_id], since)).get(user_id, set())


async def is_reminder_message(
    session: AsyncSession, user_id: int, day: date, message_id: int
) -> bool:
    """Whether `message_id` is the day's live reminder (rows from before message ids were
    kept have none: any reminder message of that day counts)."""
    found = await session.execute(
        select(ReminderSent.message_id).where(
            ReminderSent.user_id == user_id, ReminderSent.stretch_day == day
        )
    )
    row = found.first()
    return row is not None and row[0] in (None, message_id)


async def reminder_message(session: AsyncSession, user_id: int, day: date) -> int | None:
    """The id of the day's reminder message (the latest, after a snooze), or None."""
    found = await session.scalar(
        select(ReminderSent.message_id).where(
            ReminderSent.user_id == user_id,
            ReminderSent.stretch_day == day,
            ReminderSent.kind == "sent",
        )
    )
    return int(found) if found is not None else None


async def already_reminded(session: AsyncSession, user_id: int, day: date) -> bool:
    """Whether (user, stretch day) already has a reminder (sent or skipped) on record."""
    found = await session.scalar(
        select(ReminderSent.id).where(
            and_(ReminderSent.user_id == user_id, ReminderSent.stretch_day == day)
        )
    )
    return found is not None


async def skip_day(session: AsyncSession, user: User, day: date, now: datetime) -> None:
    """No more reminders on stretch day `day`: record it, drop a snooze, move to a later day."""
    if not await already_reminded(session, user.id, day):
        session.add(ReminderSent(user_id=user.id, stretch_day=day, kind="skipped", sent_at=now))
    user.snoozed = False
    user.lease_until = None  # a tick sending right now must not overwrite this
    if user.paused_since is None and user.time_zone and user.reminder_time:
        tz = zones.user_tzinfo(user.time_zone)
        at = schedule.next_reminder_after_day(day, tz, user.reminder_time, user.weekdays)
        paused = await _paused_from(session, user.id, day)
        user.next_reminder_at = schedule.skip_days(
            at, tz, user.reminder_time, user.weekdays, paused
        )


def snooze(user: User, now: datetime, delta: timedelta) -> datetime:
    """Bring the reminder back after `delta`; the tick sends it without a new day record."""
    user.next_reminder_at = now + delta
    user.snoozed = True
    user.lease_until = None
    return user.next_reminder_at
