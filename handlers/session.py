"""/stretch: the guided session message, edited in place, and its buttons (navigate, log a set,
start the hold timer). Screens and keyboards come from `coach.session_flow`; this module reads
the update, checks the button belongs to today's open session, stores, and renders.

Each update reads and writes in one transaction and talks to Telegram after it commits, so no
HTTP call holds the database; only re-sending the session needs a second, tiny transaction
to point the session row at the message Telegram just created.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, session_flow, texts
from coach.routine import load_routine
from coach.schedule import user_stretch_day
from coach.session_flow import Screen, Today
from handlers import media, session_timer, update_language
from handlers.context import LimberContext
from handlers.session_view import keyboard, today_of
from storage import checkins, guided, reminder_plan, sets, users

# The session message's own buttons: each names the stretch day it was drawn for.
P = TypeVar("P", callbacks.GoTo, callbacks.LogSet, callbacks.HoldTimer, callbacks.BackFeel)

# ---- opening the session ------------------------------------------------------------------


async def stretch_command(update: Update, context: LimberContext) -> None:
    if update.effective_user is not None and update.effective_chat is not None:
        await open_session(context, update.effective_user, update.effective_chat.id)


@update_language.own_language
async def stretch_button(update: Update, context: LimberContext) -> None:
    """▶ Start on a reminder or after onboarding: like /stretch, once. A session opened after
    the tapped message (by an earlier tap on it, say) is today's live one: the tap says where
    it is instead of opening another, however many taps arrive."""
    query = update.callback_query
    if query is None or query.message is None or update.effective_chat is None:
        return
    async with context.services.db.read() as session:
        shown = await guided.open_session_of(session, query.from_user.id)
        # An open session implies the user row (the query joins it).
        row = None if shown is not None else await users.get_user(session, query.from_user.id)
    update_language.settle(query.from_user, shown or row)
    if shown is None and row is None:
        # Their data was deleted: only /start (or a new message) begins again.
        await query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    today = user_stretch_day(shown.time_zone, context.services.clock.now()) if shown else None
    if (
        shown is not None
        and shown.stretch_day == today
        and shown.chat_id == update.effective_chat.id
        and shown.message_id > query.message.message_id
    ):
        await query.answer(texts.SESSION_ALREADY_OPEN)
        return
    await query.answer()
    await open_session(context, query.from_user, update.effective_chat.id)


async def open_session(context: LimberContext, tg_user: TelegramUser, chat_id: int) -> None:
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
        view = session_flow.render(routine, screen, today)
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
        )
    if before is not None:
        # And they go: the session lives on in the new message only.
        with contextlib.suppress(BadRequest):  # already without buttons, or deleted
            await context.bot.edit_message_reply_markup(*before, reply_markup=None)


# ---- buttons on the session message -------------------------------------------------------


@dataclass(frozen=True)
class Tapped(Generic[P]):
    """A button tap that belongs to today's open session message."""

    shown: guided.OpenSession
    data: P


async def _tapped(
    session: AsyncSession, update: Update, context: LimberContext, kind: type[P]
) -> Tapped[P] | None:
    """The tap, or None when its button is stale: another day, or not the open session message."""
    query = update.callback_query
    if query is None or query.message is None:
        return None
    data = kind.parse(query.data)
    if data is None:
        return None
    shown = await guided.open_session_of(session, query.from_user.id)
    if shown is None:
        return None
    # Everything the tap answers from here on is in the user's language (see _expired).
    update_language.settle(query.from_user, shown)
    day = user_stretch_day(shown.time_zone, context.services.clock.now())
    if (
        data.day != session_flow.day_code(day)
        or shown.stretch_day != day
        or shown.message_id != query.message.message_id
        or shown.chat_id != query.message.chat.id
    ):
        return None
    return Tapped(shown, data)


