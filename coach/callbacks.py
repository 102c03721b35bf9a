"""The one codec for inline-button callback data: `v1:<action>[:arg...]`, at most 64 bytes.

Every feature encodes its buttons here and registers its handler with `pattern(action)`,
an anchored regex, so a button from an older version of the bot (another prefix), a
forged payload or a truncated one never reaches a feature handler: the catch-all in
`handlers.errors` answers it with a short "this button has expired" toast instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64  # Telegram's limit on callback_data
_ACTION = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_ARG = re.compile(r"^[A-Za-z0-9_.+-]{1,24}$")


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """The argument at `index` as an int, or None when it is missing or not a number."""
        try:
            return int(self.args[index])
        except (IndexError, ValueError):
            return None


def encode(action: str, *args: str | int) -> str:
    """Button data for `action`; raises ValueError on anything that would not round-trip."""
    if not _ACTION.match(action):
        raise ValueError(f"bad callback action {action!r}")
    parts = [VERSION, action, *(str(a) for a in args)]
    for arg in parts[2:]:
        if not _ARG.match(arg):
            raise ValueError(f"bad callback argument {arg!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """The parsed callback, or None for anything this version did not produce."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION or not _ACTION.match(parts[1]):
        return None
    if not all(_ARG.match(arg) for arg in parts[2:]):
        return None
    return Callback(parts[1], tuple(parts[2:]))


def pattern(action: str) -> re.Pattern[str]:
    """The anchored pattern a CallbackQueryHandler uses to claim `action`'s buttons."""
    if not _ACTION.match(action):
        raise ValueError(f"bad callback action {action!r}")
    arg = _ARG.pattern.strip("^$")
    return re.compile(rf"^{VERSION}:{action}(?::{arg})*$")
