"""Buddy pairings (two `Buddy` rows each, one per side), their invites and their nudges.
Query functions take a session and never commit on their own."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach.together import INVITE_LIFETIME
from storage.batch import in_ids
from storage.db import Executor, upsert_insert
from storage.models import Buddy, BuddyInvite, BuddyNudge

# Invites are kept this long after they expire, so a late tap on the link still hears
# "expired" (not "not valid"); then they go.
INVITES_KEPT = timedelta(days=30)


async def buddies_of(session: AsyncSession, user_id: int) -> list[tuple[int, bool]]:
    """(buddy id, nudge me) for each of the user's buddies, oldest pairing first."""
    rows = await session.execute(
        select(Buddy.buddy_id, Buddy.nudge)
        .where(Buddy.user_id == user_id)
        .order_by(Buddy.created_at, Buddy.buddy_id)
    )
    return [(int(buddy), bool(nudge)) for buddy, nudge in rows]


async def buddies_of_many(executor: Executor, user_ids: Collection[int]) -> dict[int, list[int]]:
    """User -> their buddies' ids (oldest pairing first), for many users in one query (the
    reminder tick's batch)."""
    if not user_ids:
        return {}
    rows = await executor.execute(
        select(Buddy.user_id, Buddy.buddy_id)
        .where(in_ids(Buddy.user_id, list(user_ids)))
        .order_by(Buddy.user_id, Buddy.created_at, Buddy.buddy_id)
    )
    found: dict[int, list[int]] = {}
    for user_id, buddy_id in rows:
        found.setdefault(int(user_id), []).append(int(buddy_id))
    return found


async def count(session: AsyncSession, user_id: int) -> int:
    found = await session.scalar(select(func.count()).where(Buddy.user_id == user_id))
    return int(found or 0)


async def are_buddies(session: AsyncSession, user_id: int, other_id: int) -> bool:
    found = await session.scalar(
        select(Buddy.user_id).where(Buddy.user_id == user_id, Buddy.buddy_id == other_id)
    )
    return found is not None


async def pair(session: AsyncSession, user_id: int, other_id: int, now: datetime) -> None:
    """Both sides of a new pairing (insert-or-ignore: two accepts at once make one pairing)."""
    rows = [
        {"user_id": user_id, "buddy_id": other_id, "nudge": False, "created_at": now},
        {"user_id": other_id, "buddy_id": user_id, "nudge": False, "created_at": now},
    ]
    await session.execute(upsert_insert(session, Buddy).values(rows).on_conflict_do_nothing())


async def unpair(session: AsyncSession, user_id: int, other_id: int) -> bool:
    """End a pairing, both sides; True when there was one."""
    outcome = await session.execute(
        delete(Buddy).where(
            ((Buddy.user_id == user_id) & (Buddy.buddy_id == other_id))
            | ((Buddy.user_id == other_id) & (Buddy.buddy_id == user_id))
        )
    )
    return bool(cast(CursorResult[tuple[()]], outcome).rowcount)


async def set_nudge(session: AsyncSession, user_id: int, buddy_id: int, on: bool) -> bool | None:
    """Nudge `user_id` when `buddy_id` finishes, or not. None: they are not buddies; False:
    it was so already; True: changed."""
    current = await session.scalar(
        select(Buddy.nudge).where(Buddy.user_id == user_id, Buddy.buddy_id == buddy_id)
    )
    if current is None:
        return None
    if bool(current) == on:
        return False
    await session.execute(
        update(Buddy)
        .where(Buddy.user_id == user_id, Buddy.buddy_id == buddy_id)
        .values(nudge=on)
        .execution_options(synchronize_session=False)
    )
    return True


# ---- invites -----------------------------------------------------------------------------


async def live_invite(session: AsyncSession, user_id: int, now: datetime) -> str:
    """The user's invite token: the newest one still unused and valid for at least a day, or a
    new random one (so /buddy twice shows one link, not two)."""
    found = await session.scalar(
        select(BuddyInvite.token)
        .where(
            BuddyInvite.user_id == user_id,
            BuddyInvite.used_at.is_(None),
            BuddyInvite.expires_at > now + timedelta(days=1),
        )
        .order_by(BuddyInvite.created_at.desc())
        .limit(1)
    )
    if found is not None:
        return str(found)
    token = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
    session.add(
        BuddyInvite(token=token, user_id=user_id, created_at=now, expires_at=now + INVITE_LIFETIME)
    )
    return token


async def invite(session: AsyncSession, token: str) -> BuddyInvite | None:
    return await session.get(BuddyInvite, token)


async def use_invite(session: AsyncSession, token: str, now: datetime) -> bool:
    """Mark an invite used, once (a compare-and-set: of two accepts at once, one wins)."""
    outcome = await session.execute(
        update(BuddyInvite)
        .where(
            BuddyInvite.token == token,
            BuddyInvite.used_at.is_(None),
            BuddyInvite.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[tuple[()]], outcome).rowcount == 1


async def prune_invites(session: AsyncSession, now: datetime) -> int:
    outcome = await session.execute(
        delete(BuddyInvite).where(BuddyInvite.expires_at < now - INVITES_KEPT)
    )
    return int(cast(CursorResult[tuple[()]], outcome).rowcount or 0)


# ---- nudges ------------------------------------------------------------------------------


async def nudged_by(session: AsyncSession, buddy_id: int) -> list[int]:
    """Who asked to be nudged when `buddy_id` finishes a day."""
    rows = await session.scalars(
        select(Buddy.user_id).where(Buddy.buddy_id == buddy_id, Buddy.nudge.is_(True))
    )
    return [int(user_id) for user_id in rows]


async def claim_nudge(
    session: AsyncSession, user_id: int, day: date, buddy_id: int, now: datetime
) -> bool:
    """Record the one nudge of `user_id`'s stretch day `day`; False when the day has had one
    (the row is unique, so two finishes at once nudge once)."""
    values = {"user_id": user_id, "stretch_day": day, "buddy_id": buddy_id, "sent_at": now}
    statement = upsert_insert(session, BuddyNudge).values(**values).on_conflict_do_nothing()
    outcome = await session.execute(statement)
    return bool(cast(CursorResult[tuple[()]], outcome).rowcount)


async def nudged_on(session: AsyncSession, user_id: int, day: date) -> bool:
    found = await session.scalar(
        select(BuddyNudge.id).where(
            and_(BuddyNudge.user_id == user_id, BuddyNudge.stretch_day == day)
        )
    )
    return found is not None
