"""The domain's button rows as Telegram markup, and the one reply keyboard (it asks the phone
for the user's location, which only Telegram can)."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    WebAppInfo,
)

from coach.buttons import Button, Rows
from coach.texts import Texts


def inline(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_inline_button(b) for b in row] for row in rows])


def _inline_button(button: Button) -> InlineKeyboardButton:
    if button.web_app is not None:
        return InlineKeyboardButton(button.label, web_app=WebAppInfo(button.web_app))
    return InlineKeyboardButton(button.label, callback_data=button.data)


def zone_keyboard(texts: Texts) -> ReplyKeyboardMarkup:
    """Share location (the phone fills in where the user is) or tap an example city."""
    examples = [KeyboardButton(label) for label in texts.ZONE_EXAMPLE_BUTTONS]
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.SHARE_LOCATION_BUTTON, request_location=True)], examples],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
