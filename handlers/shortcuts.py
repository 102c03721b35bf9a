"""/time and /timezone: quick changes that answer with the next reminder."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from coach import timeinput, zones
from handlers import common, onboarding
from handlers.context import LimberContext


async def time_command(update: Update, context: LimberContext) -> None:
    """`/time 7:30` sets it at once; a bare `/time` asks with buttons."""
    argument = " ".join(context.args or ())
    if not argument:
        await onboarding.ask_time(update, context)
        return
    await _apply(update, context, onboarding.AWAIT_TIME, argument)


async def timezone_command(update: Update, context: LimberContext) -> None:
    """`/timezone Berlin` sets it at once; a bare `/timezone` asks (location or typed)."""
    argument = " ".join(context.args or ())
    if not argument:
        await onboarding.ask_zone(update, context)
        return
    await _apply(update, context, onboarding.AWAIT_ZONE, argument)


async def _apply(update: Update, context: LimberContext, kind: str, argument: str) -> None:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        row = await common.user_row(session, user, chat)
        previous = row.awaiting
        # Answer as if to the question, but an argument never moves an onboarding along.
        row.awaiting = kind
        if kind == onboarding.AWAIT_ZONE:
            reading = zones.read_zone(argument)
            replies = await onboarding.apply_zone(session, row, reading, now)
            unreadable = reading is None
            # A country's choices keep the question open, for its buttons or a typed city;
            # mid-onboarding, the onboarding question stays the one open.
            still_asking = reading is not None and row.awaiting == kind
        else:
            chosen = timeinput.parse_time(argument)
            replies = await onboarding.apply_time(session, row, chosen, now)
            unreadable, still_asking = chosen is None, False
        if unreadable or (still_asking and previous == onboarding.ONBOARDING_ZONE):
            row.awaiting = previous  # the hint goes out and nothing changed
    await onboarding.send_replies(context, message, user.id, replies)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("time", time_command),
        CommandHandler("timezone", timezone_command),
    ]
