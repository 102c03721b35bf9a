"""The open guided session of a user: which message shows it, for which stretch day, at which
screen. One row per user, replaced when a new session starts or the session is re-sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach.session_flow import SUMMARY
from storage.db import upsert_insert
from storage.models import GuidedSession

_sessions = cast(Table, GuidedSession.__table__)


@dataclass(frozen=True)
class OpenSession:
    """A user's open session with what a tap on it needs of the user (their settings), as
    the turn reads it with the user's row (storage.turns): plain values, no ORM object."""

    user_id: int
    time_zone: str | None
    sets_per_side: int
    hold_seconds: int
    chat_id: int
    message_id: int
    stretch_day: date
    screen: str
    shown: str | None = None  # what the message shows, as last confirmed (session_flow.shown_mark)


# Built once: every "Next" runs it (SQLAlchemy caches its compiled form by structure, but
# building the expression again would cost about as much as running it).
_MOVE = (
    update(_sessions)
    .where(
        _sessions.c.user_id == bindparam("uid"),
        _sessions.c.message_id == bindparam("was_message"),
        _sessions.c.stretch_day == bindparam("was_day"),
        _sessions.c.screen == bindparam("was_screen"),
    )
    # Parameter names may not repeat column names in an UPDATE's SET.
    # Moving on ends a running hold timer.
    .values(screen=bindparam("new_screen"), updated_at=bindparam("moved_at"), timer_ends_at=None)
)


async def move(session: AsyncSession, shown: OpenSession, screen: str, now: datetime) -> bool:
    """Move the session to `screen` if it is still exactly as `shown` (message, day, screen);
    False when something else changed it meanwhile (another instance, say)."""
    values = {
        "uid": shown.user_id,
        "was_message": shown.message_id,
        "was_day": shown.stretch_day,
        "was_screen": shown.screen,
        "new_screen": screen,
        "moved_at": now,
    }
    moved = await session.execute(_MOVE, values)
    return bool(moved.rowcount)  # type: ignore[attr-defined]


async def get_session(session: AsyncSession, user_id: int) -> GuidedSession | None:
    return await session.get(GuidedSession, user_id)


async def open_session(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    message_id: int,
    day: date,
    screen: str,
    now: datetime,
    shown: str | None = None,
) -> None:
    """Point the user's session at `message_id` (an upsert: two /stretch at once stay one row),
    which shows `shown` (session_flow.shown_mark)."""
    values = {
        "user_id": user_id,
        "chat_id": chat_id,
        "message_id": message_id,
        "stretch_day": day,
        "screen": screen,
        "updated_at": now,
        "timer_ends_at": None,
        "shown": shown,
    }
    statement = upsert_insert(session, GuidedSession).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[GuidedSession.user_id],
        set_={k: v for k, v in values.items() if k != "user_id"},
    )
    await session.execute(statement)
    # The upsert bypasses the identity map: bring a copy loaded earlier up to date.
    loaded = session.identity_map.get(session.identity_key(GuidedSession, user_id))
    if loaded is not None:
        await session.refresh(loaded)


async def mark_shown(session: AsyncSession, user_id: int, message_id: int, shown: str) -> None:
    """The session message now shows `shown` (its edit succeeded)."""
    await session.execute(
        update(_sessions)
        .where(_sessions.c.user_id == user_id, _sessions.c.message_id == message_id)
        .values(shown=shown)
    )


@dataclass(frozen=True)
class RunningTimer:
    """A hold timer as stored: whose, on which message and hold, and when it ends."""

    user_id: int
    chat_id: int
    message_id: int
    stretch_day: date
    screen: str
    ends_at: datetime


async def start_timer(session: AsyncSession, shown: OpenSession, ends_at: datetime) -> bool:
    """Store the timer's end on the session as shown; False when the session moved meanwhile."""
    started = await session.execute(
        update(_sessions)
        .where(
            _sessions.c.user_id == shown.user_id,
            _sessions.c.message_id == shown.message_id,
            _sessions.c.stretch_day == shown.stretch_day,
            _sessions.c.screen == shown.screen,
        )
        .values(timer_ends_at=ends_at)
    )
    return bool(started.rowcount)  # type: ignore[attr-defined]


async def end_timer(session: AsyncSession, user_id: int, ends_at: datetime) -> bool:
    """Clear the timer that ends at `ends_at`; True for the one caller that cleared it (the
    compare-and-set that lets exactly one instance show "Time's up")."""
    ended = await session.execute(
        update(_sessions)
        .where(_sessions.c.user_id == user_id, _sessions.c.timer_ends_at == ends_at)
        .values(timer_ends_at=None)
    )
    return bool(ended.rowcount)  # type: ignore[attr-defined]


async def running_timers(
    session: AsyncSession, *, ended_before: datetime | None = None
) -> list[RunningTimer]:
    """Stored timers: all of them, or only those that ended before `ended_before`."""
    c = _sessions.c
    query = select(
        c.user_id, c.chat_id, c.message_id, c.stretch_day, c.screen, c.timer_ends_at
    ).where(c.timer_ends_at.is_not(None))
    if ended_before is not None:
        query = query.where(c.timer_ends_at < ended_before)
    return [RunningTimer(*row) for row in await session.execute(query)]


async def count_active(session: AsyncSession, since: datetime) -> int:
    """Sessions moved since `since` that have not reached their summary (for /metrics)."""
    count = select(func.count()).where(
        _sessions.c.updated_at >= since, _sessions.c.screen != SUMMARY
    )
    return int((await session.execute(count)).scalar_one())
