"""The optional hold timer: counts a hold down by editing the session caption at most every
10 s (Telegram's flood limits forbid an edit per second), then asks "Set N done?".

One JobQueue job per user at a time, named after the user, so moving on cancels it. Each
tick re-checks that the session still shows the same hold, and stops quietly otherwise. The
day's progress (streak included) is read once when the timer starts; a tick reads only the
session row and today's sets, and reads the rest again only if those sets changed.

The timer's end is stored on the session row (`guided.start_timer`), so a restart loses none:
at start an instance resumes the countdowns still running (`resume`), and every minute
finishes those whose owner is gone (`sweep`). "Time's up" is shown by whoever clears the
stored end first (a compare-and-set), so exactly once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coach import i18n, session_flow
from coach.routine import load_routine
from coach.session_flow import Today
from coach.texts import texts_for
from handlers import media
from handlers.context import LimberContext, services_of
from handlers.session_view import keyboard, today_of
from storage import guided, sets, users

TICK_SECONDS = 10
# A stored timer this long past its end has lost its owner (a crash, a restart): finish it.
ORPHANED_AFTER = timedelta(seconds=15)
SWEEP_SECONDS = 60


@dataclass
class HoldTimer:
    """A running countdown; `step` is how far the next tick moves it."""

    user_id: int
    chat_id: int
    message_id: int
    day: date
    screen: str  # the hold screen's token
    seconds_left: int
    ends_at: datetime  # as stored on the session row
    step: int = 0
    today: Today | None = None  # the day's progress as last read
    # The language its caption speaks: the turn's that started it; one resumed after a
    # restart reads its user's when it first shows.
    language: str | None = None


def job_name(user_id: int) -> str:
    return f"hold-timer:{user_id}"


def cancel(context: LimberContext, user_id: int) -> None:
    """Stop the user's countdown, if one runs (they moved on, or logged the set)."""
    if context.job_queue is None:
        return
    for job in context.job_queue.get_jobs_by_name(job_name(user_id)):
        job.schedule_removal()


async def start(context: LimberContext, timer: HoldTimer) -> None:
    """Show the full hold in the caption and schedule the first tick."""
    cancel(context, timer.user_id)
    if await _show(context, timer):
        _schedule(context, timer)


async def tick(context: LimberContext) -> None:
    """One step of the countdown (a JobQueue callback; tests may run the job directly)."""
    job = context.job
    if job is None or not isinstance(job.data, HoldTimer):
        return
    timer = job.data
    cancel(context, timer.user_id)  # a job run by hand must not leave its scheduled twin behind
    timer.seconds_left = max(0, timer.seconds_left - timer.step)
    if timer.seconds_left == 0 and not await _end(context.application, timer):
        return  # another instance has shown the end already
    if await _show(context, timer) and timer.seconds_left > 0:
        _schedule(context, timer)


async def _end(application: Any, timer: HoldTimer) -> bool:
    async with services_of(application).db.transaction() as session:
        return await guided.end_timer(session, timer.user_id, timer.ends_at)


def _from_stored(stored: guided.RunningTimer, now: datetime) -> HoldTimer:
    left = max(0, math.ceil((stored.ends_at - now).total_seconds()))
    return HoldTimer(
        stored.user_id,
        stored.chat_id,
        stored.message_id,
        stored.stretch_day,
        stored.screen,
        left,
        stored.ends_at,
    )


async def resume(context: LimberContext) -> None:
    """At start: every stored timer runs on here (the countdown), or ends now (it ran out
    while no instance watched it)."""
    services = services_of(context.application)
    async with services.db.read() as session:
        stored = await guided.running_timers(session)
    now = services.clock.now()
    for timer in (_from_stored(row, now) for row in stored):
        if timer.seconds_left > 0:
            await start(context, timer)
        elif await _end(context.application, timer):
            await _show(context, timer)


async def sweep(context: LimberContext) -> None:
    """Every minute: end the stored timers whose owner is gone (a JobQueue callback)."""
    services = services_of(context.application)
    now = services.clock.now()
    async with services.db.read() as session:
        stored = await guided.running_timers(session, ended_before=now - ORPHANED_AFTER)
    for timer in (_from_stored(row, now) for row in stored):
        if await _end(context.application, timer):
            await _show(context, timer)


def _schedule(context: LimberContext, timer: HoldTimer) -> None:
    if context.job_queue is None:
        return
    timer.step = min(TICK_SECONDS, timer.seconds_left)
    # PTB types the callback against its default context type, not our LimberContext.
    context.job_queue.run_once(
        tick,  # type: ignore[arg-type]
        when=timer.step,
        data=timer,
        name=job_name(timer.user_id),
    )


async def _show(context: LimberContext, timer: HoldTimer) -> bool:
    """Render the hold with the timer line; False when the session moved on (timer ends)."""
    services, routine = services_of(context.application), load_routine()
    screen = session_flow.parse_screen(routine, timer.screen)
    async with services.db.transaction() as session:
        row = await guided.get_session(session, timer.user_id)
        if (
            row is None
            or screen is None
            or (row.message_id, row.stretch_day, row.screen)
            != (timer.message_id, timer.day, timer.screen)
        ):
            return False
        logged = await sets.day_sets(session, timer.user_id, timer.day)
        if timer.today is None or timer.language is None or logged.numbers != timer.today.logged:
            user = await users.get_user(session, timer.user_id)
            if user is None:
                return False
            timer.today = await today_of(
                session,
                user.id,
                user.sets_per_side,
                user.hold_seconds,
                timer.day,
                screen,
                logged=logged,
            )
            timer.language = timer.language or i18n.user_language(user.language, user.language_code)
    today, texts = timer.today, texts_for(timer.language)
    number = session_flow.next_set(today, screen.stretch_key, screen.side)
    line = session_flow.timer_line(timer.seconds_left, number, texts)
    view = session_flow.render(routine, screen, today, texts, timer_line=line)
    await media.edit_caption(
        context.bot, timer.chat_id, timer.message_id, view.caption, keyboard(view)
    )
    return True
