"""The bot's Bot API client (bot.http) against a server that closes idle keep-alive
connections, as the fake Telegram (ops.web) and many proxies do."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Bot

from bot.http import AiohttpRequest
from ops.web import KEEP_ALIVE_SECONDS, serve
from playground.fake_telegram import FakeTelegram, create_app
from tests.playground.helpers import TOKEN


@contextmanager
def fake_in_its_own_thread() -> Iterator[str]:
    """The fake Telegram served from another thread's event loop, so it closes idle
    connections on time however busy the test's own loop is."""
    loop = asyncio.new_event_loop()
    urls: list[str] = []
    ready = threading.Event()
    stop = asyncio.Event()

    async def main() -> None:
        async with serve(create_app(FakeTelegram(TOKEN))) as url:
            urls.append(url)
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    try:
        assert ready.wait(10), "the fake Telegram did not start"
        yield urls[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


async def test_a_call_after_a_busy_idle_spell_does_not_reuse_a_connection_the_server_closed() -> (
    None
):
    # The race: the server closes a connection idle for its keep-alive time while the bot's
    # loop is busy, so the bot has not yet seen the close, and the next POST goes out on the
    # dead connection and fails with "Server disconnected" (a tap's answer lost). POST is
    # not retried by aiohttp, and must not be: a reminder might go twice.
    with fake_in_its_own_thread() as url:
        request = AiohttpRequest()
        bot = Bot(TOKEN, base_url=f"{url}/bot", request=request, get_updates_request=request)
        async with bot:
            assert (await bot.get_me()).is_bot
            # The loop is blocked (a long tick, a GC pause, a loaded machine) while the
            # server closes the idle connection; no await in between lets the close in.
            time.sleep(KEEP_ALIVE_SECONDS + 0.5)  # noqa: ASYNC251 (blocking is the point)
            me = await bot.get_me()
    assert me.username
