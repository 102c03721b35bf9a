"""The offline playground: the fake Telegram, the chat page and the real bot in one process, one
event loop. `start_playground` is what `python -m bot playground` runs, and what the browser test
starts on port 0."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr

from bot.app import PLAYGROUND_TOKEN, LimberApp, build_application, polling
from bot.config import DEFAULT_DATABASE_URL, PLAYGROUND_DATABASE_URL, Settings
from bot.server import stop_on_signals
from coach.clock import SystemClock
from handlers.context import services_of
from handlers.reminders import run_tick
from ops.web import serve
from playground.chat import create_playground_app
from playground.fake_telegram import FakeTelegram
from storage import reminders

log = logging.getLogger(__name__)


@dataclass
class Playground:
    """A running playground: the page's base URL, the fake Telegram, the bot and its clock."""

    url: str
    fake: FakeTelegram
    application: LimberApp
    clock: SystemClock


def playground_settings(settings: Settings) -> Settings:
    """The bot's settings pointed at the local fake Telegram and the playground database."""
    database_url = settings.database_url
    if database_url == DEFAULT_DATABASE_URL:
        database_url = PLAYGROUND_DATABASE_URL
    return settings.model_copy(update={"database_url": database_url})


@contextlib.asynccontextmanager
async def start_playground(settings: Settings) -> AsyncIterator[Playground]:
    """Serve the fake Bot API and the chat page, and run the bot against it, until the block
    ends. The database must be migrated already; port 0 picks a free port."""
    fake = FakeTelegram(PLAYGROUND_TOKEN)
    clock = SystemClock()
    running: list[LimberApp] = []  # filled once the bot exists (it needs the URL first)

    async def reminder_tick() -> None:
        # While the clock panel moves time, send due reminders now instead of at the next tick.
        if running:
            await run_tick(running[0])

    async def next_reminder(after: datetime) -> datetime | None:
        if not running:
            return None
        async with services_of(running[0]).db.read() as session:
            return await reminders.next_reminder_after(session, after)

    # A clock move stops at every reminder time it passes, read from the bot's database.
    app = create_playground_app(
        fake, clock=clock, after_clock_change=reminder_tick, next_reminder=next_reminder
    )
    async with serve(app, host=settings.playground_host, port=settings.playground_port) as url:
        bot_settings = settings.model_copy(
            update={"bot_token": SecretStr(PLAYGROUND_TOKEN), "telegram_api_url": url}
        )
        application = build_application(bot_settings, clock=clock)
        running.append(application)
        async with polling(application):
            yield Playground(url, fake, application, clock)


async def run_playground(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the playground until stopped (Ctrl+C by default), printing its URL in one line."""
    stop = stop or stop_on_signals()
    async with start_playground(settings) as running:
        print(f"Limber playground: open {running.url} in a browser (Ctrl+C to stop).", flush=True)
        await stop.wait()
