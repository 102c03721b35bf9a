"""Telegram's per-chat limits in the fake (one private chat, one group), faults scoped to one
chat, the count of calls that ignored a 429, and bodies the fake cannot decode."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from telegram import Bot
from telegram.error import RetryAfter

from playground.fake_gate import RETRY_GRACE_SECONDS
from playground.fake_telegram import FakeTelegram, Faults
from tests.playground.helpers import USER

OTHER = 4343
GROUP = -100777


async def test_private_chat_limit_allows_a_burst_then_answers_429(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    fake.send_text(OTHER, "/start")
    fake.faults = Faults(chat_rate_per_second=1, chat_burst=3, retry_after=2)
    for n in range(3):
        await bot.send_message(chat, f"burst {n}")
    with pytest.raises(RetryAfter):
        await bot.send_message(chat, "one too many")
    # The limit is per chat: another user's chat is not affected, and neither are answers
    # to button taps, which are not chat messages.
    await bot.send_message(OTHER, "another chat")
    assert [m.text for m in fake.bot_messages(chat)] == ["burst 0", "burst 1", "burst 2"]
    assert fake.limit_stats.answered_429 == 1


async def test_group_limit_is_per_minute(bot: Bot, fake: FakeTelegram) -> None:
    fake.send_text(USER, "/start", chat_id=GROUP, chat_type="group")
    fake.faults = Faults(group_rate_per_minute=20)
    for n in range(20):
        await bot.send_message(GROUP, f"group {n}")
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP, "twenty-first in a minute")
    assert len(fake.bot_messages(GROUP)) == 20


async def test_a_call_before_retry_after_ran_out_is_counted(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    seconds = [0.0]
    fake.clock = lambda: seconds[0]  # the fake's clock, moved by the test
    fake.faults = Faults(rate_limit_per_second=1, retry_after=5)
    await bot.send_message(chat, "first")
    with pytest.raises(RetryAfter):
        await bot.send_message(chat, "too soon")
    seconds[0] += RETRY_GRACE_SECONDS + 0.1  # past the grace for requests on their way
    with pytest.raises(RetryAfter):
        await bot.send_message(chat, "ignoring the 429")
    assert fake.limit_stats.answered_429 == 2
    assert fake.limit_stats.early_after_429 == 1


async def test_faults_scoped_to_one_chat(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    fake.send_text(OTHER, "/start")
    fake.faults = Faults(delay_seconds=30, chats={chat})
    slow = asyncio.create_task(bot.send_message(chat, "slowed down"))
    await fake.wait_for(lambda: any(method == "sendMessage" for method, _ in fake.calls))
    # The other chat is served at once while the first call is still held.
    await bot.send_message(OTHER, "served")
    assert [m.text for m in fake.bot_messages(OTHER)] == ["served"]
    assert not slow.done()
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "\\ud83d"}',  # a lone UTF-16 surrogate, as JSON escapes it
        b'{"text": "caf\xe9"}',  # Latin-1 bytes: not UTF-8
    ],
)
async def test_undecodable_text_gets_400_and_polling_goes_on(
    control: httpx.AsyncClient, bot: Bot, fake: FakeTelegram, body: bytes
) -> None:
    answer = await control.post(
        f"/users/{USER}/text", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400
    assert "error" in answer.json()
    assert fake.updates.pending == 0  # nothing was queued
    # Later users are delivered as usual.
    await control.post(f"/users/{OTHER}/text", json={"text": "hello 👋"})
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["hello 👋"]


async def test_bot_api_refuses_a_lone_surrogate_from_the_bot(
    api_url: str, fake: FakeTelegram, chat: int
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{api_url}/bot{fake.token}/sendMessage",
            content=b'{"chat_id": %d, "text": "\\udc00"}' % chat,
            headers={"content-type": "application/json"},
        )
    assert answer.status_code == 400
    assert answer.json()["description"] == "Bad Request: strings must be encoded in UTF-8"
    assert fake.bot_messages(chat) == []
