"""/stretch: the guided session message, edited in place, and its buttons (navigate, log a set,
start the hold timer, note how the back feels). Screens and keyboards come from
`coach.session_flow`; this module checks the button belongs to today's open session, stores,
and renders.

Whether a tap is live is known from the turn alone (it reads the open session with the user's
row), so a stale tap is answered without another read and without the writer lock. Each
update writes in one transaction and talks to Telegram after it commits, so no HTTP call holds
the database. A tap on the live message that shows an older screen than the stored one (the
instance that stored the move died before its edit) re-renders the stored screen: the
message heals instead of staying stuck (docs/ARCHITECTURE.md, "Live messages").
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, session_flow
from coach.routine import load_routine
from coach.schedule import user_stretch_day
from coach.session_flow import Screen, Today, View
from coach.texts import Texts
from handlers import common, media, session_timer, together
from handlers.common import Tap
from handlers.context import LimberContext
from handlers.session_view import keyboard, needs_day, today_of
from handlers.turn import Turn
from storage import checkins, guided, set_log, users
from storage.guided import OpenSession

# The session message's own buttons: each names the stretch day it was drawn for.
P = TypeVar("P", callbacks.GoTo, callbacks.LogSet, callbacks.HoldTimer, callbacks.BackFeel)

# ---- opening the session ------------------------------------------------------------------


async def stretch_command(update: Update, context: LimberContext) -> None:
    turn = context.turn
    if turn.user is not None and turn.chat is not None:
        await open_session(context, turn.user, turn.chat.id, turn.texts)


async def stretch_button(update: Update, context: LimberContext) -> None:
    """▶ Start on a reminder or after onboarding: like /stretch, once. A session opened after
    the tapped message (by an earlier tap on it, say) is today's live one: the tap says where
    it is instead of opening another, however many taps arrive."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.OpenSession, texts.BUTTON_EXPIRED)
    if tap is None or turn.user is None:
        return
    if turn.row is None:
        # Their data was deleted: only /start (or a new message) begins again.
        await tap.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    shown = turn.session
    if (
        shown is not None
        and shown.stretch_day == user_stretch_day(shown.time_zone, turn.now)
        and shown.chat_id == tap.chat_id
        and shown.message_id > tap.message_id
    ):
        await tap.answer(texts.SESSION_ALREADY_OPEN)
        return
    await tap.answer()
    await open_session(context, turn.user, tap.chat_id, texts)


async def open_session(
    context: LimberContext, tg_user: TelegramUser, chat_id: int, texts: Texts
) -> None:
    """Send the session as a new message: today's open one at its screen, or a fresh intro."""
    services, routine = context.services, load_routine()
    session_timer.cancel(context, tg_user.id)
    async with services.db.transaction() as session:
        user, _ = await users.ensure_user(
            session, tg_user.id, chat_id, tg_user.first_name, tg_user.language_code
        )
        day = user_stretch_day(user.time_zone, services.clock.now())
        row = await guided.get_session(session, user.id)
        screen = None
        before = (row.chat_id, row.message_id) if row is not None else None
        if row is not None and row.stretch_day == day:
            screen = session_flow.parse_screen(routine, row.screen)
        screen = screen or Screen(session_flow.INTRO)
        today = await today_of(session, user.id, user.sets_per_side, user.hold_seconds, day, screen)
    view = session_flow.render(routine, screen, today, texts, mini_app=services.mini_app_url)
    message = await services.pictures.send(
        context.bot, chat_id, view.picture, view.caption, keyboard(view)
    )
    # The old message's buttons now answer "expired": they no longer match the row.
    async with services.db.transaction() as session:
        await guided.open_session(
            session,
            tg_user.id,
            chat_id,
            message.message_id,
            day,
            screen.token,
            services.clock.now(),
            shown=session_flow.shown_mark(screen, view),
        )
    if before is not None:
        # And they go: the session lives on in the new message only.
        with contextlib.suppress(BadRequest):  # already without buttons, or deleted
            await context.bot.edit_message_reply_markup(*before, reply_markup=None)


# ---- buttons on the session message -------------------------------------------------------


async def _live_tap(update: Update, turn: Turn, kind: type[P]) -> tuple[Tap[P], OpenSession] | None:
    """The tap and the open session it belongs to; None (the tap answered "expired") for a
    button of another day or on any message but the open session's. From the turn: no read."""
    texts = turn.texts
    tap = await common.read_tap(update, kind, texts.BUTTON_EXPIRED)
    if tap is None:
        return None
    shown = turn.session
    day = user_stretch_day(shown.time_zone, turn.now) if shown is not None else None
    if (
        shown is None
        or tap.data.day != session_flow.day_code(shown.stretch_day)
        or shown.stretch_day != day
        or shown.message_id != tap.message_id
        or shown.chat_id != tap.chat_id
    ):
        await tap.answer(texts.BUTTON_EXPIRED)
        return None
    return tap, shown


