"""The check that runs before every feature (the bot works in private chats only), and the
preamble every command shares: who sent it, where, and their row in one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Chat, Message, Update
from telegram import User as TelegramUser
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from coach import texts
from handlers import update_language
from handlers.context import LimberContext
from storage import live, users
from storage.models import User

# Registered in its own group before every feature handler (see bot/app.py).
PRE_GROUP = -1


@update_language.own_language  # it runs before every update: it reads nothing in private
async def private_only(update: Update, context: LimberContext) -> None:
    """In a group, answer commands with a link to a private chat and stop there."""
    if update.edited_message is not None:
        # Editing an old message is not a new request: "/start" edited to "/deleteme" or a
        # typo fixed in a time must not run anything again.
        raise ApplicationHandlerStop
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    await update_language.settle_stored(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(texts.BUTTON_EXPIRED)
    elif update.effective_message is not None and _addressed_to_us(update, context.bot.username):
        link = f"https://t.me/{context.bot.username}?start=group"
        await update.effective_message.reply_text(texts.GROUP_ONLY_PRIVATE.format(link=link))
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


async def user_row(session: AsyncSession, user: TelegramUser, chat: Chat) -> User:
    """The sender's row, created on first contact, with their name and language kept fresh."""
    row, _ = await users.ensure_user(session, user.id, chat.id, user.first_name, user.language_code)
    return row


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


@asynccontextmanager
async def sender_row(
    context: LimberContext, sender: Sender
) -> AsyncIterator[tuple[AsyncSession, User]]:
    """One transaction and the sender's row in it (created on first contact)."""
    async with context.services.db.transaction() as session:
        yield session, await user_row(session, sender.user, sender.chat)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [TypeHandler(Update, private_only)]


async def tapped_live(
    session: AsyncSession, query: CallbackQuery, kind: str
) -> tuple[User | None, bool]:
    """The tapping user's row, and whether the tapped message is their live one of `kind`
    (`storage.live`): a button acts only there, and never for a user we do not know."""
    row = await users.get_user(session, query.from_user.id)
    message = query.message
    if row is None or message is None:
        return row, False
    return row, await live.is_live(session, row.id, kind, message.chat.id, message.message_id)
