"""/help: every command with one line each, built from the same list as the command menu."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from coach.texts import Texts
from handlers.context import LimberContext


def help_text(texts: Texts) -> str:
    lines = [texts.HELP_HEADER, ""]
    lines += [
        texts.HELP_COMMAND_LINE.format(command=command, description=description)
        for command, description in texts.COMMANDS
    ]
    lines += ["", texts.SAFETY, "", texts.HELP_CREDIT]
    return "\n".join(lines)


async def show_help(update: Update, context: LimberContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(help_text(context.turn.texts))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("help", show_help)]
