"""Simulate a day of reminders for a million users on PostgreSQL: the real tick, a virtual clock.

Run: `.venv/bin/python -m bench.million` (or `make bench`); it needs PostgreSQL, named by
BENCH_DATABASE_URL or TEST_DATABASE_URL (a role that may create databases), and skips itself
without one.

USERS users with reminder times as people pick them (most on the whole and half hours from
06:00 to 09:00 local, the rest spread over the day) in zones weighted by where people live
(the populations of the cities the bot knows, coach/content/cities.tsv.gz), each on their
weekdays. The real tick (`handlers.reminders.run_tick`: claim in due order, plan, record) runs
over 24 simulated hours of a Tuesday against a clock the simulation moves: a send takes 1/r
of a simulated second (r = 30, Telegram's free pace, then 1,000, the paid one), each claim
takes a second of sends (BATCH_SIZE = r), and between runs the clock jumps to the next
reminder's time, as the bot's tick is woken for it. Measured: each message's lateness (sent
minus due, simulated), against the physical bound for the same schedule, an ideal queue
served at r a second (N due at once: the last waits N/r); the database time of each run of
the tick (wall clock, summed over the statements it ran); the process's peak memory, here
and for a tenth of the users (flat means it does not grow with them).
Budget (issue 29): p95 and max lateness within 1.05× of the bound at the worst peaks, at
both paces; peak memory flat in the number of users.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time as timer
import uuid
import zoneinfo
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

USERS = int(os.environ.get("BENCH_MILLION_USERS", 1_000_000))
SMALL = USERS // 10
PACES = (30, 1000)
DAY = datetime(2026, 11, 24, tzinfo=UTC)  # a Tuesday, 00:00 UTC
TICK = timedelta(seconds=15)
TOKEN = "123456:bench-token-not-secret"
PEAKS = 3
# Reminder times as people pick them: 70 % on a whole or half hour from 06:00 to 09:00 (7:00
# and 7:30 the favourites), the rest anywhere from 05:00 to 23:55 in steps of five minutes.
ROUND = [time(6), time(6, 30), time(7), time(7, 30), time(8), time(8, 30), time(9)]
ROUND_WEIGHTS = [8, 12, 22, 20, 16, 12, 10]
ROUND_SHARE = 0.7
SPREAD = [time(h, m) for h in range(5, 24) for m in range(0, 60, 5)]
# Weekdays: most every day, some on workdays, a few their own pick.
EVERY_DAY, WORKDAYS = 0b1111111, 0b0011111


def _database_url() -> str | None:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def zone_weights() -> tuple[list[str], list[float]]:
    """Zones weighted by where people live: the summed populations of the cities in each."""
    from coach.zone_cities import CITIES_FILE

    known = zoneinfo.available_timezones()
    weights: dict[str, float] = {}
    for line in gzip.decompress(CITIES_FILE.read_bytes()).decode().splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or not fields[0].isdigit() or fields[2] not in known:
            continue
        weights[fields[2]] = weights.get(fields[2], 0.0) + int(fields[0])
    zones = sorted(weights)
    return zones, [weights[z] for z in zones]


def draw_users(count: int, seed: int = 29) -> Iterator[tuple[int, str, time, int]]:
    """(id, zone, reminder time, weekdays) for `count` users, reproducibly."""
    rng = random.Random(seed)
    zones, weights = zone_weights()
    for uid in range(1, count + 1):
        zone = rng.choices(zones, weights)[0]
        if rng.random() < ROUND_SHARE:
            at = rng.choices(ROUND, ROUND_WEIGHTS)[0]
        else:
            at = rng.choice(SPREAD)
        pick = rng.random()
        weekdays = EVERY_DAY if pick < 0.8 else WORKDAYS if pick < 0.95 else rng.randrange(1, 128)
        yield uid, zone, at, weekdays


async def populate(url: str, count: int) -> None:
    """Migrate and load `count` users with their first reminder from DAY on (COPY)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from coach import schedule, zones
    from storage.migrate import upgrade

    await upgrade(url)
    first: dict[tuple[str, time, int], datetime | None] = {}
    now = DAY
    records = []
    for uid, zone, at, weekdays in draw_users(count):
        key = (zone, at, weekdays)
        if key not in first:
            first[key] = schedule.next_reminder_at(DAY, zones.to_tzinfo(zone), at, weekdays)
        records.append(
            (
                uid,
                uid,
                "Ann",
                zone,
                at,
                weekdays,
                first[key],
                False,
                False,
                3,
                30,
                True,
                0,
                now,
                now,
            )
        )
    columns = [
        "id", "chat_id", "first_name", "time_zone", "reminder_time", "weekdays",
        "next_reminder_at", "snoozed", "blocked", "sets_per_side", "hold_seconds",
        "weekly_recap", "milestone_seen", "created_at", "updated_at",
    ]  # fmt: skip
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.copy_records_to_table("users", records=records, columns=columns)
        await connection.execute("ANALYZE users")
    finally:
        await connection.close()


