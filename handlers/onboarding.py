"""/start: the welcome (and, for a new user, the questions that set up reminders)."""

from __future__ import annotations

import html
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot import texts
from bot.context import LimberContext
from storage import users


async def start(update: Update, context: LimberContext) -> None:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    async with context.services.db.transaction() as session:
        await users.ensure_user(session, user.id, chat.id, user.first_name, user.language_code)
    welcome = texts.WELCOME.format(name=html.escape(user.first_name))
    await message.reply_text(f"{welcome}\n\n{texts.SAFETY}", parse_mode=ParseMode.HTML)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("start", start)]
