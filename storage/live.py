"""Live messages: for each interaction (the settings menu, …) the one message per user whose
buttons still act. Recorded right after the message is sent; a tap elsewhere is stale, and the
message it replaces is queued for its buttons to be taken away (storage.stale)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import stale
from storage.db import upsert_insert
from storage.models import LiveMessage

SETTINGS = "settings"
DELETE = "delete"  # the /deleteme confirmation
QUESTION = "question"  # the open time question (its buttons are common times)
PAUSE = "pause"  # the /pause question (its buttons are lengths)
LANGUAGE = "language"  # the /language question (its buttons are languages)
ZONE_GUESS = "zone_guess"  # "not right? pick another" under a zone read from a guess
BUDDY = "buddy"  # the /buddy screen (nudge switches, end a pairing)
BUDDY_INVITE = "buddy_invite"  # the invite question to a friend who opened an invite link


async def remember(
    session: AsyncSession, user_id: int, kind: str, chat_id: int, message_id: int, now: datetime
) -> None:
    """`message_id` is now the live message of `kind` (an upsert: the newest one wins); the
    one it replaces loses its buttons."""
    await _queue_current(session, user_id, kind, now, keep=message_id)
    values = {
        "user_id": user_id,
        "kind": kind,
        "chat_id": chat_id,
        "message_id": message_id,
        "updated_at": now,
    }
    statement = upsert_insert(session, LiveMessage).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[LiveMessage.user_id, LiveMessage.kind],
            set_={k: v for k, v in values.items() if k not in ("user_id", "kind")},
        )
    )


async def is_live(
    session: AsyncSession, user_id: int, kind: str, chat_id: int, message_id: int
) -> bool:
    """Whether this message is the live one of `kind` for the user."""
    found = await session.scalar(
        select(LiveMessage.message_id).where(
            LiveMessage.user_id == user_id,
            LiveMessage.kind == kind,
            LiveMessage.chat_id == chat_id,
        )
    )
    return found == message_id


async def current(session: AsyncSession, user_id: int, kind: str) -> tuple[int, int] | None:
    """(chat id, message id) of the user's live message of `kind`, or None."""
    found = (
        await session.execute(
            select(LiveMessage.chat_id, LiveMessage.message_id).where(
                LiveMessage.user_id == user_id, LiveMessage.kind == kind
            )
        )
    ).first()
    return (int(found[0]), int(found[1])) if found is not None else None


async def retire(session: AsyncSession, user_id: int, kind: str, now: datetime) -> None:
    """No message of `kind` is live any more, and its buttons go (a question answered by
    typing: its buttons would only say "expired" now)."""
    await _queue_current(session, user_id, kind, now)
    await forget(session, user_id, kind)


async def _queue_current(
    session: AsyncSession, user_id: int, kind: str, now: datetime, keep: int | None = None
) -> None:
    found = (
        await session.execute(
            select(LiveMessage.chat_id, LiveMessage.message_id).where(
                LiveMessage.user_id == user_id, LiveMessage.kind == kind
            )
        )
    ).first()
    if found is not None and found.message_id != keep:
        await stale.queue(session, [stale.Stale(user_id, found.chat_id, found.message_id)], now)


async def forget(session: AsyncSession, user_id: int, kind: str) -> None:
    """No message of `kind` is live any more (the menu was closed, say)."""
    await session.execute(
        delete(LiveMessage).where(LiveMessage.user_id == user_id, LiveMessage.kind == kind)
    )
