"""The error handler, and the last-resort answers for input no feature claimed."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.context import LimberContext
from handlers.media import is_not_modified
from handlers.turn import texts_of_update

log = logging.getLogger(__name__)


async def on_error(update: object, context: LimberContext) -> None:
    """Log the failure (the log formatter removes the token) and tell the user."""
    error = context.error
    if isinstance(error, BadRequest) and is_not_modified(error):
        # Handlers send no identical edits; one slipping through changes nothing for the user.
        log.debug("Telegram refused an identical edit", exc_info=error)
        return
    log.error("Unhandled error while handling an update", exc_info=error)
    if not isinstance(update, Update):
        return
    try:
        # An error handler's context is its own (PTB's), without the update's turn: the
        # apology reads the user's language as the turn does.
        apology = (await texts_of_update(update, context.services)).ERROR_GENERIC
        if update.callback_query is not None and await _alert(update, apology):
            return
        if update.effective_chat is not None:
            # A message, or a button whose tap was answered before things went wrong.
            await context.bot.send_message(update.effective_chat.id, apology)
    except Exception:  # the apology itself failed (network down?): logging it is all we can do
        log.warning("Could not tell the user about the error", exc_info=True)


async def _alert(update: Update, apology: str) -> bool:
    """Answer the tap with the apology; False when it was answered already (too late now)."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer(apology, show_alert=True)
    except BadRequest:
        return False
    return True


async def expired_button(update: Update, context: LimberContext) -> None:
    """A button no feature claims: stale, from an old version, or forged."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.turn.texts.BUTTON_EXPIRED)


async def unknown_command(update: Update, context: LimberContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.turn.texts.UNKNOWN_COMMAND)


async def unknown_text(update: Update, context: LimberContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.turn.texts.UNKNOWN_TEXT)


async def unsupported_message(update: Update, context: LimberContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.turn.texts.UNSUPPORTED_MESSAGE)


def fallback_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered after every feature handler, so they only see what nobody else took."""
    return [
        CallbackQueryHandler(expired_button),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.TEXT, unknown_text),
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, unsupported_message),
    ]
