"""The streak rules (bot/streaks.py) as a property over random histories, run through the
same storage functions the handlers call, on a real SQLite file: sets logged and undone,
pauses of N days or until resumed (chosen on met and unmet days), resumes, and changes of
sets per side, over several stretch days.

- pausing, resuming and changing the setting never lower the streak or the best;
- a new day never lowers the best, nor does logging a set;
- a day whose target was met always counts: on that day the streak is at least 1.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from coach.routine import SIDES, load_routine
from coach.streaks import Streak
from storage import pauses, progress, sets
from storage.db import Database
from storage.migrate import upgrade
from storage.models import User

ANN = 7801
FIRST_DAY = date(2026, 11, 2)
PARTS = [(s.key, side) for s in load_routine().stretches for side in SIDES]

# One step of a history; integers pick what the step acts on.
step = st.one_of(
    st.tuples(st.just("log"), st.integers(0, 99)),  # log the lowest missing set of a part
    st.tuples(st.just("log_all"), st.just(0)),  # finish the day
    st.tuples(st.just("undo"), st.integers(0, 99)),  # undo the highest set of a part
    st.tuples(st.just("pause"), st.sampled_from((0, 1, 3, 7))),  # 0: until resumed
    st.tuples(st.just("resume"), st.just(0)),
    st.tuples(st.just("sets"), st.integers(1, 5)),
    st.tuples(st.just("next_day"), st.integers(1, 3)),
)
SAFE = {"pause", "resume", "sets"}  # may never lower the streak or the best

_databases = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("streak-rules")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(step, min_size=4, max_size=30))
def test_no_pause_resume_or_setting_lowers_a_streak(
    folder: Path, history: list[tuple[str, int]]
) -> None:
    asyncio.run(_run(folder / f"rules-{next(_databases)}.db", history))


async def _run(path: Path, history: list[tuple[str, int]]) -> None:
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    db = Database(url)
    today, met_days = FIRST_DAY, set()
    try:
        async with db.transaction() as session:
            session.add(User(id=ANN, chat_id=ANN, first_name="Ann", time_zone="UTC"))
        before = Streak(0, 0)
        for kind, n in history:
            async with db.transaction() as session:
                user = await session.get(User, ANN)
                assert user is not None
                if kind == "next_day":
                    today += timedelta(days=n)
                else:
                    await _act(session, user, today, kind, n)
                after = await progress.user_streak(session, ANN, today)
                if await progress.today_target_met(session, ANN, today):
                    met_days.add(today)
                    assert after.current >= 1, f"{today} is met but does not count: {after}"
            if kind in SAFE:
                assert after.current >= before.current and after.best >= before.best, (
                    kind,
                    n,
                    before,
                    after,
                )
            if kind in ("next_day", "log", "log_all"):
                assert after.best >= before.best, (kind, before, after)
            before = after
        # Every day that was met when it ended still counts, whatever came after.
        async with db.transaction() as session:
            for day in sorted(met_days):
                if day < today and await progress.today_target_met(session, ANN, day):
                    streak = await progress.user_streak(session, ANN, day)
                    assert streak.current >= 1, (day, streak)
    finally:
        await db.dispose()


async def _act(session: AsyncSession, user: User, today: date, kind: str, n: int) -> None:
    now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    logged = await sets.day_sets(session, ANN, today)
    target = logged.sets_per_side(user.sets_per_side)
    if kind in ("log", "log_all"):
        parts = PARTS if kind == "log_all" else [PARTS[n % len(PARTS)]]
        for key, side in parts:
            done = logged.numbers.get((key, side), frozenset())
            missing = [number for number in range(1, target + 1) if number not in done]
            for number in missing if kind == "log_all" else missing[:1]:
                await sets.log_set(session, ANN, today, key, side, number, now, sets_target=target)
    elif kind == "undo":
        key, side = PARTS[n % len(PARTS)]
        numbers = logged.numbers.get((key, side))
        if numbers:
            await sets.undo_set(session, ANN, today, key, side, max(numbers))
    elif kind == "pause":
        met = await progress.today_target_met(session, ANN, today)
        await pauses.pause(session, user, today, n or None, today_met=met)
    elif kind == "resume":
        await pauses.resume(session, user, today)
    elif kind == "sets":
        user.sets_per_side = n
