"""/settings: one inline menu, edited in place; time and zone are asked like in onboarding.

Changes that move the reminder (time, weekdays, zone, pause) reschedule it at once,
and the menu shows the new "Next reminder". Time and zone reuse onboarding's questions and
its `User.awaiting` answers; our own awaiting values make the answer bring the menu back.

Only the newest menu acts (`storage.live`): a tap on an older one, or on a menu of a user
who has deleted their data, answers that it expired, loses its buttons and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
)

from coach import callbacks, schedule, zones
from coach.pause_view import days_of, pause_span
from coach.reminder_keyboards import describe_next
from coach.settings_view import (
    Choice,
    SettingsState,
    menu_keyboard,
    menu_text,
    parse_choice,
)
from coach.texts import Texts
from handlers import common, language
from handlers.context import LimberContext
from handlers.keyboards import inline
from handlers.questions import asking
from handlers.questions.asking import Awaiting
from storage import live as storage_live
from storage import pauses, progress, reminder_plan, sets, users
from storage.models import User

# Choices that move the next reminder.
RESCHEDULING = frozenset({"wd", "pause", "resume"})


async def show_settings(update: Update, context: LimberContext) -> None:
    sender = common.sender_of(update)
    if sender is None:
        return
    texts, now = context.turn.texts, context.turn.now
    async with common.sender_row(context, sender) as (session, row):
        state = await menu_state(session, row, now, texts)
    await send_menu(context, sender.message, sender.user.id, state)


async def menu_state(
    session: AsyncSession, user: User, now: datetime, texts: Texts
) -> SettingsState:
    """What the menu shows for `user` now (`reminder_plan.reschedule` keeps pauses out of it)."""
    today = pauses.user_today(user, now)
    zone_text = zones.describe_zone(user.time_zone, now) if user.time_zone else None
    return SettingsState(
        reminder_time=user.reminder_time,
        weekdays=user.weekdays,
        zone_text=zone_text,
        sets_per_side=user.sets_per_side,
        hold_seconds=user.hold_seconds,
        pause=await pauses.pause_ahead(session, user, today),
        today=today,
        weekly_recap=user.weekly_recap,
        next_text=describe_next(
            user.next_reminder_at, now, user.time_zone, texts, paused=user.paused_since is not None
        ),
    )


async def on_menu_button(update: Update, context: LimberContext) -> None:
    turn = context.turn
    texts, now = turn.texts, turn.now
    tap = await common.read_tap(update, callbacks.SettingsTap, texts.SETTINGS_OUT_OF_RANGE)
    if tap is None:
        return
    choice = parse_choice(tap.query.data)
    if choice is None:
        await tap.query.answer(texts.SETTINGS_OUT_OF_RANGE)
        return
    # A tap on an older menu is told so from a read, waiting for no one's write.
    live = await common.is_live(context, turn, storage_live.SETTINGS, tap)
    state = before = toast = None
    if live and turn.row is not None and choice.what not in ("time", "zone", "lang"):
        async with context.services.db.transaction() as session:
            row = await users.get_user(session, turn.row.id)
            live = row is not None and await storage_live.is_live(
                session, row.id, storage_live.SETTINGS, tap.chat_id, tap.message_id
            )
            if row is not None and live and choice.what == "done":
                await storage_live.forget(session, row.id, storage_live.SETTINGS)
            elif row is not None and live:
                before = await menu_state(session, row, now, texts)
                toast = await _apply(session, row, choice, now, texts)
                if choice.what in RESCHEDULING:
                    await reminder_plan.reschedule(session, row, now)
                state = await menu_state(session, row, now, texts)
    if not live or turn.row is None:
        await common.expire(tap, texts.SETTINGS_MENU_EXPIRED, parse_choice)
        return
    if choice.what in ("time", "zone"):
        await tap.query.answer()
        # Our own awaiting values: the answer brings the menu back.
        asked = Awaiting.SETTINGS_TIME if choice.what == "time" else Awaiting.SETTINGS_ZONE
        await asking.ask(update, context, asked)
        return
    if choice.what == "lang":
        await tap.query.answer()
        if tap.message is not None:  # the menu stays; a new /settings shows it
            await language.ask(context, tap.message, turn.row.id)
        return
    if choice.what == "done":
        await tap.query.answer()
        await tap.query.edit_message_text(texts.SETTINGS_CLOSED)
        return
    if state == before:
        await tap.query.answer(texts.SETTINGS_UNCHANGED)  # the menu already shows it: no edit
        return
    await tap.query.answer(toast)
    assert state is not None
    await tap.query.edit_message_text(
        menu_text(state, texts), reply_markup=inline(menu_keyboard(state, texts))
    )


async def _apply(
    session: AsyncSession, row: User, choice: Choice, now: datetime, texts: Texts
) -> str:
    """Store one menu choice (already range-checked); returns the toast to show."""
    value = choice.value if choice.value is not None else 0
    today = pauses.user_today(row, now)
    if choice.what == "wd":
        row.weekdays = schedule.set_weekday(row.weekdays, value, bool(choice.on))
        toast = texts.SETTINGS_DAY_ON_TOAST if choice.on else texts.SETTINGS_DAY_OFF_TOAST
        return toast.format(day=texts.WEEKDAY_LONG[value])
    if choice.what == "sets":
        row.sets_per_side = value
        kept = (await sets.day_sets(session, row.id, today)).recorded_target
        if kept is not None and kept != value:  # today has begun: it keeps its target
            return texts.SETTINGS_SETS_FROM_TOMORROW_TOAST.format(n=value, today=kept)
        return texts.SETTINGS_SETS_TOAST.format(n=value)
    if choice.what == "hold":
        row.hold_seconds = value
        return texts.SETTINGS_HOLD_TOAST.format(n=value)
    if choice.what == "recap":
        row.weekly_recap = value == 1
        return texts.SETTINGS_RECAP_ON_TOAST if row.weekly_recap else texts.SETTINGS_RECAP_OFF_TOAST
    if choice.what in ("pause", "resume"):
        await storage_live.forget(session, row.id, storage_live.PAUSE)  # an open /pause too
    if choice.what == "pause":
        met = await progress.today_target_met(session, row.id, today)
        chosen = await pauses.pause(session, row, today, days_of(value), today_met=met)
        toast = texts.SETTINGS_PAUSED_FROM_TOMORROW_TOAST if met else texts.SETTINGS_PAUSED_TOAST
        return toast.format(span=pause_span(chosen, today, texts))
    elif choice.what == "resume":
        await pauses.resume(session, row, today)
        return texts.SETTINGS_RESUMED_TOAST
    return texts.SETTINGS_SAVED


async def send_menu(
    context: LimberContext, message: Message, user_id: int, state: SettingsState
) -> None:
    """Send the menu as a new message, which becomes the live one (older menus expire)."""
    texts = context.turn.texts
    sent = await message.chat.send_message(
        menu_text(state, texts), reply_markup=inline(menu_keyboard(state, texts))
    )
    async with context.services.db.transaction() as session:
        if await users.get_user(session, user_id) is not None:
            await storage_live.remember(
                session,
                user_id,
                storage_live.SETTINGS,
                sent.chat.id,
                sent.message_id,
                context.turn.now,
            )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("settings", show_settings),
        CallbackQueryHandler(on_menu_button, pattern=callbacks.SettingsTap.pattern()),
    ]
