"""What the session handlers and the hold timer share: the day's progress as
`session_flow.Today`, and a `View`'s keyboard as Telegram markup."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from coach import session_flow
from coach.session_flow import Screen, Today, View
from handlers.keyboards import inline
from storage import checkins, progress, sets
from storage.sets import DaySets


def keyboard(view: View) -> InlineKeyboardMarkup:
    return inline(view.buttons)


def needs_day(screen: Screen) -> bool:
    """Whether `screen` shows anything of the day (a set-up step shows none of it)."""
    return screen.kind not in (session_flow.STEP, session_flow.DEMO)


async def today_of(
    session: AsyncSession,
    user_id: int,
    sets_per_side: int,
    hold_seconds: int,
    day: date,
    screen: Screen,
    logged: DaySets | None = None,
) -> Today:
    """What `screen` shows about the day: sets logged, targets and, where shown, the streak
    (read from the whole history, so only for the screens that show it). `sets_per_side` is
    the user's setting; a day with logged sets keeps its own (`sets.DaySets`). `logged` is
    the day's sets when the caller has them already; a set-up step reads nothing."""
    if not needs_day(screen):
        return Today(day, {}, sets_per_side, hold_seconds)
    streak = (
        await progress.user_streak(session, user_id, day)
        if session_flow.shows_streak(screen)
        else None
    )
    if logged is None:
        logged = await sets.day_sets(session, user_id, day)
    return Today(
        day=day,
        logged=logged.numbers,
        sets_per_side=logged.sets_per_side(sets_per_side),
        hold_seconds=hold_seconds,
        streak_current=streak.current if streak else 0,
        streak_best=streak.best if streak else 0,
        feel=(
            await checkins.score_on(session, user_id, day)
            if screen.kind == session_flow.SUMMARY
            else None
        ),
    )
