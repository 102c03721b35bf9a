"""Queries behind the reminder tick: claim due users under a lease, decide, record the outcome.

The tick works in batches and never holds a transaction open while talking to Telegram:
claim (one short transaction sets `lease_until`), plan (one read), send, then complete
(one short transaction per group of finished sends). On PostgreSQL the claim uses
`FOR UPDATE SKIP LOCKED`, so several instances take disjoint batches; on SQLite the
BEGIN IMMEDIATE transaction makes the claim the only writer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot import schedule, zones
from storage import progress
from storage.models import LoggedSet, PausedDay, ReminderSent, User

# Long enough for a batch of 500 to go out at 30 msg/s; a crashed instance's claims
# come free after this long.
LEASE = timedelta(minutes=5)
BATCH_SIZE = 500
FALLBACK_ZONE = "UTC+00:00"


@dataclass
class Due:
    """A claimed user, as the tick needs it (plain values: safe outside the session)."""

    user_id: int
    chat_id: int
    time_zone: str | None
    reminder_time: time | None
    weekdays: int
    due_at: datetime
    snoozed: bool
    # Filled in by `plan`:
    send: bool = False
    stretch_day: date | None = None
    next_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What happened to one claimed user; `complete` writes a list of these at once."""

    due: Due
    sent: bool = False
    blocked: bool = False
    # Set when the lease should be released without advancing (retry on a later tick).
    retry_at: datetime | None = None
    retry: bool = False


@functools.lru_cache(maxsize=4096)
def tzinfo_of(zone: str | None) -> tzinfo:
    """The user's tzinfo, cached: ZoneInfo only weakly caches, and a tick needs hundreds."""
    return zones.to_tzinfo(zone or FALLBACK_ZONE)


async def reschedule(session: AsyncSession, user: User, now: datetime) -> datetime | None:
    """Recompute and store `user.next_reminder_at` from time, zone, weekdays and on/off.

    Call after any change to those; a pending snooze is dropped because the user has
    just chosen a new plan. The tick later enforces one-per-day, paused days and targets.
    """
    user.snoozed = False
    if not user.reminders_enabled or user.time_zone is None or user.reminder_time is None:
        user.next_reminder_at = None
        return None
    user.next_reminder_at = schedule.next_reminder_at(
        now, zones.to_tzinfo(user.time_zone), user.reminder_time, user.weekdays
    )
    return user.next_reminder_at


