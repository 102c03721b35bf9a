"""The offline playground: the fake Telegram and the real bot in one process, one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from pydantic import SecretStr

from bot.app import PLAYGROUND_TOKEN, build_application, polling
from bot.clock import SystemClock
from bot.config import DEFAULT_DATABASE_URL, PLAYGROUND_DATABASE_URL, Settings
from playground.fake_telegram import FakeTelegram, create_app
from playground.server import serve

log = logging.getLogger(__name__)


def playground_settings(settings: Settings) -> Settings:
    """The bot's settings pointed at the local fake Telegram and the playground database."""
    database_url = settings.database_url
    if database_url == DEFAULT_DATABASE_URL:
        database_url = PLAYGROUND_DATABASE_URL
    return settings.model_copy(update={"database_url": database_url})


async def run_playground(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Serve the fake Bot API (and the chat page) and run the bot against it until stopped."""
    stop = stop or _stop_on_signals()
    fake = FakeTelegram(PLAYGROUND_TOKEN)
    clock = SystemClock()
    async with serve(
        create_app(fake), host=settings.playground_host, port=settings.playground_port
    ) as url:
        bot_settings = settings.model_copy(
            update={"bot_token": SecretStr(PLAYGROUND_TOKEN), "telegram_api_url": url}
        )
        application = build_application(bot_settings, clock=clock)
        async with polling(application):
            print(f"Limber playground: open {url} in a browser (Ctrl+C to stop).", flush=True)
            await stop.wait()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
