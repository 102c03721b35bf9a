"""The domain's button rows as Telegram markup, and the one reply keyboard (it asks the phone
for the user's location, which only Telegram can)."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from coach.buttons import Rows
from coach.texts import Texts


def inline(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def zone_keyboard(texts: Texts) -> ReplyKeyboardMarkup:
    """Share location (the phone fills in where the user is) or tap an example city."""
    examples = [KeyboardButton(label) for label in texts.ZONE_EXAMPLE_BUTTONS]
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.SHARE_LOCATION_BUTTON, request_location=True)], examples],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
