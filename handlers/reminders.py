"""The reminder tick (one repeating job for every user) and the reminder's snooze and skip buttons.

See DESIGN §2: due users are claimed under a lease, sent to concurrently (PTB's
our rate limiter paces the actual requests), and each outcome is written back right after
its send, grouped with whatever else finished meanwhile — a crash loses at most the few
sends in flight, and a retry never sends a day's reminder twice.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, ChatMemberHandler
from telegram.warnings import PTBDeprecationWarning

from coach import callbacks, i18n, schedule, texts, zones
from coach.recap import recap_keyboard, recap_text
from coach.reminder_keyboards import (
    SNOOZE_MINUTES,
    describe_next,
    local_clock,
    reminder_keyboard,
    reminder_text,
)
from handlers.context import LimberContext, Services, services_of
from handlers.keyboards import inline
from storage import reminder_plan, reminders, users
from storage.models import User
from storage.reminders import Due, Outcome

log = logging.getLogger(__name__)

# Sends in flight at once; the rate limiter, not this, keeps us within Telegram's limits.
SEND_CONCURRENCY = 16
# No reminder is sent once less than this share of the claim's lease is left: a send that
# started later could still be in flight when another instance may claim the user again.
LEASE_RESERVE = 0.25
# Services.extras keys, set by the process that runs the bot (bot.__main__, bot.server).
LEASE_KEY = "reminder_lease"
STOPPING_KEY = "reminder_stopping"

# Sends one reminder; returns the message id Telegram gave it (None when it cannot say).
Deliver = Callable[[Due], Awaitable[int | None]]
# Sends a claimed user's weekly recap (`Due.recap`); the default is `telegram_recap`.
SendRecap = Callable[[Due], Awaitable[None]]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def tick(context: LimberContext) -> None:
    """The JobQueue callback, every `settings.reminder_tick_seconds`."""
    await run_tick(context.application)
    context.services.metrics.tick_done()  # for /healthz: a tick that fails never gets here


def configure(application: AnyApplication, *, lease: timedelta) -> None:
    """The lease the tick's claims take (REMINDER_LEASE_SECONDS; else `reminders.LEASE`)."""
    services_of(application).extras[LEASE_KEY] = lease


def stop_sending(application: AnyApplication) -> None:
    """Shutting down: the tick starts no more sends. It finishes and records those in flight
    and gives back the users it claimed but did not send to, so another instance (or this
    one, restarted) takes them at once instead of after the lease."""
    _stopping(services_of(application)).set()


def _stopping(services: Services) -> asyncio.Event:
    return cast(asyncio.Event, services.extras.setdefault(STOPPING_KEY, asyncio.Event()))


async def run_tick(
    application: AnyApplication,
    *,
    deliver: Deliver | None = None,
    send_recap: SendRecap | None = None,
) -> int:
    """Send every reminder due now; returns how many went out. Tests call this directly."""
    services = services_of(application)
    deliver = deliver or telegram_delivery(application)
    send_recap = send_recap or telegram_recap(application)
    lease = cast(timedelta, services.extras.get(LEASE_KEY, reminders.LEASE))
    stopping = _stopping(services)
    sent = 0
    while not stopping.is_set():
        now = services.clock.now()
        # Claim and plan share one short transaction: planning only reads, and on SQLite a
        # second BEGIN IMMEDIATE would cost more than the few milliseconds it holds the lock.
        async with services.db.connection() as connection:
            claimed = await reminders.claim_due(connection, now, lease=lease)
            await reminders.plan(connection, claimed, now)
        if not claimed:
            return sent
        send_until = now + lease * (1 - LEASE_RESERVE)
        outcomes = await _send_all(services, claimed, deliver, send_recap, send_until)
        sent += sum(o.sent for o in outcomes)
        # A full batch may mean more are due, and a reminder skipped for being too late may
        # be followed by one due already; after failures, wait for the next tick instead.
        more = len(claimed) == reminders.BATCH_SIZE or any(
            o.due.next_at is not None and o.due.next_at <= now and not o.sent for o in outcomes
        )
        if not more or any(o.retry or o.blocked for o in outcomes):
            return sent
    return sent


