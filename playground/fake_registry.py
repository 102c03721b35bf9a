"""What a Bot API method of the fake looks like, and the lookup table `create_app` builds
from the `METHODS` each method module exports (nothing is registered by importing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playground.fake_content import Params
    from playground.fake_state import FakeTelegram

Method = Callable[["FakeTelegram", "Params"], Awaitable[Any]]
# Telegram matches method names case-insensitively: lower-case name → (canonical name, method).
MethodTable = dict[str, tuple[str, Method]]


def method_table(*modules: Mapping[str, Method]) -> MethodTable:
    """One table from each module's {canonical name: method}; a name in two modules is a bug."""
    table: MethodTable = {}
    for methods in modules:
        for name, function in methods.items():
            if name.lower() in table:
                raise ValueError(f"Bot API method {name} is defined twice")
            table[name.lower()] = (name, function)
    return table