async def claim_due(
    session: AsyncSession, now: datetime, *, limit: int | None = None, lease: timedelta = LEASE
) -> list[Due]:
    """Lease up to `limit` (default BATCH_SIZE) due users; the lease keeps other ticks away."""
    limit = BATCH_SIZE if limit is None else limit
    query = (
        select(
            User.id,
            User.chat_id,
            User.time_zone,
            User.reminder_time,
            User.weekdays,
            User.next_reminder_at,
            User.snoozed,
        )
        .where(
            User.next_reminder_at <= now,
            User.reminders_enabled.is_(True),
            User.blocked.is_(False),
            or_(User.lease_until.is_(None), User.lease_until <= now),
        )
        .order_by(User.next_reminder_at)
        .limit(limit)
        # PostgreSQL: rows another instance is claiming right now are skipped, not waited for.
        # SQLite renders no FOR UPDATE; its BEGIN IMMEDIATE already serialises writers.
        .with_for_update(skip_locked=True)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    await session.execute(update(User).where(User.id.in_(ids)).values(lease_until=now + lease))
    return [
        Due(
            r.id, r.chat_id, r.time_zone, r.reminder_time, r.weekdays, r.next_reminder_at, r.snoozed
        )
        for r in rows
    ]


async def plan(session: AsyncSession, claimed: Sequence[Due], now: datetime) -> None:
    """Decide for each claimed user whether to send now and when the next reminder is.

    Sets `send`, `stretch_day` and `next_at` on each `Due`. Reads in bulk (one query per
    table for the whole batch) so a tick stays O(batch), not O(batch × queries).
    """
    for due in claimed:
        tz = tzinfo_of(due.time_zone)
        if due.reminder_time is None:
            due.send, due.next_at = False, None
            continue
        due.stretch_day = schedule.reminder_stretch_day(due.due_at, tz, due.reminder_time)
        if due.snoozed:
            # A snooze of a reminder already sent: it may go out while it is not too late.
            due.send = now - due.due_at < schedule.MAX_LATENESS
            due.next_at = schedule.next_reminder_after_day(
                due.stretch_day, tz, due.reminder_time, due.weekdays
            )
        else:
            due.send, due.next_at = schedule.plan_after_due(
                due.due_at, now, tz, due.reminder_time, due.weekdays
            )
    candidates = [d for d in claimed if d.send and d.stretch_day is not None]
    if not candidates:
        return
    ids = [d.user_id for d in candidates]
    first_day = min(d.stretch_day for d in candidates if d.stretch_day is not None)
    reminded = await _user_days(session, ReminderSent, ids, first_day)
    paused = await _user_days(session, PausedDay, ids, first_day)
    practised = await _user_days(session, LoggedSet, ids, first_day)
    for due in candidates:
        key = (due.user_id, due.stretch_day)
        if key in paused or (key in reminded and not due.snoozed):
            due.send = False
        elif key in practised:
            # Only users who logged something that day can have met the target.
            user = await session.get(User, due.user_id)
            assert due.stretch_day is not None
            if user is not None and await progress.today_target_met(session, user, due.stretch_day):
                due.send = False


async def _user_days(
    session: AsyncSession,
    model: type[ReminderSent] | type[PausedDay] | type[LoggedSet],
    user_ids: Iterable[int],
    since: date,
) -> set[tuple[int, date]]:
    query = (
        select(model.user_id, model.stretch_day)
        .where(model.user_id.in_(list(user_ids)), model.stretch_day >= since)
        .distinct()
    )
    return {(row[0], row[1]) for row in (await session.execute(query)).all()}


async def complete(session: AsyncSession, outcomes: Sequence[Outcome], now: datetime) -> None:
    """Record a group of finished users in one transaction: reminded day, next time, lease."""
    if not outcomes:
        return
    sent_days = [
        {"user_id": o.due.user_id, "stretch_day": o.due.stretch_day, "kind": "sent", "sent_at": now}
        for o in outcomes
        if o.sent and not o.due.snoozed and o.due.stretch_day is not None
    ]
    if sent_days:
        await session.execute(_insert_ignore(session, ReminderSent), sent_days)
    advanced = [
        {"uid": o.due.user_id, "next_at": o.due.next_at}
        for o in outcomes
        if not o.blocked and not o.retry
    ]
    if advanced:
        await session.execute(
            update(User.__table__)  # type: ignore[arg-type]
            .where(User.__table__.c.id == bindparam("uid"))
            .values(next_reminder_at=bindparam("next_at"), snoozed=False, lease_until=None),
            advanced,
        )
    blocked = [o.due.user_id for o in outcomes if o.blocked]
    if blocked:
        await session.execute(
            update(User).where(User.id.in_(blocked)).values(blocked=True, lease_until=None)
        )
    for outcome in outcomes:
        if outcome.retry:
            # The reminder stays due; the lease (if any) only delays the next attempt.
            await session.execute(
                update(User)
                .where(User.id == outcome.due.user_id)
                .values(lease_until=outcome.retry_at)
            )


def _insert_ignore(session: AsyncSession, model: type[ReminderSent]) -> Any:
    # (user, stretch day) is unique: a second record of the same day is simply not written.
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=["user_id", "stretch_day"])


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
    if user.reminders_enabled and user.time_zone and user.reminder_time:
        user.next_reminder_at = schedule.next_reminder_after_day(
            day, zones.to_tzinfo(user.time_zone), user.reminder_time, user.weekdays
        )


def snooze(user: User, now: datetime, delta: timedelta) -> datetime:
    """Bring the reminder back after `delta`; the tick sends it without a new day record."""
    user.next_reminder_at = now + delta
    user.snoozed = True
    user.lease_until = None
    return user.next_reminder_at
