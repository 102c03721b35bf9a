"""The reminder tick: one repeating job for every user's reminder.

Due users are claimed a little at a time, in order of due time, under a short lease: only about
as many as this instance can send in the next second (`CLAIM_SECONDS`), and the next claim is
made while the last few are still going out, so the pace never idles and an instance that dies
strands a second of work, which the others take over once its lease ends (seconds, not
minutes). Each send takes a bulk slot of the bot's pace first (ops.pace: behind every user's
tap, ahead of the keyboard sweep), so all instances together keep within Telegram's limit;
each outcome is written back right after its send, grouped with whatever else finished
meanwhile, so a crash loses at most the few sends in flight, and a retry never sends a day's
reminder twice (docs/ARCHITECTURE.md, "The reminder tick"). The buttons on a reminder are
handlers.reminder_buttons.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from coach.recap import recap_keyboard, recap_text
from coach.reminder_keyboards import reminder_keyboard, reminder_text
from coach.texts import texts_for
from handlers.context import LimberContext, Services, services_of
from handlers.keyboards import inline
from handlers.reminder_flow import Flow, LeaseEnding, bulk_slot
from ops.pace import Lane, Send
from storage import reminders
from storage.reminders import Due, Outcome

log = logging.getLogger(__name__)

# Sends one reminder; returns the message id Telegram gave it (None when it cannot say).
Deliver = Callable[[Due], Awaitable[int | None]]
# Sends a claimed user's weekly recap (`Due.recap`); the default is `telegram_recap`.
SendRecap = Callable[[Due], Awaitable[None]]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# What the reminder tick's sends are on the pace and on /metrics; each has taken its slot.
REMINDER_SEND = Send(Lane.BULK, "reminder", paced=True)
RECAP_SEND = Send(Lane.BULK, "recap", paced=True)
# The JobQueue's name for a run of the tick brought forward to the next reminder's time.
WAKE_JOB = "reminder-wake"
# A run brought forward comes no sooner than this (a floor against a busy loop).
MIN_WAKE_SECONDS = 0.05


async def tick(context: LimberContext) -> None:
    """The JobQueue callback, every `settings.reminder_tick_seconds`, and brought forward to
    the next reminder's time (or the end of another instance's lease) when that is sooner."""
    services = context.services
    if services.ticking.locked():
        return  # a run is still going in this process; it claims whatever is due
    async with services.ticking:
        await run_tick(context.application)
        wake = await _next_wake(services)
    context.services.metrics.tick_done()  # for /healthz: a tick that fails never gets here
    job_queue = context.job_queue
    if job_queue is None or wake is None:
        return
    for job in job_queue.get_jobs_by_name(WAKE_JOB):
        job.schedule_removal()
    if wake < services.tick_interval:
        # PTB types the callback against its default context type, not our LimberContext.
        job_queue.run_once(
            tick,  # type: ignore[arg-type]
            when=max(wake, MIN_WAKE_SECONDS),
            name=WAKE_JOB,
        )


async def _next_wake(services: Services) -> float | None:
    """Seconds until the next reminder falls due or another instance's claim ends."""
    now = services.clock.now()
    async with services.db.read() as session:
        at = await reminders.next_wake(session, now)
    return None if at is None else (at - now).total_seconds()


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

    async def attempt(due: Due) -> Outcome:
        return await _attempt(services, due, deliver, send_recap)

    return await Flow(services, attempt).run()


async def _second_slot(services: Services, due: Due) -> None:
    """Take a bulk slot of the bot's pace for the reminder after a recap (the flow took the
    first message's); a claim whose lease would end before the send is over is given back
    instead (another instance may take it)."""
    due.paid = await bulk_slot(services)
    if due.send_until is not None and services.clock.now() >= due.send_until:
        raise LeaseEnding


async def _attempt(
    services: Services, due: Due, deliver: Deliver, send_recap: SendRecap
) -> Outcome:
    """The recap (on its day) and then the reminder, the first of them in the slot the flow
    took for `due`. A recap that went out is recorded whatever happens to the reminder after
    it, so a retried reminder never repeats it."""
    recap_sent = False
    try:
        if due.recap is not None:
            await send_recap(due)
            recap_sent = True
        message_id = None
        if due.send:
            if recap_sent:
                await _second_slot(services, due)
            message_id = await deliver(due)
    except LeaseEnding:
        return Outcome(due, retry=True, given_back=True, recap_sent=recap_sent)
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
    sent_at = services.clock.now()
    if due.send:
        late = (sent_at - due.due_at).total_seconds()
        paid = " as a paid broadcast" if due.paid else ""
        log.info("Reminder sent to user %s%s, %.1f s after its time", due.user_id, paid, late)
    return Outcome(
        due, sent=due.send, message_id=message_id, recap_sent=recap_sent, sent_at=sent_at
    )


def _count_paid(services: Services, due: Due) -> None:
    if due.paid:
        services.metrics.count_paid_broadcast()


def telegram_delivery(application: AnyApplication) -> Deliver:
    """The real send: the reminder text and its buttons. Everything the text says was read
    for the whole batch in `reminders.plan`, so a send touches no database."""
    services = services_of(application)

    async def deliver(due: Due) -> int:
        assert due.stretch_day is not None
        texts = texts_for(due.language)
        text = reminder_text(texts, due.streak, due.done, due.target, buddies=due.buddies)
        mini_app = services.mini_app_url
        markup = inline(reminder_keyboard(due.stretch_day, texts, mini_app=mini_app))
        sent = await application.bot.send_message(
            due.chat_id,
            text,
            reply_markup=markup,
            allow_paid_broadcast=due.paid or None,
            rate_limit_args=REMINDER_SEND,
        )
        _count_paid(services, due)
        return int(sent.message_id)

    return deliver


def telegram_recap(application: AnyApplication) -> SendRecap:
    """The weekly recap as its own message, with ▶ Start; read for the batch in `plan`."""
    services = services_of(application)

    async def send(due: Due) -> None:
        assert due.recap is not None
        texts = texts_for(due.language)
        text = recap_text(due.recap, texts, reminder_follows=due.send)
        markup = inline(recap_keyboard(texts))
        await application.bot.send_message(
            due.chat_id,
            text,
            reply_markup=markup,
            allow_paid_broadcast=due.paid or None,
            rate_limit_args=RECAP_SEND,
        )
        _count_paid(services, due)

    return send
