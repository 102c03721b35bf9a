"""/time and /timezone: quick changes that answer with the next reminder."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from coach import timeinput, zones
from handlers import common
from handlers.context import LimberContext
from handlers.questions import applying, asking
from handlers.questions.asking import Awaiting


async def time_command(update: Update, context: LimberContext) -> None:
    """`/time 7:30` sets it at once; a bare `/time` asks with buttons."""
    argument = " ".join(context.args or ())
    if not argument:
        await asking.ask(update, context, Awaiting.TIME)
        return
    await _apply(update, context, Awaiting.TIME, argument)


async def timezone_command(update: Update, context: LimberContext) -> None:
    """`/timezone Berlin` sets it at once; a bare `/timezone` asks (location or typed)."""
    argument = " ".join(context.args or ())
    if not argument:
        await asking.ask(update, context, Awaiting.ZONE)
        return
    await _apply(update, context, Awaiting.ZONE, argument)


async def _apply(update: Update, context: LimberContext, kind: Awaiting, argument: str) -> None:
    sender = common.sender_of(update)
    if sender is None:
        return
    user, message = sender.user, sender.message
    texts, now = context.turn.texts, context.turn.now
    async with common.sender_row(context, sender) as (session, row):
        previous = row.awaiting
        # Answer as if to the question, but an argument never moves an onboarding along.
        row.awaiting = kind
        if kind == Awaiting.ZONE:
            reading = zones.read_zone(argument)
            replies = await applying.apply_zone(session, row, reading, now, texts)
            unreadable = reading is None
            # A country's choices keep the question open, for its buttons or a typed city;
            # mid-onboarding, the onboarding question stays the one open.
            still_asking = reading is not None and row.awaiting == kind
        else:
            chosen = timeinput.parse_time(argument)
            replies = await applying.apply_time(session, row, chosen, now, texts)
            unreadable, still_asking = chosen is None, False
        if unreadable or (still_asking and previous == Awaiting.ONBOARDING_ZONE):
            row.awaiting = previous  # the hint goes out and nothing changed
    await asking.send_replies(context, message, user.id, replies)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("time", time_command),
        CommandHandler("timezone", timezone_command),
    ]
