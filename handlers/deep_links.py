"""Deep links: /start with a buddy invite (t.me/<bot>?start=b_…) or a board's link (…g_…).

Someone set up with Limber gets what the link is for at once: the invite question, or their
place on the board. Anyone else goes through onboarding first; the link is kept
(`PendingStart`) and acted on the moment onboarding is done (`after_onboarding`, from the
answer that finishes it), so a brand-new user is paired or on the board without opening the
link twice. A link that cannot work (expired, used, forged, their own) says why, and changes
nothing.
"""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from coach.texts import Texts
from coach.together import BOARD_MAX_MEMBERS, BOARD_PREFIX, INVITE_PREFIX, StartLink, read_start
from handlers import board, board_flush, buddy, common
from handlers.context import LimberContext
from handlers.questions.asking import Reply, send_replies
from storage import boards, together
from storage.models import BoardGroup, User


async def open_link(context: LimberContext, sender: common.Sender, args: list[str]) -> bool:
    """Act on the link a /start carries. True when that is all the /start does; False when
    the usual greeting (and onboarding) follows: no link, or a user not set up yet."""
    link = read_start(args)
    if link is None:
        return False
    row = context.turn.row
    set_up = row is not None and row.time_zone is not None and row.reminder_time is not None
    if link.kind == "invite":
        return await _open_invite(context, sender, link, set_up)
    return await _open_board(context, sender, link, set_up)


async def _open_invite(
    context: LimberContext, sender: common.Sender, link: StartLink, set_up: bool
) -> bool:
    turn = context.turn
    texts, now = turn.texts, turn.now
    async with context.services.db.read() as session:
        problem, inviter = await buddy.invite_problem(
            session, sender.user.id, link.code, now, texts
        )
    if problem is not None or inviter is None:
        await sender.message.reply_text(problem or texts.BUDDY_INVITE_INVALID)
        return set_up
    async with common.sender_row(context, sender) as (session, row):
        await together.remember_start(session, row.id, INVITE_PREFIX + link.code, now)
    if not set_up:
        name = html.escape(inviter.first_name)
        await sender.message.reply_text(texts.BUDDY_INVITE_FIRST.format(name=name))
        return False
    reply = buddy.question_reply(inviter, link.code, texts)
    await send_replies(context, sender.message, sender.user.id, [reply])
    return True


async def _open_board(
    context: LimberContext, sender: common.Sender, link: StartLink, set_up: bool
) -> bool:
    turn = context.turn
    texts, now = turn.texts, turn.now
    async with context.services.db.read() as session:
        group = await boards.by_code(session, link.code)
    if group is None:
        await sender.message.reply_text(texts.BOARD_LINK_INVALID)
        return set_up
    title = html.escape(group.title)
    if not await board.in_group(context, group.chat_id, sender.user.id):
        await sender.message.reply_text(texts.BOARD_GROUP_ONLY.format(group=title))
        return set_up
    if not set_up:
        async with common.sender_row(context, sender) as (session, row):
            await together.remember_start(session, row.id, BOARD_PREFIX + link.code, now)
        await sender.message.reply_text(texts.BOARD_JOIN_FIRST.format(group=title))
        return False
    async with context.services.db.transaction() as session:
        replies = await _join(session, sender.user.id, link.code, now, texts)
    await send_replies(context, sender.message, sender.user.id, replies)
    await board_flush.flush(context.application, chat_ids=[group.chat_id])
    return True


async def after_onboarding(
    session: AsyncSession, row: User, now: datetime, texts: Texts
) -> list[Reply]:
    """What follows onboarding's last answer when the user came through a link: the invite
    question, or their place on the board (drawn at the board's next flush)."""
    payload = await together.pending_start(session, row.id)
    link = read_start([payload]) if payload is not None else None
    if link is None:
        return []
    if link.kind == "board":
        await together.forget_start(session, row.id)
        return await _join(session, row.id, link.code, now, texts)
    problem, inviter = await buddy.invite_problem(session, row.id, link.code, now, texts)
    if problem is not None or inviter is None:
        await together.forget_start(session, row.id)
        return [Reply(problem or texts.BUDDY_INVITE_INVALID)]
    # The pending link stays until the question is answered: it is what the answer accepts.
    return [buddy.question_reply(inviter, link.code, texts)]


async def _join(
    session: AsyncSession, user_id: int, join_code: str, now: datetime, texts: Texts
) -> list[Reply]:
    group = await boards.by_code(session, join_code)
    if group is None:
        return [Reply(texts.BOARD_LINK_INVALID)]
    member = await boards.is_member(session, group.chat_id, user_id)
    if not member and await boards.member_count(session, group.chat_id) >= BOARD_MAX_MEMBERS:
        return [Reply(texts.BOARD_FULL_TOAST.format(count=BOARD_MAX_MEMBERS))]
    await boards.join(session, group.chat_id, user_id, now)
    title = html.escape(group.title)
    return [Reply(texts.BOARD_JOINED.format(group=title), _back(group, texts))]


def _back(group: BoardGroup, texts: Texts) -> InlineKeyboardMarkup | None:
    """A button back to the board in the group: a supergroup's messages have links
    (t.me/c/<id>/<message>) that open for its members; a basic group's have none."""
    digits = str(group.chat_id)
    if not digits.startswith("-100") or group.message_id is None:
        return None
    url = f"https://t.me/c/{digits.removeprefix('-100')}/{group.message_id}"
    label = texts.BOARD_BACK_BUTTON.format(group=group.title)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