async def _answer(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


async def _expired(update: Update, context: LimberContext) -> None:
    """The answer to a stale tap, in the user's language: the handlers below are marked
    `own_language`, and a tap refused before `_tapped` read the row has it read now."""
    await update_language.settle_stored(update, context)
    await _answer(update, texts.BUTTON_EXPIRED)


async def _today_of(session: AsyncSession, shown: guided.OpenSession, screen: Screen) -> Today:
    return await today_of(
        session, shown.user_id, shown.sets_per_side, shown.hold_seconds, shown.stretch_day, screen
    )


@dataclass(frozen=True)
class Move:
    """A live tap on a move button: the session as shown, where it goes, and that day."""

    shown: guided.OpenSession
    target: Screen
    today: Today | None  # None: the target is the screen already shown


async def _plan_move(session: AsyncSession, update: Update, context: LimberContext) -> Move | None:
    tapped = await _tapped(session, update, context, callbacks.GoTo)
    if tapped is None:
        return None
    target = session_flow.parse_screen(load_routine(), tapped.data.screen)
    if target is None:
        return None
    if target.token == tapped.shown.screen:
        return Move(tapped.shown, target, None)
    return Move(tapped.shown, target, await _today_of(session, tapped.shown, target))


@update_language.own_language
async def go_button(update: Update, context: LimberContext) -> None:
    """Back / Next / Start / Log sets: move the session to another screen.

    The tap is checked and the new screen's day read in a read-only transaction, which waits
    for no other user's write; the tap is answered before the move is written, so the button
    stops spinning as soon as we know the tap is live. Taps of one user arrive in order
    (bot.update_order), so only another instance can move the session between the read and
    the write: the compare-and-set then fails, that instance's edit shows, and we edit nothing.
    """
    services, routine = context.services, load_routine()
    async with services.db.read() as session:
        move = await _plan_move(session, update, context)
    if move is None:
        await _expired(update, context)
        return
    await _answer(update)
    if move.today is None:
        return  # that screen is already shown: an edit would change nothing
    shown, today = move.shown, move.today
    async with services.db.transaction() as session:
        moved = await guided.move(session, shown, move.target.token, services.clock.now())
        if moved and move.target.kind == session_flow.SUMMARY:
            # A streak milestone is celebrated once, the first time a summary shows it.
            milestone = await users.claim_milestone(session, shown.user_id, today.streak_current)
            today = dataclasses.replace(today, milestone=milestone)
    if not moved:
        return
    session_timer.cancel(context, shown.user_id)
    # Rendered after the commit: nothing holds the database while we build the screen.
    view = session_flow.render(routine, move.target, today)
    before = session_flow.parse_screen(routine, shown.screen)
    if before is not None and session_flow.picture_of(routine, before, move.today) == view.picture:
        await media.edit_caption(
            context.bot, shown.chat_id, shown.message_id, view.caption, keyboard(view)
        )
    else:
        await services.pictures.edit(
            context.bot,
            shown.chat_id,
            shown.message_id,
            view.picture,
            view.caption,
            keyboard(view),
        )


@dataclass(frozen=True)
class SetLogged:
    """What a live set tap did: the toast, and what to edit afterwards."""

    shown: guided.OpenSession
    toast: str
    changed: bool  # False: a repeated tap, nothing to edit
    screen: Screen
    today: Today
    day_target: int  # sets the whole day needs
    reminder: int | None  # the day's reminder message, when this set finished the day


async def _log_tap(
    session: AsyncSession, update: Update, context: LimberContext
) -> SetLogged | None:
    routine = load_routine()
    tapped = await _tapped(session, update, context, callbacks.LogSet)
    if tapped is None:
        return None
    shown = tapped.shown
    logged = await sets.day_sets(session, shown.user_id, shown.stretch_day)
    target = logged.sets_per_side(shown.sets_per_side)
    tap = session_flow.parse_set(routine, tapped.data, target)
    if tap is None:
        return None
    where = (shown.user_id, shown.stretch_day, tap.stretch_key, tap.side, tap.number)
    reminder = None
    if tap.done:
        now = context.services.clock.now()
        changed = await sets.log_set(session, *where, now, sets_target=target)
        toast = texts.SESSION_SET_LOGGED if changed else texts.SESSION_SET_ALREADY
        if changed and session_flow.completes_day(routine, logged.numbers, target, tap):
            # The day's reminder has done its job: it becomes a ✓ line.
            reminder = await reminder_plan.reminder_message(
                session, shown.user_id, shown.stretch_day
            )
    else:
        changed = await sets.undo_set(session, *where)
        toast = texts.SESSION_SET_UNDONE if changed else texts.SESSION_SET_NOT_LOGGED
    screen = session_flow.parse_screen(routine, shown.screen) or Screen(session_flow.INTRO)
    today = await _today_of(session, shown, screen)
    return SetLogged(
        shown,
        toast.format(number=tap.number),
        changed,
        screen,
        today,
        routine.day_target(target),
        reminder,
    )


@update_language.own_language
async def set_button(update: Update, context: LimberContext) -> None:
    """✅ Set N done on the hold screen, or a set in the Log sets grid (log or undo)."""
    async with context.services.db.transaction() as session:
        done = await _log_tap(session, update, context)
    if done is None:
        await _expired(update, context)
        return
    await _answer(update, done.toast)
    shown = done.shown
    if done.changed:  # a repeated tap changes nothing, so it needs no edit (and no flood of them)
        session_timer.cancel(context, shown.user_id)
        view = session_flow.render(load_routine(), done.screen, done.today)
        await media.edit_caption(
            context.bot, shown.chat_id, shown.message_id, view.caption, keyboard(view)
        )
    if done.reminder is not None:
        with contextlib.suppress(BadRequest):  # deleted by the user, or too old to edit
            await context.bot.edit_message_text(
                texts.REMINDER_DONE.format(target=done.day_target), shown.chat_id, done.reminder
            )


@dataclass(frozen=True)
class FeelNoted:
    """A live tap on a face of the summary: what was stored, and the summary to show."""

    shown: guided.OpenSession
    score: int
    today: Today


async def _note_feel(
    session: AsyncSession, update: Update, context: LimberContext
) -> FeelNoted | None:
    tapped = await _tapped(session, update, context, callbacks.BackFeel)
    if tapped is None or tapped.shown.screen != session_flow.SUMMARY:
        return None  # its summary is no longer shown
    shown, score = tapped.shown, tapped.data.score
    if score not in session_flow.FEEL_SCORES:
        return None
    await checkins.note(
        session, shown.user_id, shown.stretch_day, score, context.services.clock.now()
    )
    return FeelNoted(shown, score, await _today_of(session, shown, Screen(session_flow.SUMMARY)))


@update_language.own_language
async def feel_button(update: Update, context: LimberContext) -> None:
    """A face under "How does your back feel today?" on the summary: store it, show it."""
    async with context.services.db.transaction() as session:
        noted = await _note_feel(session, update, context)
    if noted is None:
        await _expired(update, context)
        return
    face = session_flow.face_of(noted.score)
    await _answer(update, texts.FEEL_TOAST.format(face=face, score=noted.score))
    view = session_flow.render(load_routine(), Screen(session_flow.SUMMARY), noted.today)
    shown = noted.shown
    await media.edit_caption(
        context.bot, shown.chat_id, shown.message_id, view.caption, keyboard(view)
    )


@update_language.own_language
async def timer_button(update: Update, context: LimberContext) -> None:
    """⏱ on the hold screen: count the hold down in the caption."""
    async with context.services.db.read() as session:
        tapped = await _tapped(session, update, context, callbacks.HoldTimer)
    hold = None
    if tapped is not None:
        hold = Screen(session_flow.HOLD, tapped.data.stretch, tapped.data.side)
    # A timer button from a hold the session has already left counts as expired.
    if tapped is None or hold is None or tapped.shown.screen != hold.token:
        await _expired(update, context)
        return
    shown = tapped.shown
    ends_at = context.services.clock.now() + timedelta(seconds=shown.hold_seconds)
    async with context.services.db.transaction() as session:
        # Stored, so a restart or another instance finishes it (handlers.session_timer).
        started = await guided.start_timer(session, shown, ends_at)
    if not started:
        await _expired(update, context)  # the session moved meanwhile
        return
    await _answer(update, texts.SESSION_TIMER_STARTED.format(seconds=shown.hold_seconds))
    timer = session_timer.HoldTimer(
        shown.user_id,
        shown.chat_id,
        shown.message_id,
        shown.stretch_day,
        hold.token,
        shown.hold_seconds,
        ends_at,
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