async def _send_all(
    services: Services,
    claimed: list[Due],
    deliver: Deliver,
    send_recap: SendRecap,
    send_until: datetime,
) -> list[Outcome]:
    done: list[Outcome] = []
    stopping = _stopping(services)
    unsent: list[Due] = []
    # A met day sends no reminder, but the week's recap still goes.
    pending = [Outcome(due) for due in claimed if not due.send and due.recap is None]
    services.metrics.count_reminders(pending, services.clock.now())
    attempted: list[Outcome] = []  # counted as their group is recorded, not one by one
    to_send = iter([due for due in claimed if due.send or due.recap is not None])
    flushing = False

    async def flush() -> None:
        # Group commit: one flush at a time writes every outcome that finished meanwhile, and
        # keeps going until none is left; only the sender that started it waits for it.
        nonlocal flushing
        if flushing:
            return
        flushing = True
        try:
            # One turn of the loop first, so sends finishing together share one transaction.
            # Here, not after every send: a turn per send cost more than the sends themselves.
            await asyncio.sleep(0)
            while pending:
                batch = pending.copy()
                pending.clear()
                services.metrics.count_reminders(attempted, services.clock.now())
                attempted.clear()
                async with services.db.connection() as connection:
                    await reminders.complete(connection, batch, services.clock.now())
                done.extend(batch)
        finally:
            flushing = False

    async def sender() -> None:
        # A few senders share one iterator: no task per reminder (a batch is hundreds).
        for due in to_send:
            if stopping.is_set() or services.clock.now() >= send_until:
                unsent.append(due)
                continue
            outcome = await _attempt(services, due, deliver, send_recap)
            attempted.append(outcome)
            pending.append(outcome)
            await flush()

    await asyncio.gather(*(sender() for _ in range(SEND_CONCURRENCY)))
    # Not sent (shutting down, or the lease running out): the claim is given back, unchanged.
    pending.extend(Outcome(due, retry=True) for due in unsent)
    await flush()  # the skipped ones when nothing was sent, the unsent, and any stragglers
    return done


async def _attempt(
    services: Services, due: Due, deliver: Deliver, send_recap: SendRecap
) -> Outcome:
    """The recap (on its day) and then the reminder. A recap that went out is recorded
    whatever happens to the reminder after it, so a retried reminder never repeats it."""
    recap_sent = False
    try:
        if due.recap is not None:
            await send_recap(due)
            recap_sent = True
        message_id = await deliver(due) if due.send else None
    except Forbidden:
        return Outcome(due, blocked=True, recap_sent=recap_sent)
    except RetryAfter as error:
        with warnings.catch_warnings(action="ignore", category=PTBDeprecationWarning):
            wait = error.retry_after  # int today, timedelta in a future PTB: both handled
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        retry_at = services.clock.now() + timedelta(seconds=seconds)
        return Outcome(due, retry=True, retry_at=retry_at, recap_sent=recap_sent)
    except BadRequest:
        # Telegram refuses this chat for good (e.g. it no longer exists): move on to the next day.
        log.warning("Reminder to chat %s refused", due.chat_id, exc_info=True)
        return Outcome(due, recap_sent=recap_sent)
    except NetworkError:
        return Outcome(due, retry=True, recap_sent=recap_sent)
    except Exception:
        log.exception("Reminder to chat %s failed; will retry", due.chat_id)
        return Outcome(due, retry=True, recap_sent=recap_sent)
    return Outcome(due, sent=due.send, message_id=message_id, recap_sent=recap_sent)


def telegram_delivery(application: AnyApplication) -> Deliver:
    """The real send: the reminder text and its buttons. Everything the text says was read
    for the whole batch in `reminders.plan`, so a send touches no database."""

    async def deliver(due: Due) -> int:
        assert due.stretch_day is not None
        with i18n.use(due.language):
            text = reminder_text(due.streak, due.done, due.target)
            markup = inline(reminder_keyboard(due.stretch_day))
        sent = await application.bot.send_message(due.chat_id, text, reply_markup=markup)
        return int(sent.message_id)

    return deliver


