"""Queries behind the reminder tick: claim due users under a lease, decide, record the outcome.

The tick works in batches and never holds a transaction open while talking to Telegram:
claim and plan (one short transaction: an UPDATE … RETURNING sets `lease_until`, then one
grouped read per table), send, then complete (one short transaction per group of finished
sends). On PostgreSQL the claim's subselect uses `FOR UPDATE SKIP LOCKED`, so several
instances take disjoint batches; on SQLite the BEGIN IMMEDIATE transaction makes the claim
the only writer. The tick uses Core statements on the table, not ORM objects: a batch is
hundreds of rows, and the ORM's identity map and unit of work would cost more than the SQL.

Completion is a compare-and-set on the lease the tick took: anything that changes the plan
meanwhile (/time, /timezone, a pause, a snooze, Skip today: one user at a time, in
`storage.reminder_plan`) clears the lease, and the tick then leaves the new plan alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import BigInteger, Table, and_, bindparam, false, func, null, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from coach import i18n, schedule, zones
from coach.recap import WeekRecap
from coach.together import PersonDay
from storage import pauses, progress, recaps, together
from storage.batch import execute_many, fetch, in_ids
from storage.db import Executor
from storage.models import ReminderSent, StaleKeyboard, User
from storage.sqltypes import UTCDateTime

# A claim holds about a second of an instance's sends (handlers.reminder_flow), renewed while
# the instance holds it; a crashed instance's claims come free this long after its last
# renewal (REMINDER_LEASE_SECONDS).
LEASE = timedelta(seconds=3)
# The most one claim takes: a second of sends at the fastest paid pace, or, where nothing
# paces the sends (tests), a whole batch. (Its grouped reads bind the batch's ids as one
# list: storage.batch.)
BATCH_SIZE = 1000

# The tick runs its Core statements on a bare connection (no ORM session to set up and
# commit: measurably cheaper per transaction); the handlers' session works as well.

_users = cast(Table, User.__table__)
_sent = cast(Table, ReminderSent.__table__)
_stale = cast(Table, StaleKeyboard.__table__)


@dataclass(slots=True)
class Due:
    """A claimed user, as the tick needs it (plain values: safe outside the session)."""

    user_id: int
    chat_id: int
    time_zone: str | None
    reminder_time: time | None
    weekdays: int
    due_at: datetime
    snoozed: bool
    # The lease this tick holds; completion only writes while it is still this value.
    lease: datetime | None = None
    # Filled in by `plan`:
    send: bool = False
    stretch_day: date | None = None
    next_at: datetime | None = None
    # What the reminder says, for those it goes to: the current streak, today's sets so far.
    streak: int = 0
    done: int = 0
    target: int = 0
    language: str = i18n.DEFAULT  # what the reminder (and recap) is written in
    weekly_recap: bool = True  # whether the user wants the weekly recap
    # The weekly recap, on the week's first reminder day; it goes even when today is met.
    recap: WeekRecap | None = None
    # Set by the tick: no send starts after this (the lease would end while it is in flight),
    # and whether the send's slot is a paid broadcast (ops.pace).
    send_until: datetime | None = None
    paid: bool = False
    # Each buddy's day, for the reminder's buddy lines (coach.buddy_view).
    buddies: tuple[PersonDay, ...] = ()


@dataclass(slots=True)
class Outcome:
    """What happened to one claimed user; `complete` writes a list of these at once."""

    due: Due
    sent: bool = False
    message_id: int | None = None  # of the reminder sent, when Telegram said
    blocked: bool = False
    # Set when the lease should be released without advancing (retry on a later tick).
    retry_at: datetime | None = None
    retry: bool = False
    # The weekly recap went out (recorded even when the reminder is retried: it goes once).
    recap_sent: bool = False
    # Not attempted: the claim is given back unchanged (shutting down, the lease ending).
    given_back: bool = False
    # When the reminder went out (its lateness is measured from its time to this).
    sent_at: datetime | None = None


async def claim_due(
    session: Executor, now: datetime, *, limit: int | None = None, lease: timedelta = LEASE
) -> list[Due]:
    """Lease up to `limit` (default BATCH_SIZE) due users; the lease keeps other ticks away."""
    lease_until = now + lease
    limit = BATCH_SIZE if limit is None else limit
    claimed = []
    # Unpacked by position: a Row's attributes by name cost a lookup each, 9 per claimed user.
    for row in await fetch(session, _CLAIM, now=now, lease_to=lease_until, limit=limit):
        uid, chat, zone, at, weekdays, due_at, snoozed, language, code, recap = row
        due = Due(uid, chat, zone, at, weekdays, due_at, snoozed, lease=lease_until)
        due.language, due.weekly_recap = i18n.user_language(language, code), recap
        claimed.append(due)
    # RETURNING comes in no particular order: the tick sends earliest due first, then by id.
    claimed.sort(key=due_order)
    return claimed


def due_order(due: Due) -> tuple[datetime, int]:
    """Earliest due first, then by user (the claim's own order): how reminders go out."""
    return due.due_at, due.user_id


async def renew(
    connection: AsyncConnection, claimed: Sequence[Due], now: datetime, lease: timedelta
) -> None:
    """Extend this instance's claims that are still its own (a user who changed their plan
    meanwhile cleared theirs): a live instance keeps what it claimed, however slow its sends,
    while a dead one's claims come free one short lease after its last renewal."""
    by_lease: dict[datetime | None, list[Due]] = {}
    for due in claimed:
        by_lease.setdefault(due.lease, []).append(due)
    lease_until = now + lease
    for held, dues in by_lease.items():
        if held is None:
            continue
        ids = [due.user_id for due in dues]
        renewed = set(
            (
                await connection.execute(
                    update(_users)
                    .where(in_ids(_users.c.id, ids), _users.c.lease_until == held)
                    .values(lease_until=lease_until)
                    .returning(_users.c.id)
                )
            ).scalars()
        )
        for due in dues:
            if due.user_id in renewed:
                due.lease = lease_until  # before the commit: a completion waits for the row


async def count_due(session: Executor, now: datetime) -> int:
    """Users due now and not yet sent to, claimed or not (counted up to BACKLOG_CAP)."""
    return int(await session.scalar(_COUNT_DUE, {"now": now}) or 0)


async def next_wake(session: Executor, now: datetime) -> datetime | None:
    """When the tick next has work: the next reminder's time, or the end of a claim on a
    reminder due already (another instance's, which it may have died holding)."""
    found = [await session.scalar(query, {"now": now}) for query in (_NEXT_DUE, _NEXT_FREED)]
    times = [at for at in found if at is not None]
    return min(times) if times else None


async def plan(session: Executor, claimed: Sequence[Due], now: datetime) -> None:
    """Decide for each claimed user whether to send now and when the next reminder is.

    Sets `send`, `stretch_day` and `next_at` on each `Due`. Reads in bulk (one grouped
    query per table for the whole batch) so a tick stays O(batch), not O(batch × queries).
    """
    for due in claimed:
        _plan_times(due, now)
    planned = [d for d in claimed if d.stretch_day is not None]
    if not planned:
        return
    ids = [d.user_id for d in planned]
    first_day = min(d.stretch_day for d in planned if d.stretch_day is not None)
    paused = await pauses.paused_by_user(session, ids, first_day)
    candidates = [d for d in planned if d.send]
    reminded = await _reminded_days(session, [d.user_id for d in candidates], first_day)
    for due in candidates:
        key = (due.user_id, due.stretch_day)
        if due.stretch_day in paused.get(due.user_id, ()) or (key in reminded and not due.snoozed):
            due.send = False
    live = [d for d in candidates if d.send]
    await _add_recaps(session, live)  # before the standings: a met day still gets its recap
    await _add_standings(session, live)
    buddy_days = await together.buddy_days_of_many(
        session, [d.user_id for d in live if d.send], now
    )
    for due in live:
        due.buddies = buddy_days.get(due.user_id, ())
    # The next reminder must not fall inside a pause either (the same rule as `reschedule`).
    for due in planned:
        days = paused.get(due.user_id)
        if days and due.reminder_time is not None:
            tz = zones.user_tzinfo(due.time_zone)
            due.next_at = schedule.skip_days(due.next_at, tz, due.reminder_time, due.weekdays, days)


def _plan_times(due: Due, now: datetime) -> None:
    """The pure part of `plan`: the reminder's stretch day, whether it is still on time, next."""
    if due.reminder_time is None:
        due.send, due.next_at = False, None
        return
    tz = zones.user_tzinfo(due.time_zone)
    # A snooze repeats a reminder already sent: it may go out while it is not too late.
    due.stretch_day, due.send, due.next_at = schedule.plan_reminder(
        due.due_at, now, tz, due.reminder_time, due.weekdays, snoozed=due.snoozed
    )


async def _reminded_days(
    session: Executor, user_ids: Sequence[int], since: date
) -> set[tuple[int, date]]:
    if not user_ids:
        return set()
    return {(row[0], row[1]) for row in await fetch(session, _REMINDED, ids=user_ids, since=since)}


async def _add_standings(session: Executor, candidates: Sequence[Due]) -> None:
    """Streak and today's sets for each reminder about to go out; a met day gets none.

    Each user's "today" is the reminder's stretch day (a batch spans a few across time
    zones): it is judged by their current sets per side (see `progress`)."""
    days = {d.user_id: d.stretch_day for d in candidates if d.stretch_day is not None}
    if not days:
        return
    found = await progress.standings(session, days)
    for due in candidates:
        standing = found.get(due.user_id)
        if standing is None:
            continue
        if standing.met:
            due.send = False
            continue
        due.streak = standing.streak
        if standing.today is not None:
            due.done, due.target = standing.today.done, standing.today.target


async def _add_recaps(session: Executor, candidates: Sequence[Due]) -> None:
    """The weekly recap for each reminder that is the week's first (see `storage.recaps`)."""
    wanted = [
        (d.user_id, d.stretch_day, d.weekdays)
        for d in candidates
        if d.stretch_day is not None and not d.snoozed and d.weekly_recap
    ]
    if not wanted:
        return
    found = await recaps.recaps_for(session, wanted)
    for due in candidates:
        due.recap = found.get(due.user_id)


async def complete(connection: AsyncConnection, outcomes: Sequence[Outcome], now: datetime) -> None:
    """Record a group of finished users in one transaction: reminded day, next time, lease.

    Each statement runs once for the whole group (executemany). Next time and lease are
    written only where the lease is still the one this tick took (see the module docstring).
    """
    if not outcomes:
        return
    sent_days = [
        {"user_id": o.due.user_id, "stretch_day": o.due.stretch_day, "message_id": o.message_id}
        for o in outcomes
        if o.sent and not o.due.snoozed and o.due.stretch_day is not None
    ]
    # Even when the plan changed meanwhile: the reminder did go out for that day.
    await execute_many(connection, _record_sent[connection.dialect.name], sent_days, now=now)
    # The day's reminder replaces the one before it, whose buttons stop acting.
    replaced = [
        {"uid": o.due.user_id, "chat": o.due.chat_id, "day": o.due.stretch_day}
        for o in outcomes
        if o.sent and o.message_id is not None and o.due.stretch_day is not None
    ]
    await execute_many(connection, _queue_previous[connection.dialect.name], replaced, now=now)
    recapped = [
        (o.due.user_id, o.due.stretch_day)
        for o in outcomes
        if o.recap_sent and o.due.stretch_day is not None
    ]
    await recaps.record(connection, recapped, now)
    repeated = [
        {"uid": o.due.user_id, "day": o.due.stretch_day, "mid": o.message_id}
        for o in outcomes
        if o.sent and o.due.snoozed and o.due.stretch_day is not None
    ]
    # A snoozed reminder came back as a new message: its buttons are now the live ones.
    await execute_many(connection, _move_reminder, repeated)
    by_lease: dict[datetime | None, list[dict[str, Any]]] = {}
    for o in outcomes:
        if not o.blocked and not o.retry:
            row = {"uid": o.due.user_id, "next_at": o.due.next_at}
            by_lease.setdefault(o.due.lease, []).append(row)
    for lease, rows in by_lease.items():  # one per claim: each lease is converted once
        await execute_many(connection, _advance, rows, now=now, lease=lease)
    retried = [
        # The reminder stays due; the lease (if any) only delays the next attempt.
        {"uid": o.due.user_id, "lease": o.due.lease, "retry_at": o.retry_at}
        for o in outcomes
        if o.retry and not o.blocked
    ]
    await execute_many(connection, _retry, retried, now=now)
    blocked = [o.due.user_id for o in outcomes if o.blocked]
    if blocked:
        # Blocked is a fact about the chat, whatever the plan: no compare-and-set here.
        await connection.execute(
            update(_users)
            .where(in_ids(_users.c.id, blocked))
            .values(blocked=True, lease_until=None)
        )


# claim_due's statement, built once (`batch.fetch`). One statement: the UPDATE takes the
# lease, RETURNING hands back what the tick needs.
_c = _users.c
_DUE_IDS = (
    select(_c.id)
    .where(
        _c.next_reminder_at <= bindparam("now"),
        _c.paused_since.is_(None),
        _c.blocked.is_(False),
        or_(_c.lease_until.is_(None), _c.lease_until <= bindparam("now")),
    )
    # Earliest due first, then by id: a stable order, so lateness is spread evenly.
    .order_by(_c.next_reminder_at, _c.id)
    .limit(bindparam("limit"))
    # PostgreSQL: rows another instance is claiming right now are skipped, not waited for.
    # SQLite renders no FOR UPDATE; its BEGIN IMMEDIATE already serialises writers.
    .with_for_update(skip_locked=True)
)
_can_remind = and_(_c.paused_since.is_(None), _c.blocked.is_(False))
# The backlog gauge counts at most this many (a count is a scan of the due range).
BACKLOG_CAP = 10_000_000
_COUNT_DUE = select(func.count()).select_from(
    select(_c.id)
    .where(_c.next_reminder_at <= bindparam("now"), _can_remind)
    .limit(BACKLOG_CAP)
    .subquery()
)
_NEXT_DUE = select(func.min(_c.next_reminder_at)).where(
    _c.next_reminder_at > bindparam("now"), _can_remind
)
_NEXT_FREED = select(func.min(_c.lease_until)).where(
    _c.next_reminder_at <= bindparam("now"), _c.lease_until > bindparam("now"), _can_remind
)
_CLAIM = (
    update(_users)
    .where(_c.id.in_(_DUE_IDS.scalar_subquery()))
    .values(lease_until=bindparam("lease_to"), updated_at=bindparam("now"))
    .returning(
        _c.id,
        _c.chat_id,
        _c.time_zone,
        _c.reminder_time,
        _c.weekdays,
        _c.next_reminder_at,
        _c.snoozed,
        _c.language,
        _c.language_code,
        _c.weekly_recap,
    )
)
_REMINDED = select(_sent.c.user_id, _sent.c.stretch_day).where(
    in_ids(_sent.c.user_id, "ids"), _sent.c.stretch_day >= bindparam("since")
)

# complete()'s statements, built once: `batch.execute_many` runs them for a whole group.
# (user, stretch day) is unique: a second record of the same day is simply not written.
_record_sent = {
    dialect: insert(_sent)
    .values(
        user_id=bindparam("user_id"),
        stretch_day=bindparam("stretch_day"),
        kind="sent",
        sent_at=bindparam("now"),
        message_id=bindparam("message_id"),
    )
    .on_conflict_do_nothing(index_elements=["user_id", "stretch_day"])
    for dialect, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
# The user's reminder message of the latest day before `day` that had one (storage.stale).
_earlier = _sent.alias("earlier")
_latest_before = (
    select(func.max(_earlier.c.stretch_day))
    .where(
        _earlier.c.user_id == bindparam("uid"),
        _earlier.c.stretch_day < bindparam("day"),
        _earlier.c.message_id.is_not(None),
    )
    .scalar_subquery()
)
_previous_message = select(
    _sent.c.user_id,
    bindparam("chat", type_=BigInteger),
    _sent.c.message_id,
    bindparam("now", type_=UTCDateTime),
).where(
    _sent.c.user_id == bindparam("uid"),
    _sent.c.message_id.is_not(None),
    _sent.c.stretch_day == _latest_before,
)
_queue_previous = {
    dialect: insert(_stale)
    .from_select(["user_id", "chat_id", "message_id", "queued_at"], _previous_message)
    .on_conflict_do_nothing()
    for dialect, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
_move_reminder = (
    update(_sent)
    .where(_sent.c.user_id == bindparam("uid"), _sent.c.stretch_day == bindparam("day"))
    .values(message_id=bindparam("mid"))
)
_still_ours = and_(_users.c.id == bindparam("uid"), _users.c.lease_until == bindparam("lease"))
_advance = (
    update(_users)
    .where(_still_ours)
    .values(
        next_reminder_at=bindparam("next_at"),
        snoozed=false(),
        lease_until=null(),
        updated_at=bindparam("now"),
    )
)
_retry = (
    update(_users)
    .where(_still_ours)
    .values(lease_until=bindparam("retry_at"), updated_at=bindparam("now"))
)


async def next_reminder_after(session: Executor, after: datetime) -> datetime | None:
    """The earliest stored reminder time (a snooze's too) strictly after `after`, of chats not
    blocked; the playground's clock panel stops there on its way forward. Reminders turned
    off or paused need no filter here: `reschedule` stores no time inside them."""
    c = _users.c
    query = (
        select(c.next_reminder_at)
        .where(c.next_reminder_at > after, c.blocked.is_(False))
        .order_by(c.next_reminder_at)
        .limit(1)
    )
    return cast(datetime | None, await session.scalar(query))
