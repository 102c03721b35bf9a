"""Benchmark three instances on one PostgreSQL at Telegram's pace: 3,000 reminders due at once,
50 users tapping in the middle of them, one instance killed mid-burst.

Run: `.venv/bin/python -m bench.cluster` (or `make bench`); it needs PostgreSQL, named by
BENCH_DATABASE_URL or TEST_DATABASE_URL, and skips itself without one.
Three `python -m bot` processes in webhook mode behind a round-robin balancer, at the default
pace (TELEGRAM_MESSAGES_PER_SECOND=29, the whole bot's) and lease, against the fake Telegram
refusing a 31st message within any one second, 100 ms away. Measured at the fake: the rate
before and after the kill, the most messages in any one second, the 429s, how long after the
kill the last reminder claimed at the kill went out, and when the taps were answered and their
messages edited.
Budgets (issue 29): ≤ 30 in every second, no 429, ≥ 27/s before and after the kill, the dead
instance's claims sent within a few seconds; the 50 taps answered within 1 s and edited
within 2 s more. The picture the taps show was sent once before (`WARM_UP`).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

DUE = range(50_000, 53_000)
TAPPERS = range(60_000, 60_050)
# Taps ▶ Start before the burst, so the step's picture is on Telegram already (its file_id
# stored), as it is for every tap but the first one a picture ever gets: the taps then
# measure the pace's lanes, not the one upload that the others would wait for (~0.4 s).
WARM_UP = 60_050
LIMIT = 30
DELAY = 0.1


def _database_url() -> str | None:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def _rate(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


async def _run(base: str) -> dict[str, float]:
    from coach.texts import ENGLISH
    from playground.fake_types import Faults
    from tests.conftest import fresh_postgres
    from tests.harness import button_data
    from tests.production.cluster import (
        add_due_users,
        claimed,
        cluster,
        most_in_one_second,
        open_sessions,
        until_reminded,
    )

    async with fresh_postgres() as url:
        from storage.migrate import upgrade

        await upgrade(url)
        with tempfile.TemporaryDirectory() as tmp:
            async with cluster(Path(tmp), url, instances=3, TELEGRAM_MESSAGES_PER_SECOND="29") as c:
                await open_sessions(c, url, [*TAPPERS, WARM_UP])
                sessions = {uid: c.fake.bot_messages(uid)[-1] for uid in TAPPERS}
                first = c.fake.bot_messages(WARM_UP)[-1]
                c.fake.tap(WARM_UP, first.message_id, button_data(first, ENGLISH.SESSION_BTN_START))
                await c.fake.wait_for(lambda: (c.fake.last_bot_message(WARM_UP) or first).edits, 30)
                c.fake.faults = Faults(rate_limit_per_second=LIMIT, delay_seconds=DELAY)
                due = await add_due_users(url, c.fake, DUE)

                def delivered() -> int:
                    return sum(1 for s in c.meter.sends() if s.status == 200 and s.chat_id in DUE)

                await c.fake.wait_for(lambda: delivered() >= 600, 120)
                taps = {}
                for uid, message in sessions.items():
                    data = button_data(message, ENGLISH.SESSION_BTN_START)
                    taps[uid] = c.fake.tap(uid, message.message_id, data)
                tapped = time.monotonic()

                def edited() -> bool:
                    return all(
                        (c.fake.last_bot_message(uid) or sessions[uid]).edits > 0 for uid in TAPPERS
                    )

                await c.fake.wait_for(edited, 60)
                await c.fake.wait_for(lambda: delivered() >= 1500, 120)
                stranded = await claimed(url, DUE)
                c.kill(1)
                killed = time.monotonic()
                await until_reminded(url, due, len(DUE), timeout=300)
                calls = list(c.meter.calls)
    sends = sorted(s.started for s in calls if s.method == "sendMessage" and s.chat_id in DUE)
    taken_over = [s.started for s in calls if s.chat_id in stranded and s.started > killed]
    answers = [s.started for s in calls if s.method == "answerCallbackQuery" and s.started > tapped]
    edits = [s.started for s in calls if s.method.startswith("edit") and s.chat_id in set(TAPPERS)]
    first_after = bisect.bisect_left(sends, killed + 1)
    return {
        "before": _rate([t for t in sends if t < killed]),
        "after": _rate(sends[first_after:]),
        "most": most_in_one_second(calls),
        "answered_429": c.fake.limit_stats.answered_429,
        "taken_over": max(taken_over) - killed if taken_over else 0.0,
        "answers": max(answers) - tapped,
        "edits": max(edits) - max(answers),
    }


def run() -> list[tuple[str, str]]:
    """Rows (measure, result) for `python -m bench`."""
    from storage.reminders import LEASE

    base = _database_url()
    head = "cluster: 3 instances, 3,000 due at once, 29/s, +100 ms a call"
    if base is None:
        return [(head, "skipped: no BENCH_DATABASE_URL")]
    os.environ.setdefault("TEST_DATABASE_URL", base)
    found = asyncio.run(_run(base))
    return [
        (
            f"{head}: reminders/s before / after killing one mid-burst (budget ≥ 27)",
            f"{found['before']:.1f} / {found['after']:.1f}",
        ),
        (
            f"{head}: most messages in any one second / 429s (budget ≤ 30 / 0)",
            f"{found['most']:.0f} / {found['answered_429']:.0f}",
        ),
        (
            f"{head}: the dead instance's claims all sent, s after the kill",
            f"{found['taken_over']:.1f} (lease {LEASE.total_seconds():.0f} s)",
        ),
        (
            f"{head}: 50 taps mid-burst: last answer / last edit after it, s (budget 1 / 2)",
            f"{found['answers']:.2f} / {found['edits']:.2f}",
        ),
    ]


def main() -> int:
    from bench import table

    with contextlib.suppress(KeyboardInterrupt):
        print(table(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