@dataclass
class Day:
    """What one simulated day measured (JSON between the processes)."""

    pace: int
    users: int
    record: str  # a file of (due, sent) pairs, seconds after DAY, as doubles
    skipped: int
    tick_db_ms: list[float]
    tick_wall_ms: list[float]
    peak_rss_mb: float


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def simulate(url: str, pace: int) -> Day:
    """The day at `pace` messages a second, in this process (see the module docstring)."""
    from pydantic import SecretStr
    from sqlalchemy import event

    from bot.app import build_application
    from bot.config import Settings
    from bot.ratelimit import Limits, TelegramRateLimiter
    from coach.clock import ManualClock
    from handlers.reminders import run_tick
    from storage import reminders
    from storage.reminders import Due

    reminders.BATCH_SIZE = pace  # a claim is a second of sends, as claim_size makes it
    clock = ManualClock(DAY)
    unpaced = TelegramRateLimiter(Limits(overall=None, group=None, private_chat=None))
    # One instance: its lease keeps no one else away, and the simulated clock runs far ahead
    # of the real one in which the lease is renewed.
    settings = Settings(bot_token=SecretStr(TOKEN), database_url=url, reminder_lease_seconds=3600)
    app = build_application(settings, clock=clock, rate_limiter=unpaced)
    services = app.bot_data["services"]
    db = services.db
    spent = [0.0]

    @event.listens_for(db.engine.sync_engine, "before_cursor_execute")
    def _before(conn: Any, *_: Any) -> None:
        conn.info["started"] = timer.perf_counter()

    @event.listens_for(db.engine.sync_engine, "after_cursor_execute")
    def _after(conn: Any, *_: Any) -> None:
        spent[0] += timer.perf_counter() - conn.info.pop("started", timer.perf_counter())

    # (due, sent) of each message, written out as the day goes: the process's memory is the
    # tick's, not the record's.
    record = Path(tempfile.gettempdir()) / (url.rsplit("/", 1)[-1] + ".lateness")
    buffer = array("d")
    step = timedelta(seconds=1 / pace)

    def flush() -> None:
        with record.open("ab") as out:
            buffer.tofile(out)
        del buffer[:]

    async def send(item: Due) -> int:
        clock.advance(step)  # a sender paced at `pace` a second
        buffer.append((item.due_at - DAY).total_seconds())
        buffer.append((clock.now() - DAY).total_seconds())
        if len(buffer) >= 100_000:
            flush()
        return 1

    async def send_recap(item: Due) -> None:
        await send(item)

    day = Day(pace, 0, str(record), 0, [], [], 0.0)
    end = DAY + timedelta(days=1)
    try:
        while clock.now() < end:
            spent[0], started = 0.0, timer.perf_counter()
            await run_tick(app, deliver=send, send_recap=send_recap)
            day.tick_wall_ms.append((timer.perf_counter() - started) * 1000)
            day.tick_db_ms.append(spent[0] * 1000)
            async with db.read() as session:
                wake = await reminders.next_wake(session, clock.now())
            # The tick is woken at the next reminder's time (handlers.reminders.tick); the
            # runs every TICK in between find no one, and are left out.
            clock.set(min(wake, end) if wake else end)
        flush()
        day.skipped = int(
            services.metrics.registry.get_sample_value(
                "limber_reminders_total", {"outcome": "skipped"}
            )
            or 0
        )
    finally:
        await db.dispose()
    day.peak_rss_mb = _rss_mb()
    return day


@dataclass
class Peak:
    n: int
    start: float
    ours: tuple[float, float, float]
    bound: tuple[float, float, float]