async def _day_of(context: LimberContext, shown: OpenSession, screen: Screen) -> Today:
    """What `screen` shows of the session's day, read without the writer lock (a set-up step
    reads nothing)."""
    if not needs_day(screen):
        return Today(shown.stretch_day, {}, shown.sets_per_side, shown.hold_seconds)
    async with context.services.db.read() as session:
        return await today_of(
            session,
            shown.user_id,
            shown.sets_per_side,
            shown.hold_seconds,
            shown.stretch_day,
            screen,
        )


async def _show(
    context: LimberContext, shown: OpenSession, target: Screen, view: View, today: Today
) -> None:
    """Edit the session message to `view` of `target`, then store that it shows it. Only the
    caption and buttons change when the message shows the stored screen and the picture stays;
    a message left behind (its last edit lost) gets the picture too."""
    routine, texts = load_routine(), context.turn.texts
    before = session_flow.parse_screen(routine, shown.screen)
    keeps_picture = (
        before is not None
        and session_flow.shown_screen(shown.shown) == shown.screen
        and session_flow.picture_of(routine, before, texts, today) == view.picture
    )
    if keeps_picture:
        await media.edit_caption(
            context.bot, shown.chat_id, shown.message_id, view.caption, keyboard(view)
        )
    else:
        await context.services.pictures.edit(
            context.bot, shown.chat_id, shown.message_id, view.picture, view.caption, keyboard(view)
        )
    async with context.services.db.transaction() as session:
        mark = session_flow.shown_mark(target, view)
        await guided.mark_shown(session, shown.user_id, shown.message_id, mark)


async def go_button(update: Update, context: LimberContext) -> None:
    """Back / Next / Start / Log sets: move the session to another screen.

    The tap is answered as soon as the turn shows it is live, so the button stops spinning at
    once. Taps of one user arrive in order (bot.update_order), so only another instance can
    move the session before the write: the compare-and-set then fails, that instance's edit
    shows, and we edit nothing."""
    turn = context.turn
    live = await _live_tap(update, turn, callbacks.GoTo)
    if live is None:
        return
    tap, shown = live
    routine = load_routine()
    target = session_flow.parse_screen(routine, tap.data.screen)
    if target is None:
        await tap.answer(turn.texts.BUTTON_EXPIRED)
        return
    await tap.answer()
    if target.token == shown.screen:
        # Already the stored screen: a second tap on the same button, or a move whose edit
        # never landed (its instance died). Show it, unless the message shows it already.
        today = await _day_of(context, shown, target)
        view = session_flow.render(
            routine, target, today, turn.texts, mini_app=context.services.mini_app_url
        )
        if shown.shown != session_flow.shown_mark(target, view):
            await _show(context, shown, target, view, today)
        return
    today = await _day_of(context, shown, target)
    async with context.services.db.transaction() as session:
        moved = await guided.move(session, shown, target.token, turn.now)
        if moved and target.kind == session_flow.SUMMARY:
            # A streak milestone is celebrated once, the first time a summary shows it.
            milestone = await users.claim_milestone(session, shown.user_id, today.streak_current)
            today = dataclasses.replace(today, milestone=milestone)
    if not moved:
        return
    session_timer.cancel(context, shown.user_id)
    # Rendered after the commit: nothing holds the database while we build the screen.
    view = session_flow.render(
        routine, target, today, turn.texts, mini_app=context.services.mini_app_url
    )
    await _show(context, shown, target, view, today)


@dataclass(frozen=True)
class SetLogged:
    """What a live set tap did: the toast, and what to show afterwards."""

    toast: str
    changed: bool  # False: a repeated tap, nothing stored
    today: Today
    reminder: int | None  # the day's reminder message, when this set finished the day
    completed: bool = False  # this set finished the day
    on_boards: bool = False  # the user is on a group's board, now due a redraw


async def set_button(update: Update, context: LimberContext) -> None:
    """✅ Set N done on the hold screen, or a set in the Log sets grid (log or undo)."""
    turn = context.turn
    live = await _live_tap(update, turn, callbacks.LogSet)
    if live is None:
        return
    tap, shown = live
    routine = load_routine()
    screen = session_flow.parse_screen(routine, shown.screen) or Screen(session_flow.INTRO)
    async with context.services.db.transaction() as session:
        done = await _log_tap(session, turn, shown, tap.data, screen)
    if done is None:
        await tap.answer(turn.texts.BUTTON_EXPIRED)
        return
    await tap.answer(done.toast)
    view = session_flow.render(
        routine, screen, done.today, turn.texts, mini_app=context.services.mini_app_url
    )
    # A repeated tap stores nothing and needs no edit (nor does a flood of them), unless
    # the message is behind what is stored.
    if shown.shown != session_flow.shown_mark(screen, view):
        session_timer.cancel(context, shown.user_id)
        await _show(context, shown, screen, view, done.today)
    if done.reminder is not None:
        target = routine.day_target(done.today.sets_per_side)
        with contextlib.suppress(BadRequest):  # deleted by the user, or too old to edit
            await context.bot.edit_message_text(
                turn.texts.REMINDER_DONE.format(target=target), shown.chat_id, done.reminder
            )
    # Their boards show the set, and buddies who asked hear when the day is done.
    await together.after_sets(
        context.application, shown.user_id, boards_touched=done.on_boards, day_done=done.completed
    )


