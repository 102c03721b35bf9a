"""Injected faults (429 with retry_after, 502, delays) and the Bot API's own errors for a wrong
token or an unknown method, as PTB's exception types see them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, NetworkError, RetryAfter

from playground.fake_telegram import FakeTelegram, Faults


def seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def test_rate_limit_answers_429_with_retry_after(
    bot: Bot, fake: FakeTelegram, chat: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22's retry_after as a timedelta
    await bot.send_message(chat, "before any limit")
    # Changed in place, as a test in the middle of a scenario would; the bucket starts full.
    fake.faults.rate_limit_per_second = 1
    fake.faults.retry_after = 3
    await bot.send_message(chat, "first")
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(chat, "second, too soon")
    assert seconds(error.value.retry_after) == 3
    assert [m.text for m in fake.bot_messages(chat)] == ["before any limit", "first"]
    # getMe is not a sending method: it is spared unless listed.
    assert (await bot.get_me()).username == "limber_bot"


async def test_every_nth_call_fails_with_502(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    fake.faults = Faults(error_5xx_every=2)
    await bot.send_message(chat, "one")
    with pytest.raises(NetworkError) as error:
        await bot.send_message(chat, "two")
    assert not isinstance(error.value, BadRequest)  # PTB treats 5xx as a network problem
    assert error.value.message == "Bad Gateway"
    await bot.send_message(chat, "three")
    assert [m.text for m in fake.bot_messages(chat)] == ["one", "three"]


async def test_every_nth_call_answers_429_whatever_the_pace(
    bot: Bot, fake: FakeTelegram, chat: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake.faults = Faults(too_many_every=3, retry_after=2)
    sent, waits = [], []
    for n in range(1, 7):
        try:
            await bot.send_message(chat, f"message {n}")
            sent.append(n)
        except RetryAfter as error:
            waits.append(seconds(error.retry_after))
    assert sent == [1, 2, 4, 5]
    assert waits == [2, 2]
    assert [m.text for m in fake.bot_messages(chat)] == [f"message {n}" for n in sent]
    assert fake.limit_stats.answered_429 == 2


async def test_faults_limited_to_listed_methods(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    fake.faults = Faults(error_5xx_every=1, methods={"getMe"})
    with pytest.raises(NetworkError):
        await bot.get_me()
    await bot.send_message(chat, "still fine")
    assert [m.text for m in fake.bot_messages(chat)] == ["still fine"]


async def test_delay_holds_the_call(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    fake.faults = Faults(delay_seconds=0.2)
    sending = asyncio.create_task(bot.send_message(chat, "slow network"))
    await fake.wait_for(lambda: any(method == "sendMessage" for method, _ in fake.calls))
    assert fake.bot_messages(chat) == []  # received, not yet delivered
    await sending
    assert [m.text for m in fake.bot_messages(chat)] == ["slow network"]


async def test_wrong_token_and_unknown_method(bot: Bot, api_url: str) -> None:
    wrong = Bot("987654321:AAH-someone-elses-token-000000000000", base_url=f"{api_url}/bot")
    try:
        with pytest.raises(InvalidToken):
            await wrong.initialize()  # getMe → 401 Unauthorized
    finally:
        await wrong.shutdown()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendHologram", api_kwargs={"chat_id": 1})
