"""Benchmark many users tapping at once: Limber against a bare PTB app making the same calls.

Run: `.venv/bin/python -m bench.updates` (or `make bench`).
The fake Telegram and its users run in a process of their own (as Telegram would), the bot in
this one. USERS users each open a session and get it to a step with a Next button; then the
fake adds DELAY to every Bot API call (real Telegram is 30–200 ms away) and all of them tap
Next at the same moment. Measured at the fake, from the moment the taps are queued: when the
last callback answer and the last edit arrived. Limber runs with its update processor, with
PTB's plain `concurrent_updates(256)` and with one update at a time (the old default); the
bare app answers and edits the caption, with `concurrent_updates(256)` and the same limiter.
Budgets: Limber's last answer ≤ 1.0× the stock PTB app's (PTB's httpx client and its
AIORateLimiter, `concurrent_updates(256)`); its last edit within 1.05× of the 30 messages/s
bound (USERS/30 s plus two round trips).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time as timer
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

USERS = int(__import__("os").environ.get("BENCH_USERS", 100))
DELAY = 0.1
RUNS = 3
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TOKEN = "123456:bench-token-not-secret"
FIRST_USER = 10_001
START, NEXT = "Start", "Next"  # button labels both bots use (Limber's contain these words)


# ---- the fake Telegram's side (a subprocess) ----------------------------------------------


def _button(message: Any, label: str) -> str:
    for row in message.buttons():
        for text, data in row:
            if label in text and data is not None:
                return str(data)
    raise LookupError(f"no button {label!r} on {message.buttons()}")


async def _users_act() -> dict[str, float]:
    """Serve the fake, print its URL, run the scenario once the bot polls, print the result."""
    from ops.web import serve
    from playground.fake_telegram import FakeTelegram, Faults, create_app

    fake = FakeTelegram(TOKEN)
    users = range(FIRST_USER, FIRST_USER + USERS)
    async with serve(create_app(fake)) as url:
        print(url, flush=True)
        await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), 60)
        for user in users:  # set-up, at full speed
            fake.send_text(user, "/stretch")
        await fake.wait_for(lambda: all(fake.last_bot_message(u) for u in users), 120)
        # Without per-user order (the "plain" variant), a tap can overtake the /stretch that
        # sent its message and find no session yet: such users tap again.
        for attempt in range(20):
            for user in users:
                if _has(fake, user, START) and not _has(fake, user, NEXT):
                    fake.tap(user, _last(fake, user).message_id, _button(_last(fake, user), START))
            try:
                await fake.wait_for(lambda: all(_has(fake, u, NEXT) for u in users), 5)
                break
            except TimeoutError:
                if attempt == 19:
                    raise
        # A running bot has sent every picture before: one more user's Next, unmeasured,
        # makes the next step's picture known (Limber uploads a picture only once).
        warm = FIRST_USER + USERS
        fake.send_text(warm, "/stretch")
        await fake.wait_for(lambda: _last_or_none(fake, warm) is not None, 60)
        for label in (START, NEXT):
            if _has(fake, warm, label):
                before = _last(fake, warm).edits

                def edited_since(before: int = before) -> bool:
                    return bool(_last(fake, warm).edits > before)

                # Without per-user order (the "plain" variant), a tap can overtake the
                # /stretch that sent its message and find no session yet: tap again.
                for attempt in range(10):
                    shown = _last(fake, warm)
                    fake.tap(warm, shown.message_id, _button(shown, label))
                    try:
                        await fake.wait_for(edited_since, 3 if attempt < 9 else 60)
                        break
                    except TimeoutError:
                        continue
        fake.faults = Faults(delay_seconds=DELAY)
        taps = [(u, _last(fake, u)) for u in users]
        answered: list[float] = []
        edited: list[float] = []

        async def pump() -> None:
            async for event in fake.subscribe():
                if event.kind in ("callback_answer", "edit"):
                    arrivals = answered if event.kind == "callback_answer" else edited
                    arrivals.append(timer.perf_counter())

        task = asyncio.create_task(pump())
        await asyncio.sleep(0)
        started = timer.perf_counter()
        for user, shown in taps:
            fake.tap(user, shown.message_id, _button(shown, NEXT))
        await fake.wait_for(lambda: len(answered) >= USERS and len(edited) >= USERS, 120)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        result = {"answer": max(answered) - started, "edit": max(edited) - started}
        print(json.dumps(result), flush=True)
        # Serve on until the bot has stopped polling (the parent closes our stdin then).
        await asyncio.to_thread(sys.stdin.read)
    return result


def _last_or_none(fake: Any, user: int) -> Any:
    return fake.last_bot_message(user)


def _last(fake: Any, user: int) -> Any:
    shown = fake.last_bot_message(user)
    assert shown is not None, f"the bot never wrote to {user}"
    return shown


def _has(fake: Any, user: int, label: str) -> bool:
    shown = fake.last_bot_message(user)
    return shown is not None and any(label in text for row in shown.buttons() for text, _ in row)


# ---- the bot's side -----------------------------------------------------------------------


async def _run_bot(make_app: Any) -> dict[str, float]:
    """Start the fake's process, run the bot against it until the scenario is over."""
    from bench import fake_process
    from bot.app import polling

    async with (
        fake_process("bench.updates") as fake,
        make_app(fake.url) as app,
        polling(app, timeout=1),
    ):
        output = await fake.line()
    result: dict[str, float] = json.loads(output)
    return result


