"""The hold timer: the caption counts down in 10-second steps (the job is run by the test, no
sleeping), ends with "Set N done?", and stops as soon as the user moves on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from telegram.ext import CallbackContext, Job

from coach.clock import ManualClock
from coach.texts import ENGLISH
from handlers import session_timer
from handlers.session_timer import job_name
from playground.fake_state import FakeTelegram
from storage.models import GuidedSession, User
from tests.harness import TOKEN, Harness, running_bot

USER = 8484


async def _hold_for(harness: Harness, seconds: int) -> None:
    await harness.send(USER, "/stretch")
    async with harness.services.db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        user.hold_seconds = seconds
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_START)
    while "· hold" not in (harness.last(USER).caption or ""):
        await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_NEXT)


def _timer_jobs(harness: Harness) -> list[Job[Any]]:
    assert harness.app.job_queue is not None
    return [j for j in harness.app.job_queue.get_jobs_by_name(job_name(USER)) if not j.removed]


async def _run_next_tick(harness: Harness) -> None:
    jobs = _timer_jobs(harness)
    assert len(jobs) == 1
    await jobs[0].run(harness.app)


async def test_timer_counts_down_and_asks_for_the_set(harness: Harness) -> None:
    await _hold_for(harness, 25)
    edits = harness.last(USER).edits
    answer = await harness.tap_button(USER, harness.last(USER), "⏱ Timer 25 s")
    assert answer["text"] == ENGLISH.SESSION_TIMER_STARTED.format(seconds=25)
    assert ENGLISH.SESSION_TIMER_RUNNING.format(seconds=25) in (harness.last(USER).caption or "")

    await _run_next_tick(harness)
    assert ENGLISH.SESSION_TIMER_RUNNING.format(seconds=15) in (harness.last(USER).caption or "")
    await _run_next_tick(harness)
    assert ENGLISH.SESSION_TIMER_RUNNING.format(seconds=5) in (harness.last(USER).caption or "")
    await _run_next_tick(harness)
    done = harness.last(USER)
    assert ENGLISH.SESSION_TIMER_DONE.format(number=1) in (done.caption or "")
    assert _timer_jobs(harness) == []
    # One edit to start and one per tick: never an edit per second.
    assert done.edits == edits + 4

    await harness.tap_button(USER, done, "Set 1 done")
    logged = harness.last(USER).caption or ""
    assert "Left ●○○" in logged
    assert "⏱" not in logged  # the finished timer's line is gone once the set is logged


async def test_moving_on_stops_the_timer(harness: Harness) -> None:
    await _hold_for(harness, 30)
    await harness.tap_button(USER, harness.last(USER), "⏱ Timer")
    assert len(_timer_jobs(harness)) == 1
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_NEXT)
    assert _timer_jobs(harness) == []
    moved_on = harness.last(USER)
    assert "step 1 of" in (moved_on.caption or "")
    assert "s left" not in (moved_on.caption or "")


async def test_a_tick_after_the_session_moved_on_changes_nothing(harness: Harness) -> None:
    await _hold_for(harness, 30)
    await harness.tap_button(USER, harness.last(USER), "⏱ Timer")
    job = _timer_jobs(harness)[0]
    await harness.send(USER, "/stretch")  # the session moves to a new message
    resent = harness.last(USER).snapshot()
    await job.run(harness.app)  # a tick that was already under way
    assert harness.last(USER).edits == resent.edits
    assert _timer_jobs(harness) == []


async def test_a_running_timer_survives_a_restart(database_url: str) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    fake = FakeTelegram(TOKEN)
    async with running_bot(database_url, clock, fake) as h:
        await _hold_for(h, 60)
        await h.tap_button(USER, h.last(USER), "⏱ Timer")
        assert ENGLISH.SESSION_TIMER_RUNNING.format(seconds=60) in (h.last(USER).caption or "")
    # The process stops 25 s into the hold; the next start counts on from 35 s.
    clock.advance(timedelta(seconds=25))
    async with running_bot(database_url, clock, fake) as h:
        running = ENGLISH.SESSION_TIMER_RUNNING.format(seconds=35)
        await fake.wait_for(lambda: running in (h.last(USER).caption or ""))
        for _ in range(200):  # the next tick is scheduled once Telegram answers that edit
            if _timer_jobs(h):
                break
            await asyncio.sleep(0.01)
        assert len(_timer_jobs(h)) == 1
    # Down for longer than the hold: the next start ends it, once.
    clock.advance(timedelta(minutes=5))
    async with running_bot(database_url, clock, fake) as h:
        done = ENGLISH.SESSION_TIMER_DONE.format(number=1)
        await fake.wait_for(lambda: done in (h.last(USER).caption or ""))
        edits = h.last(USER).edits
        async with h.services.db.transaction() as session:
            row = await session.get(GuidedSession, USER)
            assert row is not None and row.timer_ends_at is None
    async with running_bot(database_url, clock, fake) as h:  # and another start: nothing left
        assert await h.stored_user(USER) is not None
        assert h.last(USER).edits == edits
        assert _timer_jobs(h) == []


async def test_an_orphaned_timer_is_ended_by_one_instance(harness: Harness) -> None:
    h = harness
    await _hold_for(h, 20)
    await h.tap_button(USER, h.last(USER), "⏱ Timer")
    for job in _timer_jobs(h):  # its owner is gone: no countdown runs here
        job.schedule_removal()
    h.clock.advance(timedelta(seconds=20) + session_timer.ORPHANED_AFTER + timedelta(seconds=1))
    edits = h.last(USER).edits
    context = CallbackContext(cast(Any, h.app))
    await session_timer.sweep(cast(Any, context))
    await session_timer.sweep(cast(Any, context))  # a second instance sweeping too
    finished = h.last(USER)
    assert ENGLISH.SESSION_TIMER_DONE.format(number=1) in (finished.caption or "")
    assert finished.edits == edits + 1
