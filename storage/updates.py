"""Webhook updates already handled (HandledUpdate), so a second delivery is not handled twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from storage.db import Executor, upsert_insert
from storage.models import HandledUpdate

# Telegram keeps an undelivered update for 24 hours; a record needs to outlive that.
KEPT = timedelta(days=2)


async def was_handled(executor: Executor, update_id: int) -> bool:
    found = await executor.execute(
        select(HandledUpdate.update_id).where(HandledUpdate.update_id == update_id)
    )
    return found.first() is not None


async def record(executor: Executor, update_id: int, now: datetime) -> None:
    """`update_id` was handled (recording it twice is harmless: two instances may race)."""
    statement = upsert_insert(executor, HandledUpdate).values(update_id=update_id, handled_at=now)
    await executor.execute(statement.on_conflict_do_nothing())


async def forget_old(executor: Executor, now: datetime) -> int:
    """Drop the records no redelivery can need any more; returns how many."""
    deleted = await executor.execute(
        delete(HandledUpdate).where(HandledUpdate.handled_at < now - KEPT)
    )
    return int(getattr(deleted, "rowcount", 0) or 0)
