"""The end-to-end harness: the real bot against the fake Telegram, driven as a user would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import time
from typing import Any

from pydantic import SecretStr
from telegram import Update

from bot.app import LimberApp, build_application, polling
from bot.config import Settings
from bot.ratelimit import Limits, TelegramRateLimiter
from coach.clock import ManualClock
from handlers.context import Services, services_of
from ops.web import serve
from playground.fake_telegram import ChatMessage, FakeTelegram, create_app
from storage.models import User

# Shaped like a real BotFather token, so a leak would be caught by the redaction tests.
TOKEN = "123456789:AAH-fake-token-for-tests-0123456789ab"


class Harness:
    """Acts as Telegram users and waits until the bot has fully handled what they did."""

    def __init__(
        self, fake: FakeTelegram, app: LimberApp, clock: ManualClock, api_url: str = ""
    ) -> None:
        self.fake = fake
        self.app = app
        self.clock = clock
        self.api_url = api_url  # the fake's base URL, for its control API
        self._handled: list[Update] = []
        self._changed = asyncio.Condition()

    @property
    def services(self) -> Services:
        return services_of(self.app)

    async def record(self, update: Update) -> None:
        async with self._changed:
            self._handled.append(update)
            self._changed.notify_all()

    async def _until_handled(self, match: Callable[[Update], bool], timeout: float = 10) -> None:
        await self._until(lambda: any(match(u) for u in self._handled), timeout)

    async def _until(self, condition: Callable[[], bool], timeout: float) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def send(self, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """Send text (or a /command) and wait until the bot has handled it."""
        message = self.fake.send_text(user_id, text, **kwargs)
        await self._until_message_handled(message)
        return message

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> None:
        message = self.fake.send_location(user_id, latitude, longitude)
        await self._until_message_handled(message)

    async def send_sticker(self, user_id: int, **kwargs: Any) -> None:
        message = self.fake.send_sticker(user_id, **kwargs)
        await self._until_message_handled(message)

    async def block(self, user_id: int) -> None:
        """The user blocks the bot; returns once the bot has handled Telegram's news of it."""
        seen = len(self._handled)
        self.fake.block(user_id)
        await self._until(lambda: self._member_change_after(seen, user_id), timeout=10)

    async def remove_from_group(self, chat_id: int, by: int) -> None:
        """An admin removes the bot from a group; returns once the bot has handled it."""
        seen = len(self._handled)
        self.fake.remove_bot(chat_id, by)
        await self._until(lambda: self._member_change_after(seen, chat_id), timeout=10)

    def _member_change_after(self, seen: int, chat_id: int) -> bool:
        return any(
            u.my_chat_member is not None and u.my_chat_member.chat.id == chat_id
            for u in self._handled[seen:]
        )

    async def tap(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> dict[str, Any] | None:
        """Tap a button (any data, even forged) of a message in the user's private chat, or
        in `chat_id`; returns the callback answer the user saw."""
        query_id = self.fake.tap(user_id, message_id, data, chat_id=chat_id)
        await self._until_handled(
            lambda u: u.callback_query is not None and u.callback_query.id == query_id
        )
        return self.fake.callback_answer(query_id)

    async def tap_all(
        self, user_id: int, message_id: int, datas: list[str]
    ) -> list[dict[str, Any] | None]:
        """Tap several buttons at once (all queued before the bot reads any); returns the
        callback answers once every tap is handled."""
        query_ids = [self.fake.tap(user_id, message_id, data) for data in datas]
        await self._until(lambda: self._all_handled(query_ids), timeout=30)
        return [self.fake.callback_answer(query_id) for query_id in query_ids]

    def _all_handled(self, query_ids: list[str]) -> bool:
        handled = {u.callback_query.id for u in self._handled if u.callback_query is not None}
        return handled.issuperset(query_ids)

    async def handled_tap(self, query_id: str) -> Update:
        """The tap update `query_id` once the bot has handled it."""
        await self._until_handled(
            lambda u: u.callback_query is not None and u.callback_query.id == query_id
        )
        return next(
            u for u in self._handled if u.callback_query and u.callback_query.id == query_id
        )

    async def tap_button(self, user_id: int, message: ChatMessage, label: str) -> dict[str, Any]:
        """Tap the inline button whose text contains `label` on `message` (in its chat)."""
        data = button_data(message, label)
        answer = await self.tap(user_id, message.message_id, data, chat_id=message.chat_id)
        assert answer is not None, f"button {label!r} was not answered"
        return answer

    async def set_up(self, *user_ids: int, **fields: Any) -> None:
        """Users who finished onboarding earlier (Berlin, reminders at 07:30), stored directly:
        any command from someone not set up goes to onboarding first."""
        async with self.services.db.transaction() as session:
            for user_id in user_ids:
                values: dict[str, Any] = {
                    "id": user_id,
                    "chat_id": user_id,
                    "first_name": "Ann",
                    "time_zone": "Europe/Berlin",
                    "reminder_time": time(7, 30),
                    **fields,
                }
                session.add(User(**values))

    async def stored_user(self, user_id: int) -> User:
        """The user's row as the database has it now."""
        async with self.services.db.transaction() as session:
            user = await session.get(User, user_id)
        assert user is not None, f"no row for user {user_id}"
        return user

    def last(self, chat_id: int) -> ChatMessage:
        message = self.fake.last_bot_message(chat_id)
        assert message is not None, f"the bot never wrote to chat {chat_id}"
        return message

    async def _until_message_handled(self, message: dict[str, Any]) -> None:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        await self._until_handled(
            lambda u: (
                u.effective_message is not None
                and u.effective_message.chat_id == chat_id
                and u.effective_message.message_id == message_id
            )
        )


async def until(condition: Callable[[], Any], timeout: float = 60) -> Any:
    """Wait until `condition()` is true (checked every 20 ms) and return it; the timeout only
    catches a hang, so a slow machine waits longer instead of failing."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (found := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still false after {timeout} s: {condition}")
        await asyncio.sleep(0.02)
    return found


def button_data(message: ChatMessage, label: str) -> str:
    """The callback data of the inline button whose text contains `label`."""
    for row in message.buttons():
        for text, data in row:
            if label in text and data is not None:
                return data
    raise AssertionError(f"no button {label!r} on message: {message.buttons()}")


def bot_settings(database_url: str, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": SecretStr(TOKEN),
        "telegram_api_url": api_url,
        "database_url": database_url,
        # Tests run the reminder tick and the keyboard sweep themselves, when they choose.
        "reminder_tick_seconds": 3600,
        "keyboard_sweep_seconds": 3600,
        "board_tick_seconds": 3600,
        **overrides,
    }
    return Settings(**values)


# No pacing: tests tap faster than people do and send more than 30 messages a second, and
# pacing them would only make them slow. The limiter's other half stays on (a 429 still
# sets a deadline every request waits for); the limits themselves are tested with their
# own limiter in tests/foundation/test_ratelimit.py.
TEST_LIMITS = Limits(overall=None, private_chat=None)


@asynccontextmanager
async def running_bot(
    database_url: str,
    clock: ManualClock,
    fake: FakeTelegram | None = None,
    *,
    limits: Limits = TEST_LIMITS,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    fake = fake or FakeTelegram(TOKEN)
    async with serve(create_app(fake)) as api_url:
        settings = bot_settings(database_url, api_url, **overrides)
        app = build_application(settings, clock=clock, rate_limiter=TelegramRateLimiter(limits))
        harness = Harness(fake, app, clock, api_url)
        handle = app.process_update

        async def tracked(update: object) -> None:
            try:
                await handle(update)
            finally:
                if isinstance(update, Update):
                    await harness.record(update)

        # Lets tests wait for "the bot has finished with this update" instead of sleeping.
        app.process_update = tracked  # type: ignore[method-assign]
        async with polling(app, timeout=1):
            yield harness
