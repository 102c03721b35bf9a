"""The domain's button rows as Telegram markup, and the one reply keyboard (it asks the phone
for the user's location, which only Telegram can)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import BadRequest

from coach import texts
from coach.buttons import Rows


def inline(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def zone_keyboard() -> ReplyKeyboardMarkup:
    """Share location (the phone fills in where the user is) or tap an example city."""
    examples = [KeyboardButton(label) for label in texts.ZONE_EXAMPLE_BUTTONS]
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.SHARE_LOCATION_BUTTON, request_location=True)], examples],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def expire(query: CallbackQuery, toast: str, parse: Callable[[str | None], object]) -> None:
    """Answer a tap on a message that no longer acts, and take that message's buttons away
    if they are ours (`parse` reads one; Telegram sends the message as it is, so a client
    cannot fake this part of a tap): a forged tap on some other message changes nothing."""
    await query.answer(toast)
    markup = getattr(query.message, "reply_markup", None)
    rows = getattr(markup, "inline_keyboard", None) or ()
    if any(parse(button.callback_data) is not None for row in rows for button in row):
        with contextlib.suppress(BadRequest):  # already without buttons, or gone
            await query.edit_message_reply_markup(None)
