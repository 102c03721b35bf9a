"""The reminder tick (one repeating job for every user) and the reminder's snooze and skip buttons.

Due users are claimed under a lease and sent to concurrently (our rate limiter, bot.ratelimit,
paces the actual requests); each outcome is written back right after its send, grouped with
whatever else finished meanwhile, so a crash loses at most the few sends in flight, and a
retry never sends a day's reminder twice (docs/ARCHITECTURE.md, "The reminder tick"). Each
reminder speaks its user's language: the tick builds their `Texts`, as a turn would.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, ChatMemberHandler
from telegram.warnings import PTBDeprecationWarning

from coach import callbacks, schedule, zones
from coach.recap import recap_keyboard, recap_text
from coach.reminder_keyboards import (
    SNOOZE_MINUTES,
    describe_next,
    local_clock,
    reminder_keyboard,
    reminder_text,
)
from coach.texts import Texts, texts_for
from handlers import common
from handlers.context import LimberContext, Services, services_of
from handlers.keyboards import inline
from handlers.turn import Turn
from storage import reminder_plan, reminders, users
from storage.models import User
from storage.reminders import Due, Outcome

log = logging.getLogger(__name__)

# Sends in flight at once; the rate limiter, not this, keeps us within Telegram's limits.
SEND_CONCURRENCY = 16
# No reminder is sent once less than this share of the claim's lease is left: a send that
# started later could still be in flight when another instance may claim the user again.
LEASE_RESERVE = 0.25

# Sends one reminder; returns the message id Telegram gave it (None when it cannot say).
Deliver = Callable[[Due], Awaitable[int | None]]
# Sends a claimed user's weekly recap (`Due.recap`); the default is `telegram_recap`.
SendRecap = Callable[[Due], Awaitable[None]]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


async def tick(context: LimberContext) -> None:
    """The JobQueue callback, every `settings.reminder_tick_seconds`."""
    await run_tick(context.application)
    context.services.metrics.tick_done()  # for /healthz: a tick that fails never gets here


def stop_sending(application: AnyApplication) -> None:
    """Shutting down: the tick starts no more sends. It finishes and records those in flight
    and gives back the users it claimed but did not send to, so another instance (or this
    one, restarted) takes them at once instead of after the lease."""
    services_of(application).stopping.set()


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
    lease, stopping = services.reminder_lease, services.stopping
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
    stopping = services.stopping
    unsent: list[Due] = []
    # A met day sends no reminder, but the week's recap still goes.
    pending = [Outcome(due) for due in claimed if not due.send and due.recap is None]
    _count(services, pending)
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
                _count(services, attempted)
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


def _count(services: Services, outcomes: list[Outcome]) -> None:
    """Count outcomes on /metrics; a sent reminder's lateness is measured from now."""
    now = services.clock.now()
    services.metrics.count_reminders(
        skipped=sum(1 for o in outcomes if not o.due.send),
        failed=sum(1 for o in outcomes if o.due.send and not o.sent),
        lateness=[(now - o.due.due_at).total_seconds() for o in outcomes if o.sent],
    )


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
        texts = texts_for(due.language)
        text = reminder_text(texts, due.streak, due.done, due.target)
        markup = inline(reminder_keyboard(due.stretch_day, texts))
        sent = await application.bot.send_message(due.chat_id, text, reply_markup=markup)
        return int(sent.message_id)

    return deliver


def telegram_recap(application: AnyApplication) -> SendRecap:
    """The weekly recap as its own message, with ▶ Start; read for the batch in `plan`."""

    async def send(due: Due) -> None:
        assert due.recap is not None
        texts = texts_for(due.language)
        text, markup = recap_text(due.recap, texts), inline(recap_keyboard(texts))
        await application.bot.send_message(due.chat_id, text, reply_markup=markup)

    return send


async def on_snooze(update: Update, context: LimberContext) -> None:
    """⏰ 15 min / ⏰ 1 h: bring today's reminder back later (stored, so it survives restarts)."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.Snooze, texts.REMINDER_EXPIRED)
    if tap is None:
        return
    day, minutes = tap.data.day, tap.data.minutes
    if minutes not in SNOOZE_MINUTES:
        await tap.query.answer(texts.BUTTON_EXPIRED)
        return
    when = None
    if await _on_todays_reminder(context, turn, tap, day):
        async with context.services.db.transaction() as session:
            user = await _reminded_user(session, turn, tap, day)
            if user is not None:
                at = reminder_plan.snooze(user, turn.now, timedelta(minutes=minutes))
                when = local_clock(at, user.time_zone or zones.FALLBACK_ZONE)
    if when is None:
        await tap.query.answer(texts.REMINDER_EXPIRED)
        return
    await tap.query.answer(texts.REMINDER_SNOOZED_TOAST.format(time=when))
    await _replace_footer(tap, texts.REMINDER_SNOOZED.format(time=when), day, texts)


async def on_skip(update: Update, context: LimberContext) -> None:
    """Skip today: no more reminders this stretch day."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.Skip, texts.REMINDER_EXPIRED)
    if tap is None:
        return
    day = tap.data.day
    next_text = None
    if await _on_todays_reminder(context, turn, tap, day):
        async with context.services.db.transaction() as session:
            user = await _reminded_user(session, turn, tap, day)
            if user is not None:
                await reminder_plan.skip_day(session, user, day, turn.now)
                next_text = describe_next(
                    user.next_reminder_at,
                    turn.now,
                    user.time_zone,
                    texts,
                    paused=user.paused_since is not None,
                )
    if next_text is None:
        await tap.query.answer(texts.REMINDER_EXPIRED)
        return
    await tap.query.answer(texts.REMINDER_SKIPPED_TOAST)
    await _replace_footer(tap, texts.REMINDER_SKIPPED.format(next=next_text), day, texts)


async def _on_todays_reminder(
    context: LimberContext, turn: Turn, tap: common.Tap[Any], day: date
) -> bool:
    """Whether the tap is on today's live reminder message, from a read (a stale button,
    another day's reminder, or reminder data tapped on some other message waits for no
    writer); the write checks again (`_reminded_user`)."""
    row = turn.row
    if row is None or day != schedule.user_stretch_day(row.time_zone, turn.now):
        return False
    async with context.services.db.read() as session:
        return await reminder_plan.is_reminder_message(session, row.id, day, tap.message_id)


async def _reminded_user(
    session: AsyncSession, turn: Turn, tap: common.Tap[Any], day: date
) -> User | None:
    """The user's row, when the tap is still on today's live reminder message."""
    if turn.user is None:
        return None
    user = await users.get_user(session, turn.user.id)
    if user is None or day != schedule.user_stretch_day(user.time_zone, turn.now):
        return None
    live = await reminder_plan.is_reminder_message(session, user.id, day, tap.message_id)
    return user if live else None


async def _replace_footer(tap: common.Tap[Any], footer: str, day: date, texts: Texts) -> None:
    """Edit the reminder: keep its text, say what happened, leave only ▶ Start."""
    message = tap.message
    if message is None or not message.text:
        return
    body = message.text_html.split("\n\n")[0]
    await message.edit_text(
        f"{body}\n\n{footer}",
        reply_markup=inline(reminder_keyboard(day, texts, with_snooze=False)),
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
