"""Our rate limiter against the fake Telegram's limits: every 429 honoured by every request,
and one private chat kept within about a message a second."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, ExtBot

from bot.ratelimit import Limits, TelegramRateLimiter
from handlers.reminders import REMINDER_SEND
from ops.pace import Send
from ops.web import serve
from playground.fake_telegram import FakeTelegram, Faults, create_app
from tests.harness import TOKEN

USERS = list(range(9001, 9021))


@pytest.fixture
async def fake_url() -> AsyncIterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram(TOKEN)
    for user in USERS:
        fake.send_text(user, "/start")
    async with serve(create_app(fake)) as url:
        yield fake, url


async def _send_to_all(url: str, limiter: BaseRateLimiter[Send]) -> None:
    """One message to each user, started 20 ms apart (a tick's senders are staggered too)."""
    bot: ExtBot[Send] = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=limiter)

    async def send(n: int, user: int) -> None:
        await asyncio.sleep(n * 0.02)
        await bot.send_message(user, "hello")

    async with bot:
        await asyncio.gather(*(send(n, user) for n, user in enumerate(USERS)))


async def test_every_429_is_honoured_by_every_request(fake_url: tuple[FakeTelegram, str]) -> None:
    fake, url = fake_url
    # Telegram allows 5/s here and we do not pace ourselves: 429s are certain.
    fake.faults = Faults(rate_limit_per_second=5, retry_after=1, delay_seconds=0.1)
    await _send_to_all(url, TelegramRateLimiter(Limits(overall=None, max_retries=10)))
    assert all(len(fake.bot_messages(user)) == 1 for user in USERS)
    assert fake.limit_stats.answered_429 > 0
    assert fake.limit_stats.early_after_429 == 0


async def test_one_private_chat_stays_within_its_limit(
    fake_url: tuple[FakeTelegram, str],
) -> None:
    fake, url = fake_url
    user = USERS[0]
    # Telegram-like: a short burst, then about one a second (ours allows one less burst).
    fake.faults = Faults(chat_rate_per_second=1, chat_burst=4)
    bot: ExtBot[Send] = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=TelegramRateLimiter())
    async with bot:
        await asyncio.gather(*(bot.send_message(user, f"message {n}") for n in range(7)))
    assert len(fake.bot_messages(user)) == 7
    assert fake.limit_stats.answered_429 == 0


async def test_without_a_chat_limit_the_same_burst_is_refused(
    fake_url: tuple[FakeTelegram, str],
) -> None:
    fake, url = fake_url
    fake.faults = Faults(chat_rate_per_second=1, chat_burst=4)
    fake.clock = lambda: 0.0  # the fake's second never passes: its bucket refills nothing
    limiter = TelegramRateLimiter(Limits(private_chat=None, max_retries=0))
    bot: ExtBot[Send] = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=limiter)
    async with bot:
        sent = await asyncio.gather(
            *(bot.send_message(USERS[0], f"message {n}") for n in range(7)),
            return_exceptions=True,
        )
    assert sum(isinstance(result, Exception) for result in sent) == 3
    assert fake.limit_stats.answered_429 == 3


async def test_a_paced_send_refused_goes_back_to_its_caller_unretried(
    fake_url: tuple[FakeTelegram, str],
) -> None:
    # A reminder takes its slot before it is sent (free or paid, its flag set to match); a
    # retry here would go without one, so the 429 goes back to the tick, which retries later.
    fake, url = fake_url
    fake.faults = Faults(rate_limit_per_second=1, retry_after=1)
    fake.clock = lambda: 0.0  # one second that never ends: every send after the first is refused
    bot: ExtBot[Send] = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=TelegramRateLimiter())
    async with bot:
        await bot.send_message(USERS[0], "first")
        with pytest.raises(RetryAfter):
            await bot.send_message(USERS[1], "reminder", rate_limit_args=REMINDER_SEND)
    assert fake.limit_stats.answered_429 == 1
    assert fake.bot_messages(USERS[1]) == []


async def test_a_paced_send_whose_slot_a_429_overtook_goes_back_unsent(
    fake_url: tuple[FakeTelegram, str],
) -> None:
    # A reminder holds a slot taken before another call's 429 halted the bot. Held until the
    # halt ends, every such reminder would go out at that same instant, past the pace; it goes
    # back to the tick instead (which claims it again with a fresh slot), never reaching Telegram.
    fake, url = fake_url
    fake.faults = Faults(rate_limit_per_second=1, retry_after=1)
    fake.clock = lambda: 0.0  # one second that never ends: every send after the first is refused
    limiter = TelegramRateLimiter(Limits(max_retries=0))
    bot: ExtBot[Send] = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=limiter)
    async with bot:
        await bot.send_message(USERS[0], "first")
        with pytest.raises(RetryAfter):
            await bot.send_message(USERS[1], "an answer")  # refused: the bot halts
        with pytest.raises(RetryAfter):
            await bot.send_message(USERS[2], "reminder", rate_limit_args=REMINDER_SEND)
    assert fake.limit_stats.answered_429 == 1  # the reminder was not sent into the halt
    assert fake.bot_messages(USERS[2]) == []
