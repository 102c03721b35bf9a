"""What buddies and boards share: the people they show and where each stands today, the deep
link a user opened before onboarding (`PendingStart`), forgetting someone who blocked the bot,
and what /export says about buddies and boards."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach import i18n, schedule
from coach.routine import load_routine
from coach.streaks import compute_streak
from coach.together import PersonDay
from storage import pauses, progress
from storage.batch import in_ids
from storage.buddies import buddies_of_many
from storage.db import Executor, upsert_insert
from storage.models import (
    BoardGroup,
    BoardMember,
    Buddy,
    BuddyInvite,
    BuddyNudge,
    PendingStart,
    User,
)

_users = cast(Table, User.__table__)


@dataclass(frozen=True)
class Person:
    """Someone shown to a buddy or on a board, as their row has it (plain values)."""

    user_id: int
    chat_id: int
    first_name: str
    time_zone: str | None
    sets_per_side: int
    language: str  # the language Limber speaks with them
    paused: bool  # paused until they resume (`User.paused_since`)
    blocked: bool


_PERSON = select(
    _users.c.id,
    _users.c.chat_id,
    _users.c.first_name,
    _users.c.time_zone,
    _users.c.sets_per_side,
    _users.c.language,
    _users.c.language_code,
    _users.c.paused_since,
    _users.c.blocked,
)


def _person(row: Any) -> Person:
    uid, chat, name, zone, sets, language, code, paused_since, blocked = row
    language = i18n.user_language(language, code)
    return Person(uid, chat, name or "", zone, sets, language, paused_since is not None, blocked)


async def people(executor: Executor, user_ids: Collection[int]) -> dict[int, Person]:
    """The people with these ids that exist, by id, in one query."""
    if not user_ids:
        return {}
    rows = await executor.execute(_PERSON.where(in_ids(_users.c.id, list(user_ids))))
    return {person.user_id: person for person in map(_person, rows)}


async def days_of(
    executor: Executor, people: Sequence[Person], now: datetime
) -> dict[int, PersonDay]:
    """Each person's own today (their stretch day in their zone, as their /progress says it):
    sets done against that day's target, and their current streak. Grouped reads, as the
    reminder tick's; someone paused until they resume is read on their own (rare)."""
    todays = {p.user_id: schedule.user_stretch_day(p.time_zone, now) for p in people}
    grouped = {p.user_id: todays[p.user_id] for p in people if not p.paused}
    found = await progress.standings(executor, grouped) if grouped else {}
    routine = load_routine()
    days: dict[int, PersonDay] = {}
    for person in people:
        today = todays[person.user_id]
        if person.paused:
            streak, tally = await _paused_standing(executor, person.user_id, today)
        else:
            standing = found.get(person.user_id)
            streak = standing.streak if standing is not None else 0
            tally = standing.today if standing is not None else None
        if tally is not None:
            done, target = tally.done, tally.target
        else:
            done, target = 0, routine.day_target(person.sets_per_side)
        days[person.user_id] = PersonDay(person.first_name, done, target, streak)
    return days


async def _paused_standing(
    executor: Executor, user_id: int, today: date
) -> tuple[int, progress.DayTally | None]:
    """Streak and today's tally of someone paused until they resume: their open pause, which
    the grouped read leaves out, protects their streak too."""
    tallies = await progress.day_tallies(executor, [user_id], until=today)
    met = [day for (_, day), tally in tallies.items() if tally.met]
    off = await pauses.paused_by_user(executor, [user_id], None, today, open_ended=True)
    streak = compute_streak(met, off.get(user_id, set()), today).current
    return streak, tallies.get((user_id, today))


async def buddy_days(executor: Executor, user_id: int, now: datetime) -> tuple[PersonDay, ...]:
    """The user's buddies' days, oldest pairing first (for /progress)."""
    found = await buddy_days_of_many(executor, [user_id], now)
    return found.get(user_id, ())


async def buddy_days_of_many(
    executor: Executor, user_ids: Collection[int], now: datetime
) -> dict[int, tuple[PersonDay, ...]]:
    """User -> their buddies' days, for many users in a few grouped reads (the reminder
    tick's batch: each reminder names the buddies who stretched)."""
    pairs = await buddies_of_many(executor, user_ids)
    wanted = {buddy for found in pairs.values() for buddy in found}
    found_people = await people(executor, wanted)
    days = await days_of(executor, list(found_people.values()), now)
    return {
        user_id: tuple(days[buddy] for buddy in buddies if buddy in days)
        for user_id, buddies in pairs.items()
    }


# ---- a deep link opened before onboarding ------------------------------------------------


async def remember_start(session: AsyncSession, user_id: int, payload: str, now: datetime) -> None:
    """Keep the link the user opened (the newest wins) until they are set up to act on it."""
    values = {"user_id": user_id, "payload": payload, "created_at": now}
    statement = upsert_insert(session, PendingStart).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PendingStart.user_id],
            set_={"payload": payload, "created_at": now},
        )
    )


async def pending_start(session: AsyncSession, user_id: int) -> str | None:
    return await session.scalar(select(PendingStart.payload).where(PendingStart.user_id == user_id))


async def forget_start(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(PendingStart).where(PendingStart.user_id == user_id))


# ---- someone who blocked the bot leaves every view ---------------------------------------


async def forget(session: AsyncSession, user_id: int) -> None:
    """Take a user out of every buddy pairing and board, with their invites and pending link:
    shown to nobody any more. Their boards are redrawn at the next flush."""
    await touch_boards_of(session, user_id)
    for model, column in (
        (BoardMember, BoardMember.user_id),
        (Buddy, Buddy.user_id),
        (Buddy, Buddy.buddy_id),
        (BuddyInvite, BuddyInvite.user_id),
        (BuddyNudge, BuddyNudge.user_id),
        (BuddyNudge, BuddyNudge.buddy_id),
        (PendingStart, PendingStart.user_id),
    ):
        await session.execute(delete(model).where(column == user_id))


async def touch_boards_of(executor: Executor, user_id: int) -> int:
    """Every board the user is on is due a redraw (their day changed, or they leave it);
    returns how many."""
    boards = select(BoardMember.chat_id).where(BoardMember.user_id == user_id)
    outcome = await executor.execute(
        update(BoardGroup)
        .where(BoardGroup.chat_id.in_(boards.scalar_subquery()))
        .values(dirty=True)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(outcome, "rowcount", 0) or 0)


# ---- /export ---------------------------------------------------------------------------


async def export_summary(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The user's buddies (first names) and the boards they joined (group titles), so /export
    lists them by name beside the raw rows."""
    buddies = await session.execute(
        select(User.first_name, Buddy.nudge, Buddy.created_at)
        .join(User, User.id == Buddy.buddy_id)
        .where(Buddy.user_id == user_id)
        .order_by(Buddy.created_at)
    )
    boards = await session.execute(
        select(BoardGroup.title, BoardMember.joined_at)
        .join(BoardGroup, BoardGroup.chat_id == BoardMember.chat_id)
        .where(BoardMember.user_id == user_id)
        .order_by(BoardMember.joined_at)
    )
    return {
        "buddies": [
            {"first_name": name, "nudge_me": nudge, "since": since}
            for name, nudge, since in buddies
        ],
        "boards": [{"group": title, "joined_at": joined} for title, joined in boards],
    }
