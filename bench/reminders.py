"""Benchmark reminders: our one-tick design against one `run_daily` job per user (timerbot style).

Run: `.venv/bin/python -m bench.reminders` (or `make bench` for every benchmark).
100,000 users with random zones, times and weekdays in a temporary SQLite file. Start-up of
each design is measured in its own fresh subprocess: the real start (schema check, the real
Application with every handler), then its reminder scheduling; peak RSS is reported for the
whole process and for the scheduling alone. The tick is measured in this process with 1,000
due users and sending replaced by a no-op, then its recorded statements are replayed through
the stdlib sqlite3 driver to show what SQLite alone costs for the same work.
Budgets: start < 2 s, naive ≥ 10× slower and bigger at start (issue 3); the tick ≤ 1.3× the
hand-written floor, the same SQL over aiosqlite plus the schedule math (issue 11).
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time as timer
from collections.abc import AsyncGenerator, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

USERS = 100_000
DUE = 1_000
TICK_RUNS = 9
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TOKEN = "123456:bench-token-not-secret"


def _rss_mb() -> float:
    """Peak RSS of this process. VmHWM, not ru_maxrss: the latter survives exec on Linux,
    so a subprocess would report its (big) parent's peak from before the exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB, non-Linux


async def _populate(url: str) -> None:
    """100k onboarded users; zones, times and weekdays drawn with a fixed seed."""
    from coach import schedule, zones
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models import User

    await upgrade(url)
    rng = random.Random(3)
    names = sorted(zones.zone_names())
    rows: list[dict[str, Any]] = []
    for uid in range(1, USERS + 1):
        zone = rng.choice(names)
        at = time(rng.randrange(24), rng.randrange(0, 60, 15))
        weekdays = rng.choice((0b1111111, 0b0011111, 0b1100000, rng.randrange(1, 128)))
        rows.append(
            {
                "id": uid,
                "chat_id": uid,
                "first_name": "Ann",
                "time_zone": zone,
                "reminder_time": at,
                "weekdays": weekdays,
                "snoozed": False,
                "blocked": False,
                "sets_per_side": 3,
                "hold_seconds": 30,
                "next_reminder_at": schedule.next_reminder_at(
                    NOW + timedelta(hours=1), zones.to_tzinfo(zone), at, weekdays
                ),
            }
        )
    db = Database(url)
    async with db.transaction() as session:
        await session.execute(User.__table__.insert(), rows)  # type: ignore[attr-defined]
    await db.dispose()


async def _start(design: str, url: str) -> dict[str, float]:
    """In a fresh process: start the bot as `python -m bot run` does, minus Telegram.

    That is the schema check (`ensure_schema`), the real Application from `build_application` with
    every handler, then the scheduling of reminders: for our design the one tick job exactly
    as `bot.app._post_init` adds it (its other step, set_my_commands, talks to Telegram); for
    the naive design one `run_daily` job per user, built the way PTB's timerbot does.
    Peak RSS is the whole process; "added" is what scheduling added on top of the app.
    """
    from pydantic import SecretStr

    from bot.app import build_application
    from bot.config import Settings
    from handlers import reminders as reminder_handlers
    from storage.migrate import ensure_schema

    started = timer.perf_counter()
    await ensure_schema(url)
    settings = Settings(bot_token=SecretStr(TOKEN), database_url=url)
    application = build_application(settings)
    jobs = application.job_queue
    assert jobs is not None
    await jobs.start()
    base, scheduling = _rss_mb(), timer.perf_counter()
    if design == "ours":
        interval = settings.reminder_tick_seconds
        jobs.run_repeating(
            reminder_handlers.tick, interval=interval, first=interval, name="reminder-tick"
        )
    else:
        await _schedule_per_user(application, url)
    ended = timer.perf_counter()
    result = {
        "seconds": ended - started,
        "scheduling_seconds": ended - scheduling,
        "peak_rss_mb": _rss_mb(),
        "added_rss_mb": _rss_mb() - base,
    }
    await jobs.stop(wait=False)
    await application.bot_data["services"].db.dispose()
    return result


