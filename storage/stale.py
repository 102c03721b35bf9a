"""Messages whose buttons no longer act (StaleKeyboard): queued where they are replaced, taken
away by a background job within the bot's pace (handlers.keyboard_sweep)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, select

from storage.db import Executor, upsert_insert
from storage.models import StaleKeyboard, User

_stale = cast(Table, StaleKeyboard.__table__)
_users = cast(Table, User.__table__)


@dataclass(frozen=True)
class Stale:
    """A message of `user_id`'s whose buttons are to go."""

    user_id: int
    chat_id: int
    message_id: int


async def queue(executor: Executor, stale: Sequence[Stale], now: datetime) -> None:
    """Queue these messages' buttons to be taken away (a message already queued stays once)."""
    if not stale:
        return
    rows = [
        {"user_id": s.user_id, "chat_id": s.chat_id, "message_id": s.message_id, "queued_at": now}
        for s in stale
    ]
    statement = upsert_insert(executor, StaleKeyboard).values(rows)
    await executor.execute(statement.on_conflict_do_nothing())


async def take(executor: Executor, limit: int) -> list[Stale]:
    """Take up to `limit` queued messages, oldest first, out of the queue (on PostgreSQL,
    rows another instance is taking are skipped). Those of users who blocked the bot are
    dropped: no edit goes to a blocked chat."""
    blocked = select(_users.c.id).where(_users.c.blocked.is_(True))
    await executor.execute(delete(_stale).where(_stale.c.user_id.in_(blocked)))
    oldest = (
        select(_stale.c.id)
        .order_by(_stale.c.queued_at, _stale.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken = await executor.execute(
        delete(_stale)
        .where(_stale.c.id.in_(oldest.scalar_subquery()))
        .returning(_stale.c.user_id, _stale.c.chat_id, _stale.c.message_id)
    )
    return [Stale(*row) for row in taken]
