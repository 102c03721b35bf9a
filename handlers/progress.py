"""/progress: streak, today's sets, this week and the total, with the calendar picture."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from coach.pause_view import pause_span
from coach.progress_view import (
    CALENDAR_WEEKS,
    ProgressSummary,
    calendar_since,
    calendar_subtitle,
    days_met_this_week,
    progress_text,
)
from coach.routine import load_routine
from coach.streaks import DayProgress
from coach.texts import Texts
from handlers.context import LimberContext
from storage import account, checkins, pauses, progress, together, users
from storage.models import User

if TYPE_CHECKING:
    from coach.calendar_image import DayCell


async def show_progress(update: Update, context: LimberContext) -> None:
    turn, message = context.turn, update.effective_message
    if turn.user is None or message is None:
        return
    texts = turn.texts
    async with context.services.db.read() as session:
        user = await users.get_user(session, turn.user.id)
        gathered = None if user is None else await _gather(session, user, turn.now, texts)
    # Talk to Telegram only after the transaction ends.
    if gathered is None:
        await message.reply_text(texts.PROGRESS_NO_USER)
        return
    summary, grid, feel = gathered
    # Pillow and the calendar module load on the first /progress, not at start (memory).
    from coach.calendar_image import render_calendar

    # Drawing takes tens of milliseconds of CPU: off the event loop, so other chats keep moving.
    picture = await asyncio.to_thread(
        render_calendar,
        grid,
        texts=texts,
        title=texts.CALENDAR_TITLE,
        subtitle=calendar_subtitle(summary, texts),
        feel=feel,
    )
    await message.reply_photo(
        InputFile(picture, filename="progress.png"),
        caption=progress_text(summary, texts),
    )


async def _gather(
    session: AsyncSession, user: User, now: datetime, texts: Texts
) -> tuple[ProgressSummary, list[list[DayCell]], list[float | None]]:
    """The numbers, the calendar grid and each week's back feel, read in one go."""
    from coach.calendar_image import build_grid

    today = pauses.user_today(user, now)
    # Each day against its own target: the sets per side it was logged under
    # (storage.progress.day_tallies); a day without sets has the current setting.
    tallies = await progress.user_days(session, user.id, since=calendar_since(today), until=today)
    # Through the calendar's last column: a pause running into the coming days shows there.
    paused = await progress.paused_days(session, user.id, today + timedelta(days=6))
    days = {
        day: DayProgress(day, tally.done, tally.target, day in paused)
        for day, tally in tallies.items()
    }
    setting = load_routine().day_target(user.sets_per_side)
    target = days[today].target if today in days else setting
    streak = await progress.user_streak(session, user.id, today)
    ahead = await pauses.pause_ahead(session, user, today)
    summary = ProgressSummary(
        current=streak.current,
        best=streak.best,
        done_today=days[today].done if today in days else 0,
        target=target,
        week_met=days_met_this_week(days, today),
        total=await account.total_sets(session, user.id),
        paused_span=pause_span(ahead, today, texts) if ahead is not None else None,
        buddies=await together.buddy_days(session, user.id, now),
    )
    grid = build_grid(
        today,
        {day: tally.done for day, tally in tallies.items()},
        setting,
        paused,
        weeks=CALENDAR_WEEKS,
        day_targets={day: tally.target for day, tally in tallies.items() if tally.target > 0},
    )
    feel = await checkins.weekly_averages(session, [user.id], grid[0][0].day, len(grid))
    return summary, grid, feel[user.id]


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("progress", show_progress)]
