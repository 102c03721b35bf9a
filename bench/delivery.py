"""Benchmark reminder delivery: the real tick sends DUE reminders to the fake Telegram over HTTP.

Run: `.venv/bin/python -m bench.delivery` (or `make bench`).
The fake runs in a process of its own with a chat for each user. Once with Telegram's pace
(the fake answers 429 above 30 messages/s) and DELAY added to every call, once with no limit
and no delay anywhere (our limiter off too): the tick's own ceiling. Counted at the fake: the
reminders each chat got (lost = none, duplicated = more than one), the 429s it answered and
the calls that came back before a 429's retry_after had run out.
Budget (issue 11): ≥ 95 % of 30/s with Telegram's pace, 0 lost, 0 duplicated, every 429 honoured.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time as timer
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

DUE = 1_000
DELAY = 0.1
TELEGRAM_RATE = 30
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TOKEN = "123456:bench-token-not-secret"
FIRST_USER = 20_001


async def _serve_fake(users: int) -> None:
    """The fake's process: a chat per user, its URL on stdout, served until stdin closes."""
    from ops.web import serve
    from playground.fake_telegram import FakeTelegram, create_app

    fake = FakeTelegram(TOKEN)
    for user in range(FIRST_USER, FIRST_USER + users):
        fake.send_text(user, "/start")
    async with serve(create_app(fake)) as url:
        print(url, flush=True)
        await asyncio.to_thread(sys.stdin.read)


async def _populate(url: str) -> None:
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models import User

    await upgrade(url)
    rows = [
        {
            "id": uid,
            "chat_id": uid,
            "first_name": "Ann",
            "time_zone": "Europe/Berlin",
            "reminder_time": time(8, 59),
            "weekdays": 0b1111111,
            "snoozed": False,
            "blocked": False,
            "sets_per_side": 3,
            "hold_seconds": 30,
            "next_reminder_at": NOW - timedelta(minutes=1),
        }
        for uid in range(FIRST_USER, FIRST_USER + DUE)
    ]
    db = Database(url)
    async with db.transaction() as session:
        await session.execute(User.__table__.insert(), rows)  # type: ignore[attr-defined]
    await db.dispose()


async def _deliver(paced: bool) -> dict[str, Any]:
    import httpx
    from pydantic import SecretStr

    from bench import fake_process
    from bot.app import build_application
    from bot.config import Settings
    from bot.ratelimit import Limits, TelegramRateLimiter
    from coach.clock import ManualClock
    from handlers.reminders import run_tick

    async with fake_process("bench.delivery", str(DUE)) as fake:
        api = fake.url
        faults = {"rate_limit_per_second": TELEGRAM_RATE, "delay_seconds": DELAY} if paced else {}
        limits = Limits() if paced else Limits(overall=None, group=None, private_chat=None)
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            await _populate(url)
            settings = Settings(
                bot_token=SecretStr(TOKEN),
                telegram_api_url=api,
                database_url=url,
                reminder_tick_seconds=3600,
            )
            app = build_application(
                settings, clock=ManualClock(NOW), rate_limiter=TelegramRateLimiter(limits)
            )
            async with httpx.AsyncClient(base_url=f"{api}/control") as control:
                await control.put("/faults", json=faults)
                async with app:
                    started = timer.perf_counter()
                    sent = await run_tick(app)
                    seconds = timer.perf_counter() - started
                await app.bot_data["services"].db.dispose()
                chats = (await control.get("/chats")).json()
                stats = (await control.get("/stats")).json()
    # Each chat holds the user's /start and the reminders it got.
    got = [chat["messages"] - 1 for chat in chats]
    return {
        "sent": sent,
        "per_second": DUE / seconds,
        "lost": sum(n == 0 for n in got),
        "duplicated": sum(n > 1 for n in got),
        "answered_429": stats["answered_429"],
        "early_after_429": stats["early_after_429"],
    }


def run() -> list[tuple[str, str]]:
    """Rows (measure, result) for `python -m bench`."""
    paced, free = asyncio.run(_deliver(True)), asyncio.run(_deliver(False))
    head = f"delivery: {DUE:,} due reminders over HTTP"
    share = paced["per_second"] / TELEGRAM_RATE
    return [
        (
            f"{head}, Telegram's 30/s and +{DELAY * 1000:.0f} ms a call (reminders/s)",
            f"{paced['per_second']:.1f} ({share:.0%} of 30/s; budget ≥ 95 %)",
        ),
        (
            f"{head}: lost / duplicated / 429s answered / calls before a 429's retry_after",
            f"{paced['lost']} / {paced['duplicated']} / {paced['answered_429']} / "
            f"{paced['early_after_429']}",
        ),
        (
            f"{head}, no limit and no delay anywhere (reminders/s: the tick's ceiling)",
            f"{free['per_second']:.0f} ({free['lost']} lost, {free['duplicated']} duplicated)",
        ),
    ]


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--fake":
        asyncio.run(_serve_fake(int(sys.argv[2])))
        return 0
    from bench import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
