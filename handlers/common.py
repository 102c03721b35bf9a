"""What the feature handlers share: the check that runs before every feature (the bot works in
private chats only), the opening of every button handler (`read_tap`), the sender's row in a
transaction, and "is this message the live one of its kind?" (storage.live)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Chat, Message, Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from coach.callbacks import Payload
from handlers.context import LimberContext
from handlers.turn import Turn
from storage import live, users
from storage.models import User

# Registered in its own group before every feature handler (see bot/app.py).
PRE_GROUP = -1

P = TypeVar("P", bound=Payload)


async def private_only(update: Update, context: LimberContext) -> None:
    """In a group, answer commands with a link to a private chat and stop there."""
    if update.edited_message is not None:
        # Editing an old message is not a new request: "/start" edited to "/deleteme" or a
        # typo fixed in a time must not run anything again.
        raise ApplicationHandlerStop
    turn = context.turn
    if turn.chat is None or turn.private:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(turn.texts.BUTTON_EXPIRED)
    elif update.effective_message is not None and _addressed_to_us(update, context.bot.username):
        link = f"https://t.me/{context.bot.username}?start=group"
        await update.effective_message.reply_text(turn.texts.GROUP_ONLY_PRIVATE.format(link=link))
    raise ApplicationHandlerStop


def _addressed_to_us(update: Update, username: str) -> bool:
    """A command for this bot: "/help" or "/help@OurBot", not "/help@OtherBot" (which another
    bot in the group answers). In a busy group, chatter is ignored quietly."""
    message = update.effective_message
    if message is None or not message.text or not message.text.startswith("/"):
        return False
    command = message.text.split(maxsplit=1)[0]
    _, at, addressee = command.partition("@")
    return not at or addressee.casefold() == username.casefold()


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [TypeHandler(Update, private_only)]


@dataclass(frozen=True)
class Sender:
    """Who sent a message, in which chat, and the message (to reply to)."""

    user: TelegramUser
    chat: Chat
    message: Message


def sender_of(update: Update) -> Sender | None:
    """The update's sender, or None for an update that has no user, chat or message."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return None
    return Sender(user, chat, message)


async def user_row(session: AsyncSession, user: TelegramUser, chat: Chat) -> User:
    """The sender's row, created on first contact, with their name and language kept fresh."""
    row, _ = await users.ensure_user(session, user.id, chat.id, user.first_name, user.language_code)
    return row


@asynccontextmanager
async def sender_row(
    context: LimberContext, sender: Sender
) -> AsyncIterator[tuple[AsyncSession, User]]:
    """One transaction and the sender's row in it (created on first contact)."""
    async with context.services.db.transaction() as session:
        yield session, await user_row(session, sender.user, sender.chat)


@dataclass(frozen=True)
class Tap(Generic[P]):
    """A tap on one of our buttons: the query (to answer), what the button carries, and the
    message it is on (its chat and id; `message` itself when Telegram still shows it)."""

    query: CallbackQuery
    data: P
    chat_id: int
    message_id: int
    message: Message | None


async def read_tap(update: Update, kind: type[P], expired: str) -> Tap[P] | None:
    """The tap's button read as `kind`. A tap that carries no such button (forged, from
    another version) or is on no message is answered `expired`, and None is returned."""
    query = update.callback_query
    if query is None:
        return None
    data = kind.parse(query.data)
    message = query.message
    if data is None or message is None:
        await query.answer(expired)
        return None
    shown = message if isinstance(message, Message) else None
    return Tap(query, data, message.chat.id, message.message_id, shown)


async def is_live(context: LimberContext, turn: Turn, kind: str, tap: Tap[Any]) -> bool:
    """Whether the tapped message is the user's live one of `kind` (`storage.live`): a button
    acts only there, and never for a user we do not know. A read: a stale tap waits for no
    writer. A handler that acts re-checks inside its write (`live.is_live`)."""
    if turn.row is None:
        return False
    async with context.services.db.read() as session:
        return await live.is_live(session, turn.row.id, kind, tap.chat_id, tap.message_id)


async def strip_buttons(tap: Tap[Any], parse: Callable[[str | None], object]) -> None:
    """Take the tapped message's buttons away if they are ours (`parse` reads one; Telegram
    sends the message as it shows it, so a client cannot fake this part of a tap): a forged
    tap on some other message changes nothing."""
    markup = tap.message.reply_markup if tap.message is not None else None
    rows = markup.inline_keyboard if markup is not None else ()
    if any(parse(str(button.callback_data)) is not None for row in rows for button in row):
        with contextlib.suppress(BadRequest):  # already without buttons, or gone
            await tap.query.edit_message_reply_markup(None)


async def expire(tap: Tap[Any], toast: str, parse: Callable[[str | None], object]) -> None:
    """Answer a tap on a message that no longer acts, and take its buttons away."""
    await tap.query.answer(toast)
    await strip_buttons(tap, parse)
