"""The open guided session of a user: which message shows it, for which stretch day, at which
screen. One row per user, replaced when a new session starts or the session is re-sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import GuidedSession


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
) -> None:
    """Point the user's session at `message_id` (an upsert: two /stretch at once stay one row)."""
    values = {
        "user_id": user_id,
        "chat_id": chat_id,
        "message_id": message_id,
        "stretch_day": day,
        "screen": screen,
        "updated_at": now,
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


async def set_screen(session: AsyncSession, row: GuidedSession, screen: str, now: datetime) -> None:
    """Move the open session to another screen."""
    row.screen = screen
    row.updated_at = now
