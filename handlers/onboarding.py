"""/start: welcome a new user and ask the first question; greet a known one.

The questions, their answers and what an answer does are `handlers.questions`.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
)

from handlers import common
from handlers.context import LimberContext
from handlers.questions import applying
from handlers.questions.asking import Awaiting, Reply, send_replies, time_question, zone_question


async def start(update: Update, context: LimberContext) -> None:
    """New user: welcome, safety, first question. Known user: a greeting; nothing changes."""
    sender = common.sender_of(update)
    if sender is None:
        return
    user, message = sender.user, sender.message
    texts, now = context.turn.texts, context.turn.now
    awaiting: Awaiting | None = None
    async with common.sender_row(context, sender) as (_, row):
        onboarded = row.time_zone is not None and row.reminder_time is not None
        if onboarded and row.awaiting not in (Awaiting.ONBOARDING_ZONE, Awaiting.ONBOARDING_TIME):
            next_text = applying.next_text(row, now, texts)
        else:
            next_text = None
            # Resume where they left off: a zone already given is not asked again.
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
    return [
        CommandHandler("start", start),
    ]
