"""Inline buttons as plain data: what a keyboard shows and what each button sends back.
Handlers turn them into Telegram's markup (`handlers.keyboards.inline`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # callback data, a payload's `encode()` in `coach.callbacks`


Rows = tuple[tuple[Button, ...], ...]


def as_rows(rows: Iterable[Iterable[Button]]) -> Rows:
    return tuple(tuple(row) for row in rows)