def _p(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return (
        statistics.median(ordered),
        ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        ordered[-1],
    )


def read_record(day: Day) -> list[tuple[float, float]]:
    """The day's (due, sent) pairs, by due time."""
    values = array("d")
    path = Path(day.record)
    values.frombytes(path.read_bytes())
    path.unlink()
    return sorted(zip(values[0::2], values[1::2], strict=True))


def peaks(day: Day, pairs: list[tuple[float, float]], count: int = PEAKS) -> list[Peak]:
    """The worst busy periods of the ideal queue (never idle from their first arrival to
    their last send), with our lateness and the bound's for the messages due in each."""
    arrivals = [due for due, _ in pairs]
    ours = [sent - due for due, sent in pairs]
    service, finish, periods, begin = 1 / day.pace, -1.0, [], 0
    ideal: list[float] = []
    for i, at in enumerate(arrivals):
        if at > finish and i:
            periods.append((begin, i))
            begin = i
        finish = max(finish, at) + service
        ideal.append(finish - at)
    periods.append((begin, len(arrivals)))
    worst = sorted(periods, key=lambda p: max(ideal[p[0] : p[1]]), reverse=True)[:count]
    return [
        Peak(b - a, arrivals[a], _p(ours[a:b]), _p(ideal[a:b]))
        for a, b in sorted(worst, key=lambda p: arrivals[p[0]])
    ]


def _admin(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _create(url: str, name: str, template: str | None = None) -> str:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = await asyncpg.connect(_admin(url))
    try:
        copy = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await admin.close()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _drop(url: str, names: list[str]) -> None:
    import asyncpg

    admin = await asyncpg.connect(_admin(url))
    try:
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _day_in_subprocess(url: str, pace: int, users: int) -> Day:
    output = subprocess.run(
        [sys.executable, "-m", "bench.million", "--day", url, str(pace)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    day = Day(**json.loads(output.strip().splitlines()[-1]))
    day.users = users
    return day


def days(base: str) -> list[Day]:
    """Populate templates (USERS and SMALL users), then run each day on a fresh copy."""
    tag = uuid.uuid4().hex[:8]
    big, small = f"limber_bench_{tag}_big", f"limber_bench_{tag}_small"
    made = [big, small]
    try:
        for name, count in ((big, USERS), (small, SMALL)):
            url = asyncio.run(_create(base, name))
            asyncio.run(populate(url, count))
        found = []
        for template, count, pace in ((big, USERS, 30), (big, USERS, 1000), (small, SMALL, 30)):
            name = f"limber_bench_{tag}_{count}_{pace}"
            made.append(name)
            url = asyncio.run(_create(base, name, template))
            found.append(_day_in_subprocess(url, pace, count))
            asyncio.run(_drop(base, [name]))
        return found
    finally:
        asyncio.run(_drop(base, made))


def _s(seconds: float) -> str:
    return f"{seconds:,.0f}" if seconds >= 10 else f"{seconds:.1f}"


def rows(found: list[Day]) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    big = [d for d in found if d.users == USERS]
    small = next(d for d in found if d.users == SMALL)
    Path(small.record).unlink(missing_ok=True)
    for day in big:
        head = f"million: {day.users:,} users, {day.pace:,}/s"
        ratios = []
        pairs = read_record(day)
        result.append(
            (
                f"{head}: messages sent (a run busy at midnight goes on), skipped (> 2 h late)",
                f"{len(pairs):,}, {day.skipped:,}",
            )
        )
        for peak in peaks(day, pairs):
            when = (DAY + timedelta(seconds=peak.start)).strftime("%H:%M:%S")
            p95, worst = peak.ours[1] / max(peak.bound[1], 1e-9), peak.ours[2] / peak.bound[2]
            ratios += [p95, worst]
            result.append(
                (
                    f"{head}: peak at {when} UTC, N due; lateness p50/p95/max (s), ours | bound",
                    f"{peak.n:,}; {_s(peak.ours[0])}/{_s(peak.ours[1])}/{_s(peak.ours[2])} | "
                    f"{_s(peak.bound[0])}/{_s(peak.bound[1])}/{_s(peak.bound[2])} "
                    f"(N/r = {_s(peak.n / day.pace)})",
                )
            )
        result.append(
            (
                f"{head}: worst ratio to the bound, p95 and max (budget ≤ 1.05×)",
                f"{max(ratios):.3f}×",
            )
        )
        db_total = sum(day.tick_db_ms)
        result.append(
            (
                f"{head}: DB time per message sent (µs); the tick's DB time of the day (s)",
                f"{db_total * 1000 / max(len(pairs), 1):.0f}; {db_total / 1000:,.0f}",
            )
        )
        result.append(
            (
                f"{head}: runs of the tick; DB time per run p50/p95/max (ms); wall per message",
                f"{len(day.tick_db_ms):,}; {statistics.median(day.tick_db_ms):.1f}/"
                f"{_p(day.tick_db_ms)[1]:.1f}/{max(day.tick_db_ms):,.0f}; "
                f"{sum(day.tick_wall_ms) * 1000 / max(len(pairs), 1):.0f} µs",
            )
        )
        result.append((f"{head}: peak RSS (MB)", f"{day.peak_rss_mb:.0f}"))
    result.append(
        (
            f"million: peak RSS, {SMALL:,} users against {USERS:,} at 30/s (flat: ≈ 1×)",
            f"{small.peak_rss_mb:.0f} MB against {big[0].peak_rss_mb:.0f} MB "
            f"({big[0].peak_rss_mb / small.peak_rss_mb:.2f}×)",
        )
    )
    return result


def run() -> list[tuple[str, str]]:
    """Rows (measure, result) for `python -m bench`."""
    base = _database_url()
    if base is None:
        return [("million: simulated day on PostgreSQL", "skipped: no BENCH_DATABASE_URL")]
    return rows(days(base))


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--day":
        day = asyncio.run(simulate(sys.argv[2], int(sys.argv[3])))
        print(json.dumps(day.__dict__))
        return 0
    from bench import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
