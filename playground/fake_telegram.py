"""A fake Telegram for one bot, the names tests and tools use: `FakeTelegram` (the chats, users
and faults, from fake_state) and `create_app` (its Bot API and control API over HTTP).

The fake's own modules (fake_*) never import this one: they import fake_state, and only
fake_app puts the method modules together, so the playground's imports form no circle."""

from __future__ import annotations

from playground.fake_app import create_app
from playground.fake_state import ChatState, FakeTelegram
from playground.fake_types import ChatEvent, ChatMessage, Faults

__all__ = ["ChatEvent", "ChatMessage", "ChatState", "FakeTelegram", "Faults", "create_app"]
