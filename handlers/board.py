"""/board in a group, and the board's ✋ Join and 👋 Leave buttons.

The bot keeps privacy mode on: in a group it reads only commands and taps on its buttons
(handlers.common lets these through). An admin starts the board with /board (the day follows
their own time zone, or UTC), sets its zone with /board and a place, ends it with /board off;
anyone may bring today's board down to the bottom of the chat with /board. Whether someone is
an admin, or in the group at all, Telegram says (getChatMember).

A board button acts only on the group's current board message: the tapped message's chat
and id, which Telegram supplies and a client cannot forge, must be the group's and the board's.
What the board shows is drawn by handlers.board_flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, zones
from coach.together import BOARD_MAX_MEMBERS, BOARD_PREFIX
from handlers import board_flush, common
from handlers.context import LimberContext
from storage import boards
from storage.models import BoardGroup

ADMINS = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
IN_GROUP = frozenset({*ADMINS, ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED})
GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


def board_link(bot_username: str, join_code: str) -> str:
    """The deep link that opens our private chat and brings the user to this board."""
    return f"https://t.me/{bot_username}?start={BOARD_PREFIX}{join_code}"


async def is_admin(context: LimberContext, update: Update, chat_id: int) -> bool:
    """Whether the sender administers the group (an anonymous admin writes as the group)."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat_id
    return await _status(context, chat_id, update) in ADMINS


async def in_group(context: LimberContext, chat_id: int, user_id: int) -> bool:
    """Whether the user is in the group now, as Telegram says."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in IN_GROUP


async def _status(context: LimberContext, chat_id: int, update: Update) -> str | None:
    user = update.effective_user
    if user is None:
        return None
    try:
        return (await context.bot.get_chat_member(chat_id, user.id)).status
    except TelegramError:
        return None


async def board_command(update: Update, context: LimberContext) -> None:
    turn, message = context.turn, update.effective_message
    chat = turn.chat
    if message is None or chat is None:
        return
    texts = turn.texts
    if chat.type not in GROUPS:
        await message.reply_text(texts.BOARD_IN_GROUPS)
        return
    argument = " ".join(context.args or []).strip()
    async with context.services.db.read() as session:
        group = await boards.get(session, chat.id)
    if (group is None or argument) and not await is_admin(context, update, chat.id):
        await message.reply_text(texts.BOARD_ADMIN_ONLY)
        return
    if argument.casefold() == "off":
        await _end(context, chat.id)
        await message.reply_text(texts.BOARD_OFF)
        return
    zone = None
    if argument:
        reading = await asyncio.to_thread(zones.read_zone, argument)
        if reading is None or reading.code is not None:  # unknown, or a country of several
            await message.reply_text(texts.BOARD_ZONE_HINT.format(examples=texts.ZONE_EXAMPLES))
            return
        zone = reading.zones[0]
    reply = None
    async with context.services.db.transaction() as session:
        group = await boards.get(session, chat.id)
        if group is None:
            own = turn.row.time_zone if turn.row is not None else None
            zone = zone or own or zones.FALLBACK_ZONE
            await boards.start(session, chat.id, chat.title or "", zone, turn.language, turn.now)
            reply = texts.BOARD_STARTED.format(zone=html.escape(zone))
        else:
            group.title = chat.title or group.title
            if zone is not None:
                group.time_zone, group.language, group.dirty = zone, turn.language, True
                reply = texts.BOARD_ZONE_SET.format(zone=html.escape(zone))
            else:
                await boards.repost(session, chat.id)
    if reply is not None:
        await message.reply_text(reply)
    await board_flush.flush(context.application, chat_ids=[chat.id])


async def _end(context: LimberContext, chat_id: int) -> None:
    """/board off: the board and its members are forgotten; its message stays, buttonless."""
    async with context.services.db.transaction() as session:
        ended = await boards.end(session, chat_id)
        message_id = ended.message_id if ended is not None else None
    if message_id is not None:
        with contextlib.suppress(TelegramError):  # deleted, or buttonless already
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


def _board_button(data: str | None) -> object:
    return callbacks.BoardJoin.parse(data) or callbacks.BoardLeave.parse(data)


async def _board_tap(
    update: Update, context: LimberContext, kind: type[common.P]
) -> tuple[common.Tap[common.P], BoardGroup] | None:
    """A tap on this group's current board, with the board; anything else is answered (and
    an old board's buttons go) and None returned."""
    texts = context.turn.texts
    tap = await common.read_tap(update, kind, texts.BOARD_STALE_TOAST)
    if tap is None:
        return None
    if tap.chat_id != getattr(tap.data, "chat", None):
        # Board data tapped on a message of another group (a forged tap): nothing changes.
        await tap.answer(texts.BOARD_OTHER_GROUP_TOAST, show_alert=True)
        return None
    async with context.services.db.read() as session:
        group = await boards.get(session, tap.chat_id)
    if group is None:
        await common.expire(tap, texts.BOARD_CLOSED_TOAST, _board_button)
        return None
    if group.message_id != tap.message_id:
        await common.expire(tap, texts.BOARD_STALE_TOAST, _board_button)
        return None
    return tap, group


