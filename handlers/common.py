"""What the feature handlers share: the check that runs before every feature (the bot works in
private chats only), the opening of every button handler (`read_tap`), the sender's row in a
transaction, and "is this message the live one of its kind?" (storage.live)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Chat, Message, Update
from telegram import User as TelegramUser
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from coach import callbacks
from coach.callbacks import Payload
from handlers.context import LimberContext
from handlers.turn import Turn
from storage import live, users
from storage.models import User

log = logging.getLogger(__name__)

# Registered in its own group before every feature handler (see bot/app.py).
PRE_GROUP = -2

P = TypeVar("P", bound=Payload)


# What acts in a group chat (handlers.board): the /board command, the board's buttons
# (callbacks.GROUP_ACTIONS) and the bot's own membership changes. Anything else a group sends
# gets the pointer to a private chat, or nothing.
GROUP_COMMANDS = frozenset({"board"})


async def private_only(update: Update, context: LimberContext) -> None:
    """In a group, answer commands with a link to a private chat and stop there; the board's
    command and buttons go on to their handlers."""
    if update.edited_message is not None:
        # Editing an old message is not a new request: "/start" edited to "/deleteme" or a
        # typo fixed in a time must not run anything again.
        raise ApplicationHandlerStop
    turn = context.turn
    if turn.chat is None or turn.private or update.my_chat_member is not None:
        return
    if update.callback_query is not None:
        decoded = callbacks.decode(update.callback_query.data)
        if decoded is not None and decoded.action in callbacks.GROUP_ACTIONS:
            return
        await answer(update.callback_query, turn.texts.BUTTON_EXPIRED)
    elif update.effective_message is not None and (
        command := _our_command(update, context.bot.username)
    ):
        if command in GROUP_COMMANDS and update.message is not None:
            return
        link = f"https://t.me/{context.bot.username}?start=group"
        await update.effective_message.reply_text(turn.texts.GROUP_ONLY_PRIVATE.format(link=link))
    raise ApplicationHandlerStop


def _our_command(update: Update, username: str) -> str | None:
    """The command of a message for this bot: "help" of "/help" or "/help@OurBot", None for
    "/help@OtherBot" (which another bot in the group answers) or for no command. In a busy
    group, chatter is ignored quietly."""
    message = update.effective_message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    command = message.text.split(maxsplit=1)[0]
    name, at, addressee = command.partition("@")
    if at and addressee.casefold() != username.casefold():
        return None
    return name[1:].lower() or None


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


async def answer(
    query: CallbackQuery,
    text: str | None = None,
    *,
    show_alert: bool = False,
    url: str | None = None,
) -> None:
    """Answer a tap (its spinner stops; `text` shows as a toast or, with `show_alert`, an
    alert; `url`, a t.me link to this bot, opens our private chat). A query Telegram no
    longer takes is let go: it was answered before (the update was delivered again) or is too
    old, and the rest of the handling still applies."""
    try:
        await query.answer(text, show_alert=show_alert, url=url)
    except BadRequest as error:
        if "query is too old" not in error.message.lower():
            raise
        log.info("A tap's query could not be answered any more: %s", error.message)


@dataclass(frozen=True)
class Tap(Generic[P]):
    """A tap on one of our buttons: the query (to answer), what the button carries, and the
    message it is on (its chat and id; `message` itself when Telegram still shows it)."""

    query: CallbackQuery
    data: P
    chat_id: int
    message_id: int
    message: Message | None

    async def answer(
        self, text: str | None = None, *, show_alert: bool = False, url: str | None = None
    ) -> None:
        await answer(self.query, text, show_alert=show_alert, url=url)


async def read_tap(update: Update, kind: type[P], expired: str) -> Tap[P] | None:
    """The tap's button read as `kind`. A tap that carries no such button (forged, from
    another version) or is on no message is answered `expired`, and None is returned."""
    query = update.callback_query
    if query is None:
        return None
    data = kind.parse(query.data)
    message = query.message
    if data is None or message is None:
        await answer(query, expired)
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
    await tap.answer(toast)
    await strip_buttons(tap, parse)
