"""What the session handlers and the hold timer share: the user's stretch day, the day's
progress as `session_flow.Today`, and a `View`'s keyboard as Telegram markup."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import schedule, zones
from bot.session_flow import Today, View
from storage import progress, sets
from storage.models import User


def keyboard(view: View) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in view.buttons]
    )


def stretch_day_of(user: User, now: datetime) -> date:
    """The user's stretch day at `now` (03:00 local rollover); an unreadable zone counts as UTC."""
    try:
        tz = zones.to_tzinfo(user.time_zone or "UTC+00:00")
    except ValueError:
        tz = zones.to_tzinfo("UTC+00:00")
    return schedule.stretch_day(now, tz)


async def today_of(session: AsyncSession, user: User, day: date) -> Today:
    """Everything a screen shows about the day: sets logged, targets, the streak."""
    streak = await progress.user_streak(session, user, day)
    return Today(
        day=day,
        logged=await sets.logged_numbers(session, user.id, day),
        sets_per_side=user.sets_per_side,
        hold_seconds=user.hold_seconds,
        streak_current=streak.current,
        streak_best=streak.best,
    )
