"""The chat agrees with a session finished elsewhere (the Mini App): the day's session message
shows the summary. Today's open session message is edited to it in place; without one (the
Mini App was opened from the reminder or the menu), or when Telegram no longer lets it be
edited, the summary goes out as a new session message and the older one loses its buttons,
as /stretch does (docs/ARCHITECTURE.md, "Live messages").

Like a handler: one transaction decides and stores, Telegram is called after the commit, and
what the message shows is stored once the edit or send landed.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import datetime
from typing import Any

from telegram.error import BadRequest
from telegram.ext import Application

from coach import session_flow
from coach.routine import load_routine
from coach.schedule import user_stretch_day
from coach.session_flow import Screen, Today
from coach.texts import Texts
from handlers import session_timer
from handlers.context import services_of
from handlers.session_view import keyboard, today_of
from storage import guided, users
from storage.guided import OpenSession

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def show_summary(
    application: AnyApplication, user_id: int, texts: Texts, now: datetime
) -> Today | None:
    """Show today's summary in the user's chat; returns what it shows (with a streak milestone
    to celebrate, the first time one is reached), or None for a user we do not know."""
    services, routine = services_of(application), load_routine()
    summary = Screen(session_flow.SUMMARY)
    async with services.db.transaction() as session:
        user = await users.get_user(session, user_id)
        if user is None:
            return None
        chat_id, day = user.chat_id, user_stretch_day(user.time_zone, now)
        row = await guided.get_session(session, user_id)
        live: OpenSession | None = None
        if row is not None and row.stretch_day == day:
            live = OpenSession(
                user.id,
                user.time_zone,
                user.sets_per_side,
                user.hold_seconds,
                row.chat_id,
                row.message_id,
                row.stretch_day,
                row.screen,
                row.shown,
            )
            if row.screen != session_flow.SUMMARY and not await guided.move(
                session, live, session_flow.SUMMARY, now
            ):
                return None  # moved by another instance meanwhile: its edit shows
        before = (row.chat_id, row.message_id) if row is not None and live is None else None
        today = await today_of(
            session, user_id, user.sets_per_side, user.hold_seconds, day, summary
        )
        milestone = await users.claim_milestone(session, user_id, today.streak_current)
        today = dataclasses.replace(today, milestone=milestone)
    session_timer.cancel_in(application.job_queue, user_id)
    bot = application.bot
    view = session_flow.render(routine, summary, today, texts, mini_app=services.mini_app_url)
    mark = session_flow.shown_mark(summary, view)
    if live is not None:
        if live.shown == mark:
            return today  # already shows it (a second finish)
        try:
            await services.pictures.edit(
                bot, live.chat_id, live.message_id, view.picture, view.caption, keyboard(view)
            )
        except BadRequest:
            before = (live.chat_id, live.message_id)  # deleted, or too old: send it anew
        else:
            async with services.db.transaction() as session:
                await guided.mark_shown(session, user_id, live.message_id, mark)
            return today
    message = await services.pictures.send(bot, chat_id, view.picture, view.caption, keyboard(view))
    async with services.db.transaction() as session:
        await guided.open_session(
            session, user_id, chat_id, message.message_id, day, summary.token, now, shown=mark
        )
    if before is not None:
        with contextlib.suppress(BadRequest):  # already without buttons, or deleted
            await bot.edit_message_reply_markup(*before, reply_markup=None)
    return today
