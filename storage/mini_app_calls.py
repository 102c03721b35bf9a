"""The Mini App's per-user rate limit: each user's calls in the current window, one row per
user. Counted in the database, so every instance behind the proxy counts the same calls; one
upsert per call, so calls counted at once on two instances are never lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Table, case
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import MiniAppCalls

_calls = cast(Table, MiniAppCalls.__table__)
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the fixed window that holds `now` (windows are counted from 2020-01-01)."""
    return now - (now - _EPOCH) % window


async def count_call(session: AsyncSession, user_id: int, now: datetime, window: timedelta) -> int:
    """Count one call of the user's; returns the calls in `now`'s window, this one included.
    A row from an earlier window starts over at 1. The user must exist (the row is theirs)."""
    start = window_start(now, window)
    insert = upsert_insert(session, MiniAppCalls).values(
        user_id=user_id, window_start=start, calls=1
    )
    same_window = _calls.c.window_start == insert.excluded.window_start
    counted = insert.on_conflict_do_update(
        index_elements=[_calls.c.user_id],
        set_={
            "calls": case((same_window, _calls.c.calls + 1), else_=1),
            "window_start": insert.excluded.window_start,
        },
    ).returning(_calls.c.calls)
    return int((await session.execute(counted)).scalar_one())