def _limber(processor: str) -> Any:
    from contextlib import asynccontextmanager

    from pydantic import SecretStr
    from telegram.ext import SimpleUpdateProcessor

    from bot.app import build_application
    from bot.config import Settings
    from coach.clock import ManualClock
    from storage.migrate import upgrade

    processors = {"ours": None, "plain": 256, "sequential": 1}

    @asynccontextmanager
    async def make(url: str) -> Any:
        with tempfile.TemporaryDirectory() as tmp:
            database = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            await upgrade(database)
            await _onboarded(database)
            settings = Settings(
                bot_token=SecretStr(TOKEN),
                telegram_api_url=url,
                database_url=database,
                reminder_tick_seconds=3600,
                keyboard_sweep_seconds=3600,
            )
            size = processors[processor]
            yield build_application(
                settings,
                clock=ManualClock(NOW),
                update_processor=SimpleUpdateProcessor(size) if size else None,
            )

    return make


async def _onboarded(database: str) -> None:
    """The users (and the warm-up one) finished onboarding earlier, as returning users have:
    their /stretch opens the session (a newcomer's would ask for their time zone first)."""
    from datetime import time

    from storage import reminder_plan
    from storage.db import Database
    from storage.models import User

    db = Database(database)
    try:
        async with db.transaction() as session:
            for uid in range(FIRST_USER, FIRST_USER + USERS + 1):
                user = User(
                    id=uid, chat_id=uid, first_name="Ann", time_zone="Europe/Berlin",
                    reminder_time=time(19, 0), weekdays=0b1111111, blocked=False,
                )  # fmt: skip
                session.add(user)
                await reminder_plan.reschedule(session, user, NOW)
    finally:
        await db.dispose()


def _bare_ptb(request: str, limiter: str = "ours") -> Any:
    """A bare PTB app: a photo with Next for any message; a tap is answered, caption edited.
    `request` is PTB's default HTTP client ("httpx") or Limber's ("aiohttp", bot.http);
    `limiter` is Limber's rate limiter ("ours") or PTB's own AIORateLimiter ("ptb")."""
    from contextlib import asynccontextmanager

    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        AIORateLimiter,
        ApplicationBuilder,
        CallbackQueryHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    from bot.http import AiohttpRequest
    from bot.ratelimit import TelegramRateLimiter

    markup = InlineKeyboardMarkup([[InlineKeyboardButton(NEXT, callback_data="next")]])
    photo = _png()

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_photo(
            update.effective_chat.id, photo, caption="Step 1", reply_markup=markup
        )

    async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_caption(f"Step 2 ({query.id})", reply_markup=markup)

    @asynccontextmanager
    async def make(url: str) -> Any:
        rate_limiter: Any = AIORateLimiter() if limiter == "ptb" else TelegramRateLimiter()
        builder = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(f"{url}/bot")
            .rate_limiter(rate_limiter)
            .concurrent_updates(256)
        )
        if request == "aiohttp":
            builder = builder.request(AiohttpRequest())
        app = builder.build()
        app.add_handlers([MessageHandler(filters.ALL, on_message), CallbackQueryHandler(on_tap)])
        yield app

    return make


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(buffer, "PNG")
    return buffer.getvalue()


STOCK = "stock PTB app: concurrent_updates(256), PTB's httpx client and AIORateLimiter"
BARE = "bare PTB app, concurrent_updates(256), Limber's HTTP client"
VARIANTS: dict[str, Callable[[], Any]] = {
    "Limber": lambda: _limber("ours"),
    STOCK: lambda: _bare_ptb("httpx", "ptb"),
    BARE: lambda: _bare_ptb("aiohttp"),
    "bare PTB app, concurrent_updates(256), PTB's httpx client": lambda: _bare_ptb("httpx"),
    "Limber, plain concurrent_updates(256)": lambda: _limber("plain"),
    "Limber, one update at a time": lambda: _limber("sequential"),
}


def measure(runs: int = RUNS) -> dict[str, tuple[float, float]]:
    """Variant -> median seconds to the last answer and to the last edit."""
    results = {}
    for name, make in VARIANTS.items():
        found = [asyncio.run(_run_bot(make())) for _ in range(runs)]
        results[name] = (
            statistics.median(r["answer"] for r in found),
            statistics.median(r["edit"] for r in found),
        )
    return results


def run() -> list[tuple[str, str]]:
    """Rows (measure, result) for `python -m bench`."""
    results = measure()
    ours, stock = results["Limber"], results[STOCK]
    head = f"updates: {USERS} users tap at once, +{DELAY * 1000:.0f} ms a call"
    rows = [
        (f"{head}, {name} (s to last answer / edit, median of {RUNS})", f"{a:.2f} / {e:.2f}")
        for name, (a, e) in results.items()
    ]
    # The physical bound on the edits: 30 messages a second, plus the tap's and the edit's
    # round trips.
    bound = USERS / 30 + 2 * DELAY
    rows.append(
        (
            "updates: Limber's last answer / the stock app's (budget ≤ 1.0×); "
            "last edit / the 30 msg/s bound (≤ 1.05×)",
            f"{ours[0] / stock[0]:.2f}×; {ours[1] / bound:.2f}× ({ours[1]:.2f} s / {bound:.2f} s)",
        )
    )
    return rows


def main() -> int:
    if sys.argv[1:] == ["--fake"]:
        asyncio.run(_users_act())
        return 0
    from bench import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
