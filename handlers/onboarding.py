"""/start: welcome a new user and ask the first question; greet a known one. And the gate in
front of every other command: a user who has not finished setting up (or whose data was
deleted) is taken through onboarding first, instead of getting a half account with no time
zone, to which no reminder could ever come.

The questions, their answers and what an answer does are `handlers.questions`.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from coach.texts import Texts
from handlers import common, deep_links
from handlers.context import LimberContext
from handlers.questions import applying
from handlers.questions.asking import Awaiting, Reply, send_replies, time_question, zone_question
from handlers.turn import route_of

# After the private-chat check (-2), before the features (0); see bot/app.py.
GATE_GROUP = common.PRE_GROUP + 1
# Commands that work before onboarding is done: /start is onboarding; help, the language,
# the user's data (see it, delete it) need no time zone; and once onboarding has begun, the
# two that answer its questions.
OPEN_COMMANDS = frozenset({"start", "help", "language", "export", "deleteme"})
SETUP_COMMANDS = frozenset({"time", "timezone"})
ONBOARDING = (Awaiting.ONBOARDING_ZONE, Awaiting.ONBOARDING_TIME)


async def start(update: Update, context: LimberContext) -> None:
    """New user: welcome, safety, first question. Known user: a greeting; nothing changes.
    A deep link (a buddy invite, a board) is acted on first (handlers.deep_links)."""
    sender = common.sender_of(update)
    if sender is None:
        return
    if await deep_links.open_link(context, sender, list(context.args or [])):
        return
    await greet(context, sender, context.turn.texts)


async def gate(update: Update, context: LimberContext) -> None:
    """Any other command from a user who is not set up: onboarding first, the command not."""
    row = context.turn.row
    set_up = row is not None and row.time_zone is not None and row.reminder_time is not None
    command = route_of(update).removeprefix("command:")
    if set_up or command in OPEN_COMMANDS or (row is not None and command in SETUP_COMMANDS):
        return
    sender = common.sender_of(update)
    if sender is not None:
        await greet(context, sender, context.turn.texts)
    raise ApplicationHandlerStop


async def greet(context: LimberContext, sender: common.Sender, texts: Texts) -> None:
    """Welcome back a user who is set up; anyone else gets the welcome and the question
    onboarding is at (a zone already given is not asked again)."""
    user, message, now = sender.user, sender.message, context.turn.now
    awaiting: Awaiting | None = None
    async with common.sender_row(context, sender) as (_, row):
        onboarded = row.time_zone is not None and row.reminder_time is not None
        if onboarded and row.awaiting not in ONBOARDING:
            next_text = applying.next_text(row, now, texts)
        else:
            next_text = None
            row.awaiting = (
                Awaiting.ONBOARDING_TIME if row.time_zone is not None else Awaiting.ONBOARDING_ZONE
            )
            awaiting = row.awaiting
    name = html.escape(user.first_name)
    if next_text is not None:
        back = Reply(texts.WELCOME_BACK.format(name=name, next=next_text))
        await send_replies(context, message, user.id, [back])
        return
    welcome = Reply(f"{texts.WELCOME.format(name=name)}\n\n{texts.SAFETY}")
    question = (
        time_question(texts) if awaiting == Awaiting.ONBOARDING_TIME else zone_question(texts)
    )
    await send_replies(context, message, user.id, [welcome, question])


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("start", start)]


def gate_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered in GATE_GROUP: commands in private chats only (groups stop before it)."""
    return [MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, gate)]