async def _log_tap(
    session: Any, turn: Turn, shown: OpenSession, data: callbacks.LogSet, screen: Screen
) -> SetLogged | None:
    """Log or undo the tapped set (`storage.set_log`, as the Mini App does); None for a set
    this day cannot have (a forged number, say)."""
    texts = turn.texts
    change = await set_log.change_set(
        session, shown.user_id, shown.stretch_day, data, turn.now, sets_per_side=shown.sets_per_side
    )
    if change is None:
        return None
    if change.done:
        toast = texts.SESSION_SET_LOGGED if change.changed else texts.SESSION_SET_ALREADY
    else:
        toast = texts.SESSION_SET_UNDONE if change.changed else texts.SESSION_SET_NOT_LOGGED
    today = await today_of(
        session,
        shown.user_id,
        shown.sets_per_side,
        shown.hold_seconds,
        shown.stretch_day,
        screen,
        logged=change.after,
    )
    return SetLogged(
        toast.format(number=change.number),
        change.changed,
        today,
        change.reminder,
        change.completed,
        change.on_boards,
    )


async def feel_button(update: Update, context: LimberContext) -> None:
    """A face under "How does your back feel today?" on the summary: store it, show it."""
    turn = context.turn
    live = await _live_tap(update, turn, callbacks.BackFeel)
    if live is None:
        return
    tap, shown = live
    score = tap.data.score
    summary = Screen(session_flow.SUMMARY)
    if shown.screen != session_flow.SUMMARY or score not in session_flow.FEEL_SCORES:
        await tap.answer(turn.texts.BUTTON_EXPIRED)  # its summary is no longer shown
        return
    async with context.services.db.transaction() as session:
        await checkins.note(session, shown.user_id, shown.stretch_day, score, turn.now)
        today = await today_of(
            session,
            shown.user_id,
            shown.sets_per_side,
            shown.hold_seconds,
            shown.stretch_day,
            summary,
        )
    face = session_flow.face_of(score)
    await tap.answer(turn.texts.FEEL_TOAST.format(face=face, score=score))
    view = session_flow.render(
        load_routine(), summary, today, turn.texts, mini_app=context.services.mini_app_url
    )
    if shown.shown != session_flow.shown_mark(summary, view):
        await _show(context, shown, summary, view, today)


async def timer_button(update: Update, context: LimberContext) -> None:
    """⏱ on the hold screen: count the hold down in the caption."""
    turn = context.turn
    live = await _live_tap(update, turn, callbacks.HoldTimer)
    if live is None:
        return
    tap, shown = live
    hold = Screen(session_flow.HOLD, tap.data.stretch, tap.data.side)
    # A timer button from a hold the session has already left counts as expired.
    if shown.screen != hold.token:
        await tap.answer(turn.texts.BUTTON_EXPIRED)
        return
    ends_at = turn.now + timedelta(seconds=shown.hold_seconds)
    async with context.services.db.transaction() as session:
        # Stored, so a restart or another instance finishes it (handlers.session_timer).
        started = await guided.start_timer(session, shown, ends_at)
    if not started:
        await tap.answer(turn.texts.BUTTON_EXPIRED)  # the session moved meanwhile
        return
    await tap.answer(turn.texts.SESSION_TIMER_STARTED.format(seconds=shown.hold_seconds))
    timer = session_timer.HoldTimer(
        shown.user_id,
        shown.chat_id,
        shown.message_id,
        shown.stretch_day,
        hold.token,
        shown.hold_seconds,
        ends_at,
        language=turn.language,
    )
    await session_timer.start(context, timer)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("stretch", stretch_command),
        CallbackQueryHandler(stretch_button, pattern=callbacks.OpenSession.pattern()),
        CallbackQueryHandler(go_button, pattern=callbacks.GoTo.pattern()),
        CallbackQueryHandler(set_button, pattern=callbacks.LogSet.pattern()),
        CallbackQueryHandler(timer_button, pattern=callbacks.HoldTimer.pattern()),
        CallbackQueryHandler(feel_button, pattern=callbacks.BackFeel.pattern()),
    ]
