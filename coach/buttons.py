"""Inline buttons as plain data: what a keyboard shows and what each button sends back, or
the Mini App it opens. Handlers turn them into Telegram's markup (`handlers.keyboards.inline`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # callback data, a payload's `encode()` in `coach.callbacks` ("" with `web_app`)
    web_app: str | None = None  # the Mini App's URL: the button opens it instead of calling back


def web_app_button(label: str, url: str) -> Button:
    """A button that opens the Mini App at `url` (Telegram allows them in private chats)."""
    return Button(label, "", url)


Rows = tuple[tuple[Button, ...], ...]


def as_rows(rows: Iterable[Iterable[Button]]) -> Rows:
    return tuple(tuple(row) for row in rows)
