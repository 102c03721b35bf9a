"""Constants and small builders shared by the fake Telegram's tests."""

from __future__ import annotations

import io

from PIL import Image

from playground.fake_telegram import ChatMessage, FakeTelegram

# Shaped like a real BotFather token, so a leak into recorded calls would be visible.
TOKEN = "123456789:AAH-fake-token-for-tests-0123456789ab"
USER = 4242


def png(width: int = 400, height: int = 300, color: str = "teal") -> bytes:
    """A real PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def last(fake: FakeTelegram, chat_id: int) -> ChatMessage:
    """The bot's latest message in the chat; fails the test if it never wrote."""
    message = fake.last_bot_message(chat_id)
    assert message is not None, f"the bot never wrote to chat {chat_id}"
    return message
