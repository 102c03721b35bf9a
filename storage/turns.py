"""What the turn (handlers.turn) reads at the start of every update: the sender's row and their
open guided session, in one query. A session tap, most of the load, needs nothing more to know
whether it is stale, so a stale tap is answered without any other read or any lock."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import cast

from sqlalchemy import Table, bindparam, select

from storage.db import Executor
from storage.guided import OpenSession
from storage.models import GuidedSession, User

_users = cast(Table, User.__table__)
_sessions = cast(Table, GuidedSession.__table__)


@dataclass(frozen=True)
class StoredUser:
    """A user's row as this update found it: plain values to read. A handler that changes
    the user loads the row again inside its own transaction (`storage.users.get_user`)."""

    id: int
    chat_id: int
    first_name: str
    language: str | None  # their choice (/language), None: follow language_code
    language_code: str | None  # what their Telegram app said when last seen
    time_zone: str | None
    reminder_time: time | None
    weekdays: int
    sets_per_side: int
    hold_seconds: int
    awaiting: str | None  # the question their next text answers (handlers.questions)
    paused_since: date | None
    next_reminder_at: datetime | None
    weekly_recap: bool
    blocked: bool


_USER_COLUMNS = tuple(_users.c[field.name] for field in dataclasses.fields(StoredUser))
_SESSION_COLUMNS = (
    _sessions.c.chat_id,
    _sessions.c.message_id,
    _sessions.c.stretch_day,
    _sessions.c.screen,
    _sessions.c.shown,
)
# Built once, at import: every update runs it.
_READ = (
    select(*_USER_COLUMNS, *_SESSION_COLUMNS)
    .select_from(_users.outerjoin(_sessions, _sessions.c.user_id == _users.c.id))
    .where(_users.c.id == bindparam("uid"))
)


async def read(executor: Executor, user_id: int) -> tuple[StoredUser | None, OpenSession | None]:
    """The user's row and their open session (None, None: we do not know them)."""
    row = (await executor.execute(_READ, {"uid": user_id})).first()
    if row is None:
        return None, None
    user = StoredUser(*row[: len(_USER_COLUMNS)])
    chat_id, message_id, stretch_day, screen, shown_now = row[len(_USER_COLUMNS) :]
    if message_id is None:
        return user, None
    shown = OpenSession(
        user.id,
        user.time_zone,
        user.sets_per_side,
        user.hold_seconds,
        chat_id,
        message_id,
        stretch_day,
        screen,
        shown_now,
    )
    return user, shown
