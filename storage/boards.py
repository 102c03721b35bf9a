"""Group boards: the group's settings and today's board message (`BoardGroup`), who joined
(`BoardMember`), and the claim that lets one flush at a time redraw a board, no sooner than
the spacing after the group's last board message (handlers.board_flush).

Anything that changes what a board shows marks it `dirty` in the same transaction (a join, a
leave, a member's set: `storage.together.touch_boards_of`); the flush claims dirty boards
under a lease, clears `dirty`, draws, and records what it drew. A change that lands while it
draws marks the board dirty again, so the last state is always drawn in the end.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import BoardGroup, BoardMember


@dataclass(frozen=True)
class Board:
    """A group's board as a flush claimed it (plain values: safe outside the session)."""

    chat_id: int
    title: str
    time_zone: str
    language: str
    day: date | None
    message_id: int | None
    shown: str | None
    lease: datetime


async def get(session: AsyncSession, chat_id: int) -> BoardGroup | None:
    return await session.get(BoardGroup, chat_id)


async def by_code(session: AsyncSession, join_code: str) -> BoardGroup | None:
    return await session.scalar(select(BoardGroup).where(BoardGroup.join_code == join_code))


async def start(
    session: AsyncSession, chat_id: int, title: str, zone: str, language: str, now: datetime
) -> BoardGroup:
    """A new board for the group, due to be posted at the next flush."""
    group = BoardGroup(
        chat_id=chat_id,
        title=title,
        time_zone=zone,
        language=language,
        join_code=secrets.token_urlsafe(9),  # 12 characters
        dirty=True,
        created_at=now,
    )
    session.add(group)
    await session.flush()
    return group


async def end(session: AsyncSession, chat_id: int) -> BoardGroup | None:
    """Forget the group's board and everyone on it; returns what it was (its message goes
    on showing, without buttons)."""
    group = await session.get(BoardGroup, chat_id)
    if group is None:
        return None
    await session.execute(delete(BoardMember).where(BoardMember.chat_id == chat_id))
    await session.delete(group)
    await session.flush()
    return group


async def member_ids(session: AsyncSession, chat_id: int) -> list[int]:
    """The board's members, in the order they joined."""
    rows = await session.scalars(
        select(BoardMember.user_id)
        .where(BoardMember.chat_id == chat_id)
        .order_by(BoardMember.joined_at, BoardMember.user_id)
    )
    return [int(user_id) for user_id in rows]


async def is_member(session: AsyncSession, chat_id: int, user_id: int) -> bool:
    found = await session.scalar(
        select(BoardMember.user_id).where(
            BoardMember.chat_id == chat_id, BoardMember.user_id == user_id
        )
    )
    return found is not None


async def member_count(session: AsyncSession, chat_id: int) -> int:
    found = await session.scalar(select(func.count()).where(BoardMember.chat_id == chat_id))
    return int(found or 0)


async def join(session: AsyncSession, chat_id: int, user_id: int, now: datetime) -> bool:
    """Put the user on the board (once, however many taps); True when they were not on it."""
    values = {"chat_id": chat_id, "user_id": user_id, "joined_at": now}
    statement = upsert_insert(session, BoardMember).values(**values).on_conflict_do_nothing()
    joined = bool(cast(CursorResult[tuple[()]], await session.execute(statement)).rowcount)
    if joined:
        await touch(session, chat_id)
    return joined


async def leave(session: AsyncSession, chat_id: int, user_id: int) -> bool:
    """Take the user off the board; True when they were on it."""
    outcome = await session.execute(
        delete(BoardMember).where(BoardMember.chat_id == chat_id, BoardMember.user_id == user_id)
    )
    left = bool(cast(CursorResult[tuple[()]], outcome).rowcount)
    if left:
        await touch(session, chat_id)
    return left


async def touch(session: AsyncSession, chat_id: int) -> None:
    """The board is due a redraw."""
    await session.execute(
        update(BoardGroup)
        .where(BoardGroup.chat_id == chat_id)
        .values(dirty=True)
        .execution_options(synchronize_session=False)
    )


async def repost(session: AsyncSession, chat_id: int) -> None:
    """The next flush posts the board as a new message at the bottom of the chat (/board),
    and the old one loses its buttons."""
    await session.execute(
        update(BoardGroup)
        .where(BoardGroup.chat_id == chat_id)
        .values(dirty=True, day=None)
        .execution_options(synchronize_session=False)
    )


async def claim_due(
    session: AsyncSession,
    now: datetime,
    *,
    spacing: timedelta,
    lease: timedelta,
    chat_ids: list[int] | None = None,
) -> list[Board]:
    """Lease every dirty board whose group had no board message for `spacing` and that no
    other flush holds, and clear its `dirty`: this flush draws it now. A board whose lease ran
    out was being drawn by a flush that died: it is drawn again. On PostgreSQL, rows another
    instance is claiming are skipped, not waited for."""
    lapsed = BoardGroup.lease_until <= now
    ready = (
        select(BoardGroup.chat_id)
        .where(
            or_(BoardGroup.dirty.is_(True), lapsed),
            or_(BoardGroup.lease_until.is_(None), lapsed),
            or_(BoardGroup.edited_at.is_(None), BoardGroup.edited_at <= now - spacing),
        )
        .with_for_update(skip_locked=True)
    )
    if chat_ids is not None:
        ready = ready.where(BoardGroup.chat_id.in_(chat_ids))
    lease_until = now + lease
    rows = await session.execute(
        update(BoardGroup)
        .where(BoardGroup.chat_id.in_(ready.scalar_subquery()))
        .values(dirty=False, lease_until=lease_until)
        .returning(
            BoardGroup.chat_id,
            BoardGroup.title,
            BoardGroup.time_zone,
            BoardGroup.language,
            BoardGroup.day,
            BoardGroup.message_id,
            BoardGroup.shown,
        )
        .execution_options(synchronize_session=False)
    )
    return [Board(*row, lease=lease_until) for row in rows]


async def drawn(
    session: AsyncSession,
    board: Board,
    *,
    day: date,
    message_id: int,
    shown: str,
    sent_at: datetime | None,
) -> bool:
    """Record what the board message shows now, and when the group last got a board message
    (`sent_at`; None: nothing was sent). Only while the lease is still this flush's."""
    values: dict[str, object] = {
        "day": day,
        "message_id": message_id,
        "shown": shown,
        "lease_until": None,
    }
    if sent_at is not None:
        values["edited_at"] = sent_at
    outcome = await session.execute(
        update(BoardGroup)
        .where(BoardGroup.chat_id == board.chat_id, BoardGroup.lease_until == board.lease)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[tuple[()]], outcome).rowcount == 1


async def release(session: AsyncSession, board: Board, *, sent_at: datetime | None) -> None:
    """The draw failed (a 429, the network): dirty again, for a later flush."""
    values: dict[str, object] = {"dirty": True, "lease_until": None}
    if sent_at is not None:
        values["edited_at"] = sent_at
    await session.execute(
        update(BoardGroup)
        .where(BoardGroup.chat_id == board.chat_id, BoardGroup.lease_until == board.lease)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
