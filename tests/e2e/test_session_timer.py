"""The hold timer: the caption counts down in 10-second steps (the job is run by the test, no
sleeping), ends with "Set N done?", and stops as soon as the user moves on."""

from __future__ import annotations

from typing import Any

from telegram.ext import Job

from coach import texts
from handlers.session_timer import job_name
from storage.models import User
from tests.harness import Harness

USER = 8484


async def _hold_for(harness: Harness, seconds: int) -> None:
    await harness.send(USER, "/stretch")
    async with harness.services.db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        user.hold_seconds = seconds
    await harness.tap_button(USER, harness.last(USER), texts.SESSION_BTN_START)
    while "· hold" not in (harness.last(USER).caption or ""):
        await harness.tap_button(USER, harness.last(USER), texts.SESSION_BTN_NEXT)


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
    assert answer["text"] == texts.SESSION_TIMER_STARTED.format(seconds=25)
    assert texts.SESSION_TIMER_RUNNING.format(seconds=25) in (harness.last(USER).caption or "")

    await _run_next_tick(harness)
    assert texts.SESSION_TIMER_RUNNING.format(seconds=15) in (harness.last(USER).caption or "")
    await _run_next_tick(harness)
    assert texts.SESSION_TIMER_RUNNING.format(seconds=5) in (harness.last(USER).caption or "")
    await _run_next_tick(harness)
    done = harness.last(USER)
    assert texts.SESSION_TIMER_DONE.format(number=1) in (done.caption or "")
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
    await harness.tap_button(USER, harness.last(USER), texts.SESSION_BTN_NEXT)
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
