"""Update delivery: getUpdates long polling and offsets, allowed_updates, Conflict between
pollers, and webhooks POSTed to a small Starlette receiver on an ephemeral port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot
from telegram.error import Conflict

from ops.web import serve
from playground.fake_telegram import FakeTelegram, create_app
from tests.playground.helpers import TOKEN, USER


def polls(fake: FakeTelegram) -> int:
    return sum(1 for method, _ in fake.calls if method == "getUpdates")


async def test_long_poll_returns_an_update_sent_during_the_wait(
    bot: Bot, fake: FakeTelegram
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for(lambda: polls(fake) == 1)
    assert not poll.done()  # nothing queued: the call is holding
    fake.send_text(USER, "good morning")
    [update] = await poll
    assert update.message is not None
    assert update.message.text == "good morning"


async def test_offset_confirms_and_limit_caps(bot: Bot, fake: FakeTelegram) -> None:
    for text in ("one", "two", "three"):
        fake.send_text(USER, text)
    first_two = await bot.get_updates(limit=2)
    assert [u.message.text for u in first_two if u.message] == ["one", "two"]
    # Unconfirmed updates come again; an offset past an update confirms it for good.
    assert len(await bot.get_updates()) == 3
    rest = await bot.get_updates(offset=first_two[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert len(await bot.get_updates()) == 1
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_allowed_updates_filters_types(bot: Bot, fake: FakeTelegram) -> None:
    fake.send_text(USER, "/start")
    sent = await bot.send_message(USER, "Tap", reply_markup=None)
    fake.tap(USER, sent.message_id, "v1:go")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in updates if u.callback_query] == ["v1:go"]
    assert all(u.message is None for u in updates)


async def test_block_is_reported_as_my_chat_member(bot: Bot, fake: FakeTelegram) -> None:
    fake.send_text(USER, "/start")
    fake.block(USER)
    *_, update = await bot.get_updates(allowed_updates=["message", "my_chat_member"])
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_a_second_poller_ends_the_first_with_conflict(
    bot: Bot, fake: FakeTelegram, api_url: str
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for(lambda: polls(fake) == 1)
    async with Bot(TOKEN, base_url=f"{api_url}/bot") as other_instance:
        assert await other_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict) as error:
        await first
    assert "terminated by other getUpdates request" in error.value.message


async def test_stopping_the_server_ends_a_pending_long_poll(fake: FakeTelegram) -> None:
    server = serve(create_app(fake))
    url = await server.__aenter__()
    async with Bot(TOKEN, base_url=f"{url}/bot") as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=60))
        await fake.wait_for(lambda: polls(fake) == 1)
        await server.__aexit__(None, None, None)
        # The server answered the poll (empty) on its way down instead of holding it a minute.
        assert await poll == ()


class Receiver:
    """A bot's webhook endpoint: records each update and its secret header."""

    def __init__(self, failures: int = 0) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.failures = failures

    async def endpoint(self, request: Request) -> Response:
        if self.failures:
            self.failures -= 1
            return Response(status_code=500)
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((await request.json(), secret))
        return Response()

    @property
    def texts(self) -> list[str]:
        return [update["message"]["text"] for update, _ in self.received if "message" in update]


async def receiving(receiver: Receiver) -> AsyncIterator[str]:
    app = Starlette(routes=[Route("/hook", receiver.endpoint, methods=["POST"])])
    async with serve(app) as url:
        yield f"{url}/hook"


async def test_webhook_delivery_with_secret_and_conflict(bot: Bot, fake: FakeTelegram) -> None:
    receiver = Receiver()
    async for hook in receiving(receiver):
        assert await bot.set_webhook(hook, secret_token="s3cret-Token_1")
        fake.send_text(USER, "/start")
        fake.send_text(USER, "Berlin")
        await fake.wait_for(lambda: len(receiver.received) == 2)
        assert receiver.texts == ["/start", "Berlin"]
        assert {secret for _, secret in receiver.received} == {"s3cret-Token_1"}
        info = await bot.get_webhook_info()
        assert (info.url, info.pending_update_count) == (hook, 0)
        with pytest.raises(Conflict) as error:
            await bot.get_updates()
        assert "webhook is active" in error.value.message

        assert await bot.delete_webhook()
        fake.send_text(USER, "polling again")
        [update] = await bot.get_updates()
        assert update.message is not None
        assert update.message.text == "polling again"


async def test_webhook_retries_until_the_bot_answers(bot: Bot, fake: FakeTelegram) -> None:
    receiver = Receiver(failures=2)
    async for hook in receiving(receiver):
        await bot.set_webhook(hook)
        fake.send_text(USER, "are you there?")
        await fake.wait_for(lambda: receiver.texts == ["are you there?"])
        info = await bot.get_webhook_info()
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        assert info.pending_update_count == 0
        await bot.delete_webhook()


async def test_wait_for_explains_a_timeout(fake: FakeTelegram) -> None:
    def bot_replied() -> bool:
        return fake.last_bot_message(USER) is not None

    with pytest.raises(TimeoutError) as error:
        await fake.wait_for(bot_replied, timeout=0.05)
    assert "bot_replied" in str(error.value)
    assert "last Bot API calls: none" in str(error.value)