def telegram_recap(application: AnyApplication) -> SendRecap:
    """The weekly recap as its own message, with ▶ Start; read for the batch in `plan`."""

    async def send(due: Due) -> None:
        assert due.recap is not None
        with i18n.use(due.language):
            text, markup = recap_text(due.recap), inline(recap_keyboard())
        await application.bot.send_message(due.chat_id, text, reply_markup=markup)

    return send


async def on_snooze(update: Update, context: LimberContext) -> None:
    """⏰ 15 min / ⏰ 1 h: bring today's reminder back later (stored, so it survives restarts)."""
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    data = callbacks.Snooze.parse(query.data)
    if data is None:
        await query.answer(texts.REMINDER_EXPIRED)
        return
    day, minutes = data.day, data.minutes
    if minutes not in SNOOZE_MINUTES:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    now, when = context.services.clock.now(), None
    async with context.services.db.transaction() as session:
        user = await _reminded_user(session, update, day, now)
        if user is not None:
            at = reminder_plan.snooze(user, now, timedelta(minutes=minutes))
            when = local_clock(at, user.time_zone or zones.FALLBACK_ZONE)
    if when is None:
        await query.answer(texts.REMINDER_EXPIRED)
        return
    await query.answer(texts.REMINDER_SNOOZED_TOAST.format(time=when))
    await _replace_footer(update, texts.REMINDER_SNOOZED.format(time=when), day)


async def on_skip(update: Update, context: LimberContext) -> None:
    """Skip today: no more reminders this stretch day."""
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    data = callbacks.Skip.parse(query.data)
    if data is None:
        await query.answer(texts.REMINDER_EXPIRED)
        return
    day = data.day
    now, next_text = context.services.clock.now(), None
    async with context.services.db.transaction() as session:
        user = await _reminded_user(session, update, day, now)
        if user is not None:
            await reminder_plan.skip_day(session, user, day, now)
            next_text = describe_next(
                user.next_reminder_at, now, user.time_zone, paused=user.paused_since is not None
            )
    if next_text is None:
        await query.answer(texts.REMINDER_EXPIRED)
        return
    await query.answer(texts.REMINDER_SKIPPED_TOAST)
    await _replace_footer(update, texts.REMINDER_SKIPPED.format(next=next_text), day)


async def _reminded_user(
    session: AsyncSession, update: Update, day: date, now: datetime
) -> User | None:
    """The user, when the tap is on today's live reminder message; None for a stale button,
    another day's reminder, or reminder data tapped on some other message."""
    query, tg_user = update.callback_query, update.effective_user
    if query is None or query.message is None or tg_user is None:
        return None
    user = await users.get_user(session, tg_user.id)
    if user is None or day != schedule.user_stretch_day(user.time_zone, now):
        return None
    live = await reminder_plan.is_reminder_message(session, user.id, day, query.message.message_id)
    return user if live else None


async def _replace_footer(update: Update, footer: str, day: date) -> None:
    """Edit the reminder: keep its text, say what happened, leave only ▶ Start."""
    message = update.effective_message
    if message is None or not message.text:
        return
    body = message.text_html.split("\n\n")[0]
    await message.edit_text(
        f"{body}\n\n{footer}",
        reply_markup=inline(reminder_keyboard(day, with_snooze=False)),
    )


async def on_my_chat_member(update: Update, context: LimberContext) -> None:
    """Blocking the bot stops reminders at once; unblocking brings them back."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
    async with context.services.db.transaction() as session:
        user = await users.get_user(session, change.from_user.id)
        if user is not None:
            user.blocked = blocked


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CallbackQueryHandler(on_snooze, pattern=callbacks.Snooze.pattern()),
        CallbackQueryHandler(on_skip, pattern=callbacks.Skip.pattern()),
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
