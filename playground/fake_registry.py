"""The table of Bot API methods the fake Telegram answers, filled by `@bot_method`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.fake_content import Params
    from playground.fake_telegram import FakeTelegram

Method = Callable[["FakeTelegram", "Params"], Awaitable[Any]]
# Telegram matches method names case-insensitively: lower-case name → (canonical name, method).
METHODS: dict[str, tuple[str, Method]] = {}


def bot_method(name: str) -> Callable[[Method], Method]:
    def register(function: Method) -> Method:
        METHODS[name.lower()] = (name, function)
        return function

    return register
