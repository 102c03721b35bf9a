"""Queries on users. Each takes a session and never commits on its own."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coach import i18n
from coach.session_flow import MILESTONES
from storage.models import User


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def ensure_user(
    session: AsyncSession,
    user_id: int,
    chat_id: int,
    first_name: str = "",
    language_code: str | None = None,
) -> tuple[User, bool]:
    """The user's row, created on first contact; returns (user, created).

    Any message from a user proves they can be reached, so a blocked flag is cleared here.
    """
    user = await session.get(User, user_id)
    if user is None:
        user = User(
            id=user_id,
            chat_id=chat_id,
            first_name=first_name,
            language_code=language_code,
            language=i18n.negotiate(language_code),
        )
        session.add(user)
        await session.flush()
        return user, True
    user.chat_id = chat_id
    user.blocked = False
    if first_name:
        user.first_name = first_name
    if language_code:
        user.language_code = language_code
    return user, False


async def claim_milestone(session: AsyncSession, user_id: int, streak: int) -> int | None:
    """The streak milestone to celebrate now, once: the highest one `streak` reaches, when no
    higher or equal one was celebrated before (a compare-and-set, so two instances cannot
    both celebrate it)."""
    reached = [days for days in MILESTONES if days <= streak]
    if not reached:
        return None
    milestone = reached[-1]
    claimed = await session.execute(
        update(User)
        .where(User.id == user_id, User.milestone_seen < milestone)
        .values(milestone_seen=milestone)
        .execution_options(synchronize_session=False)
    )
    return milestone if cast(CursorResult[Any], claimed).rowcount == 1 else None


async def language_of(session: AsyncSession, user_id: int) -> tuple[bool, str | None, str | None]:
    """(stored, language, language_code) of a user: one indexed read of two columns, for
    choosing the language of each update before any handler loads the row."""
    row = (
        await session.execute(select(User.language, User.language_code).where(User.id == user_id))
    ).first()
    return (False, None, None) if row is None else (True, row[0], row[1])


def set_language(user: User, language: str) -> None:
    """Store the user's choice of language (one of coach.i18n.LANGUAGES)."""
    if language not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    user.language = language