async def join_button(update: Update, context: LimberContext) -> None:
    """✋ Join: someone set up with Limber goes on the board; anyone else is taken to our
    private chat first (Telegram opens the link the answer carries), and back."""
    turn = context.turn
    texts = turn.texts
    found = await _board_tap(update, context, callbacks.BoardJoin)
    if found is None or turn.user is None:
        return
    tap, group = found
    row = turn.row
    if row is None or row.blocked or row.time_zone is None or row.reminder_time is None:
        await tap.answer(url=board_link(context.bot.username, group.join_code))
        return
    async with context.services.db.read() as session:
        member = await boards.is_member(session, group.chat_id, row.id)
        count = await boards.member_count(session, group.chat_id)
    if member:
        await tap.answer(texts.BOARD_ALREADY_TOAST)
        return
    if count >= BOARD_MAX_MEMBERS:
        await tap.answer(texts.BOARD_FULL_TOAST.format(count=BOARD_MAX_MEMBERS), show_alert=True)
        return
    if not await in_group(context, group.chat_id, row.id):
        await tap.answer(texts.BOARD_GROUP_ONLY_TOAST, show_alert=True)
        return
    async with context.services.db.transaction() as session:
        current = await boards.get(session, group.chat_id)
        joined = (
            current is not None
            and current.message_id == tap.message_id
            and await boards.member_count(session, group.chat_id) < BOARD_MAX_MEMBERS
            and await boards.join(session, group.chat_id, row.id, turn.now)
        )
    if not joined:
        await tap.answer(texts.BOARD_STALE_TOAST)
        return
    # An alert, not a toast: what the group will see of them is worth a moment's reading.
    await tap.answer(texts.BOARD_JOINED_TOAST, show_alert=True)
    await board_flush.flush(context.application, chat_ids=[group.chat_id])


async def leave_button(update: Update, context: LimberContext) -> None:
    """👋 Leave: off the board at its next drawing."""
    turn = context.turn
    texts = turn.texts
    found = await _board_tap(update, context, callbacks.BoardLeave)
    if found is None or turn.user is None:
        return
    tap, group = found
    left = False
    if turn.row is not None:
        async with context.services.db.transaction() as session:
            left = await boards.leave(session, group.chat_id, turn.row.id)
    if not left:
        await tap.answer(texts.BOARD_NOT_MEMBER_TOAST)
        return
    await tap.answer(texts.BOARD_LEFT_TOAST)
    await board_flush.flush(context.application, chat_ids=[group.chat_id])


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("board", board_command),
        CallbackQueryHandler(join_button, pattern=callbacks.BoardJoin.pattern()),
        CallbackQueryHandler(leave_button, pattern=callbacks.BoardLeave.pattern()),
    ]
