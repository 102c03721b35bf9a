"""Drawing the group boards, coalesced to keep within Telegram's 20 messages a minute per group.

Whatever changes a board (a join, a leave, a member's set, someone leaving Limber) only marks
it dirty in its own transaction (storage.boards). A flush claims the dirty boards whose group
had no board message for EDIT_SPACING, draws each one as it stands now, and edits its message
in place (or posts a new one on a new group day, or when /board asks for it at the bottom of
the chat). Changes that arrive meanwhile wait for the next flush, so thirty members finishing
within a minute cost at most one edit every EDIT_SPACING, and the last edit shows all of them.

A flush runs right after a change (the tap that made it) and from a repeating job
(`tick`), which draws what had to wait. The spacing and the claim are stored, so several
instances together keep the same pace, and a crash leaves the board dirty for the next one.
No Telegram call happens inside a transaction.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from coach import schedule
from coach.board_view import BoardView, render_board
from coach.texts import texts_for
from coach.together import board_language
from handlers.context import LimberContext, Services, services_of
from handlers.keyboards import inline
from handlers.media import is_not_modified
from storage import boards, together
from storage.boards import Board

log = logging.getLogger(__name__)

# One board message to a group at most every 4 s: 15 a minute, leaving 5 of Telegram's 20 for
# the answers to /board. A new board (a new day, or /board) is two messages: the new one,
# and the old one's buttons taken away; it takes two slots.
EDIT_SPACING = timedelta(seconds=4)
# A flush that dies holds its boards this long at most.
LEASE = timedelta(seconds=60)
# A board Telegram refused to show is tried again after this long (then EDIT_SPACING).
REFUSED_PAUSE = timedelta(minutes=10)


@dataclass(frozen=True)
class Drawing:
    """A claimed board and what it should show now."""

    board: Board
    day: date  # the group's day, in the board's zone
    view: BoardView


async def tick(context: LimberContext) -> None:
    """The JobQueue callback, every BOARD_TICK_SECONDS: draw the boards that had to wait."""
    await flush(context.application)


async def flush(application: Any, *, chat_ids: list[int] | None = None) -> int:
    """Draw every dirty board that may be drawn now (of `chat_ids` only, when given);
    returns how many messages went to groups."""
    services = services_of(application)
    now = services.clock.now()
    async with services.db.transaction() as session:
        claimed = await boards.claim_due(
            session, now, spacing=EDIT_SPACING, lease=LEASE, chat_ids=chat_ids
        )
        drawings = [await _drawing(session, board, now) for board in claimed]
    sent = 0
    for drawing in drawings:
        sent += await _draw(application.bot, services, drawing)
    return sent


async def _drawing(session: AsyncSession, board: Board, now: datetime) -> Drawing:
    """The board as it stands: its members in order of joining, each with their own today,
    in the language most of them speak (coach.together.board_language)."""
    ids = await boards.member_ids(session, board.chat_id)
    found = await together.people(session, ids)
    people = [found[user_id] for user_id in ids if user_id in found]
    days = await together.days_of(session, people, now)
    texts = texts_for(board_language([p.language for p in people], board.language))
    day = schedule.user_stretch_day(board.time_zone, now)
    members = [days[p.user_id] for p in people]
    return Drawing(board, day, render_board(board.chat_id, day, board.time_zone, members, texts))


async def _draw(bot: Bot, services: Services, drawing: Drawing) -> int:
    """Edit the board message (or post a new one), then record it; returns messages sent."""
    board, view = drawing.board, drawing.view
    now = services.clock.now()
    calls, message_id = 0, board.message_id
    try:
        current = board.message_id is not None and board.day == drawing.day
        if current and board.shown == view.shown:
            pass  # drawn already: nothing changed since
        elif current and board.message_id is not None:
            calls, message_id = await _edit(bot, board.chat_id, board.message_id, view)
        else:
            calls, message_id = await _post(bot, board, view)
    except Forbidden:
        # The bot is no longer in the group: its board ends with it.
        async with services.db.transaction() as session:
            await boards.end(session, board.chat_id)
        return 0
    except TelegramError as error:
        async with services.db.transaction() as session:
            await boards.release(session, board, sent_at=_retry_slot(error, now, calls))
        return calls
    assert message_id is not None
    async with services.db.transaction() as session:
        await boards.drawn(
            session,
            board,
            day=drawing.day,
            message_id=message_id,
            shown=view.shown,
            sent_at=_slot(now, calls),
        )
    return calls


def _retry_slot(error: TelegramError, now: datetime, calls: int) -> datetime | None:
    """When the group counts as last written to, after a draw that failed: a 429 or a network
    failure is tried again at the next slot; a refusal (no right to write there any more,
    the group became a supergroup, ...) only after REFUSED_PAUSE, not every few seconds.
    (PTB's BadRequest is a kind of NetworkError.)"""
    if isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    ):
        return _slot(now, calls)
    log.warning("Board of a group refused: %s", error)
    return now + REFUSED_PAUSE


def _slot(now: datetime, calls: int) -> datetime | None:
    """When the group's last board message counts as sent: each message takes one spacing
    slot, so two (a new board and the old one's buttons) push the next one back twice."""
    return None if calls == 0 else now + EDIT_SPACING * (calls - 1)


async def _edit(bot: Bot, chat_id: int, message_id: int, view: BoardView) -> tuple[int, int]:
    try:
        await bot.edit_message_text(
            view.text, chat_id, message_id, reply_markup=inline(view.buttons)
        )
    except BadRequest as error:
        if is_not_modified(error):
            return 1, message_id
        # Deleted by an admin, or too old to edit: the board goes on in a new message.
        sent = await bot.send_message(chat_id, view.text, reply_markup=inline(view.buttons))
        return 2, sent.message_id
    return 1, message_id


async def _post(bot: Bot, board: Board, view: BoardView) -> tuple[int, int]:
    """Today's board as a new message; yesterday's (or the one /board replaced) keeps what it
    showed but loses its buttons."""
    sent = await bot.send_message(board.chat_id, view.text, reply_markup=inline(view.buttons))
    if board.message_id is None:
        return 1, sent.message_id
    with contextlib.suppress(BadRequest):  # deleted meanwhile, or without buttons already
        await bot.edit_message_reply_markup(board.chat_id, board.message_id, reply_markup=None)
    return 2, sent.message_id