async def _schedule_per_user(application: Any, url: str) -> None:
    """PTB's timerbot: one job per user; run_daily takes a tz-aware time and weekday tuple."""
    from sqlalchemy import select

    from coach import zones
    from storage.models import User

    db = application.bot_data["services"].db
    async with db.transaction() as session:
        rows = (
            await session.execute(
                select(User.id, User.time_zone, User.reminder_time, User.weekdays)
            )
        ).all()
    for uid, zone, at, mask in rows:
        assert zone is not None and at is not None
        days = tuple((d + 1) % 7 for d in range(7) if mask >> d & 1)  # PTB: 0 = Sunday
        application.job_queue.run_daily(
            _noop_job,
            at.replace(tzinfo=zones.to_tzinfo(zone)),
            days=days,
            chat_id=uid,
            name=str(uid),
        )


async def _noop_job(context: Any) -> None:
    return None


def _start_in_subprocess(design: str, url: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.reminders", "--start", design, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


# A statement as it reached the driver: SQL text, parameters, and whether it was executemany.
Recorded = tuple[str, Any, bool]


@dataclass
class TickTimes:
    """Milliseconds per run, the tick's and its floors' taken in turns (see `_measure_tick`)."""

    tick: list[float] = field(default_factory=list)
    checkpoint: list[float] = field(default_factory=list)
    driver: list[float] = field(default_factory=list)  # the tick's SQL over aiosqlite + plan
    sqlite: list[float] = field(default_factory=list)  # the tick's SQL alone, stdlib sqlite3
    sent: int = 0
    recorded: list[Recorded] = field(default_factory=list)


async def _measure_tick(url: str) -> TickTimes:
    """One tick that finds DUE users (claim, plan, complete; no-op sends), its checkpoint,
    and the tick's own statements replayed without the app (`_driver_floor` and
    `_sqlite_floor`), each TICK_RUNS times, in turns: a shared machine's slow spell then
    slows all three alike instead of the one that happened to run during it.

    A first, untimed tick sends the week's recaps (once per week, so no later tick does) and
    a second records every statement it hands the driver, for the replays."""
    from pydantic import SecretStr
    from sqlalchemy import delete, update

    from bot.app import build_application
    from bot.config import Settings
    from bot.ratelimit import Limits, TelegramRateLimiter
    from coach.clock import ManualClock
    from coach.schedule import cache_clear as schedule_cache_clear
    from handlers.reminders import run_tick
    from storage.models import ReminderSent, User
    from storage.reminders import Due

    # No send pace: sending is a no-op here, and the tick's own cost is what is measured
    # (bench.delivery measures the paced sends); paced, a claim is a second's worth of sends.
    app = build_application(
        Settings(bot_token=SecretStr(TOKEN), database_url=url),
        clock=ManualClock(NOW),
        rate_limiter=TelegramRateLimiter(Limits(overall=None)),
    )
    db = app.bot_data["services"].db
    due_ids = random.Random(5).sample(range(1, USERS + 1), DUE)

    async def no_send(due: Due) -> None:
        return None

    async def make_due() -> None:
        async with db.transaction() as session:
            await session.execute(delete(ReminderSent))
            await session.execute(
                update(User)
                .where(User.id.in_(due_ids))
                .values(next_reminder_at=NOW - timedelta(minutes=1), lease_until=None)
            )
        # The app's background job keeps the write-ahead log short between ticks.
        await db.checkpoint()
        # Each run replays the same dates: start with a cold schedule cache, as a new day would.
        schedule_cache_clear()

    times = TickTimes()
    await make_due()
    await run_tick(app, deliver=no_send, send_recap=no_send)

    await make_due()
    with _recording(times.recorded):
        await run_tick(app, deliver=no_send, send_recap=no_send)

    driver = _driver_floor(url, times.recorded)
    sqlite = _sqlite_floor(url, times.recorded)
    try:
        for _ in range(TICK_RUNS):
            await make_due()
            started = timer.perf_counter()
            times.sent = await run_tick(app, deliver=no_send, send_recap=no_send)
            times.tick.append((timer.perf_counter() - started) * 1000)
            # What the tick left for that job: timed on its own, it is not part of the tick.
            started = timer.perf_counter()
            await db.checkpoint()
            times.checkpoint.append((timer.perf_counter() - started) * 1000)
            times.driver.append(await anext(driver))
            times.sqlite.append(next(sqlite))
    finally:
        await driver.aclose()
        sqlite.close()
        await db.dispose()
    return times


@contextmanager
def _recording(recorded: list[Recorded]) -> Iterator[None]:
    """Record every statement the app hands aiosqlite, and each commit, while the block
    runs: through SQLAlchemy's adapter (a cursor's execute) or straight to the driver
    (`storage.batch`), so the replays run exactly what the tick ran."""
    import aiosqlite

    originals = {
        (aiosqlite.Cursor, "execute"): False,
        (aiosqlite.Cursor, "executemany"): True,
        (aiosqlite.Connection, "execute_fetchall"): False,
        (aiosqlite.Connection, "executemany"): True,
    }
    saved = {(kind, name): getattr(kind, name) for kind, name in originals}

    def recorder(kind: type, name: str, many: bool) -> Any:
        original = saved[(kind, name)]

        async def record(self: Any, sql: str, parameters: Any = ()) -> Any:
            recorded.append((sql, list(parameters) if many else tuple(parameters), many))
            return await original(self, sql, parameters)

        return record

    commit = aiosqlite.Connection.commit

    async def record_commit(self: Any) -> None:
        recorded.append(("COMMIT", (), False))
        await commit(self)

    try:
        for (kind, name), many in originals.items():
            setattr(kind, name, recorder(kind, name, many))
        aiosqlite.Connection.commit = record_commit  # type: ignore[method-assign]
        yield
    finally:
        for (kind, name), original in saved.items():
            setattr(kind, name, original)
        aiosqlite.Connection.commit = commit  # type: ignore[method-assign]


def _replay_setup(url: str) -> tuple[str, list[str], str, list[Any]]:
    """For replaying the tick outside the app: the file, its pragmas, and the statement (with
    parameters) that makes the same users due again, as `_measure_tick` does before each run."""
    from storage.db import SQLITE_AUTOCHECKPOINT_PAGES

    pragmas = ["journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"]
    pragmas.append(f"wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
    due_ids = random.Random(5).sample(range(1, USERS + 1), DUE)
    due_at = (NOW - timedelta(minutes=1)).isoformat(" ", "microseconds").removesuffix("+00:00")
    marks = ",".join("?" * len(due_ids))
    make_due = f"UPDATE users SET next_reminder_at = ?, lease_until = NULL WHERE id IN ({marks})"
    return url.removeprefix("sqlite+aiosqlite:///"), pragmas, make_due, [due_at, *due_ids]


def _sqlite_floor(url: str, recorded: list[Recorded]) -> Generator[float, None, None]:
    """The tick's own statements, with the very parameters it sent, replayed through the
    stdlib sqlite3 driver with no Python logic in between: what SQLite itself costs for this
    tick here, so the tick's figure can be read against it. One run per `next()`."""
    import sqlite3

    path, pragmas, make_due, due_params = _replay_setup(url)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in pragmas:
            con.execute(f"PRAGMA {pragma}")
        while True:
            con.execute("BEGIN IMMEDIATE")
            con.execute("DELETE FROM reminders_sent")
            con.execute(make_due, due_params)
            con.execute("COMMIT")
            con.execute("PRAGMA wal_checkpoint(PASSIVE)")  # as the app's job does between ticks
            started = timer.perf_counter()
            for statement, parameters, many in recorded:
                if many:
                    con.executemany(statement, parameters)
                else:
                    con.execute(statement, parameters).fetchall()
            yield (timer.perf_counter() - started) * 1000
    finally:
        con.close()


# The columns of the statement that reads the claimed users, which the tick plans from.
PLAN_COLUMNS = {"time_zone", "reminder_time", "weekdays", "next_reminder_at", "snoozed"}


async def _driver_floor(url: str, recorded: list[Recorded]) -> AsyncGenerator[float, None]:
    """The same replay over aiosqlite (the app's async driver), plus the schedule math for
    each claimed user: a tick hand-written without SQLAlchemy could not be cheaper than this.
    One run per `anext()`."""
    import aiosqlite

    from coach import schedule, zones

    path, pragmas, make_due, due_params = _replay_setup(url)
    con = await aiosqlite.connect(path, isolation_level=None)
    try:
        for pragma in pragmas:
            await con.execute(f"PRAGMA {pragma}")
        while True:
            await con.execute("BEGIN IMMEDIATE")
            await con.execute("DELETE FROM reminders_sent")
            await con.execute(make_due, due_params)
            await con.execute("COMMIT")
            await con.execute("PRAGMA wal_checkpoint(PASSIVE)")
            schedule.cache_clear()
            started = timer.perf_counter()
            for statement, parameters, many in recorded:
                if many:
                    await con.executemany(statement, parameters)
                    continue
                cursor = await con.execute(statement, parameters)
                rows = await cursor.fetchall()
                names = [column[0] for column in cursor.description or ()]
                if set(names) >= PLAN_COLUMNS:  # the claimed users: plan each, as the tick does
                    for row in rows:
                        user = dict(zip(names, row, strict=True))
                        schedule.plan_reminder(
                            datetime.fromisoformat(user["next_reminder_at"]).replace(tzinfo=UTC),
                            NOW,
                            zones.to_tzinfo(user["time_zone"]),
                            time.fromisoformat(user["reminder_time"]),
                            user["weekdays"],
                            snoozed=bool(user["snoozed"]),
                        )
            yield (timer.perf_counter() - started) * 1000
    finally:
        await con.close()


def run() -> list[tuple[str, str]]:
    """Rows (measure, result) for `python -m bench`."""
    from storage.db import SQLITE_CHECKPOINT_SECONDS

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(_populate(url))
        ours = _start_in_subprocess("ours", url)
        naive = _start_in_subprocess("naive", url)
        times = asyncio.run(_measure_tick(url))
    tick_ms, checkpoint_ms = statistics.median(times.tick), statistics.median(times.checkpoint)
    floor_ms, driver_ms = statistics.median(times.sqlite), statistics.median(times.driver)
    sent, recorded = times.sent, times.recorded
    return [
        ("reminders: users", f"{USERS:,}"),
        ("reminders: start, tick design (s)", f"{ours['seconds']:.3f}"),
        ("reminders: start, run_daily per user (s)", f"{naive['seconds']:.2f}"),
        (
            "reminders: start time ratio (whole start / scheduling)",
            f"{naive['seconds'] / ours['seconds']:,.0f}× / "
            f"{naive['scheduling_seconds'] / ours['scheduling_seconds']:,.0f}×",
        ),
        (
            "reminders: peak RSS, tick design (MB)",
            f"{ours['peak_rss_mb']:.0f} (+{ours['added_rss_mb']:.1f} for scheduling)",
        ),
        (
            "reminders: peak RSS, run_daily per user (MB)",
            f"{naive['peak_rss_mb']:.0f} (+{naive['added_rss_mb']:.0f} for scheduling)",
        ),
        (
            "reminders: peak RSS ratio (whole process / scheduling)",
            f"{naive['peak_rss_mb'] / ours['peak_rss_mb']:.1f}× / "
            f"{naive['added_rss_mb'] / max(ours['added_rss_mb'], 0.1):,.0f}×",
        ),
        (
            f"reminders: one tick, {DUE:,} due, SQLite (ms, median of {TICK_RUNS})",
            f"{tick_ms:.1f} ({sent} claimed+completed; sending = no-op coroutine)",
        ),
        (
            f"reminders: SQLite checkpoint after that tick (ms, median of {TICK_RUNS})",
            f"{checkpoint_ms:.1f} (background job every {SQLITE_CHECKPOINT_SECONDS:.0f} s, "
            "not in the tick)",
        ),
        (
            f"reminders: the same SQL alone, stdlib sqlite3 (ms, median of {TICK_RUNS})",
            f"{floor_ms:.1f} ({len(recorded)} statements replayed: SQLite's own cost)",
        ),
        (
            f"reminders: that SQL over aiosqlite + schedule math (ms, median of {TICK_RUNS})",
            f"{driver_ms:.1f} (no SQLAlchemy: the floor of a hand-written tick)",
        ),
        (
            "reminders: one tick / that hand-written floor (budget ≤ 1.3×)",
            f"{tick_ms / driver_ms:.2f}× (each run of the tick timed beside one of the floor)",
        ),
        (
            "reminders: the tick's time beyond SQLite, per due user (µs)",
            f"{(tick_ms - floor_ms) * 1000 / max(sent, 1):.0f} (Python: SQLAlchemy, driver, plan)",
        ),
    ]


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--start":
        print(json.dumps(asyncio.run(_start(sys.argv[2], sys.argv[3]))))
        return 0
    from bench import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
