"""/buddy: the user's buddies with their day, a nudge switch and an end button each, and a
personal invite link with a Share button; and the invite question a friend who opened the
link answers (Accept / No, thanks).

The /buddy screen and the invite question are live messages (storage.live): their buttons
act only on the newest one, checked again inside the write. An invite is a random token,
usable once, for seven days (coach.together); what makes one fail is `invite_problem`.
"""

from __future__ import annotations

import contextlib
import html
import logging
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks
from coach.buddy_view import Buddy, BuddyScreen, buddy_screen, end_question, invite_question
from coach.texts import Texts, texts_for
from coach.together import INVITE_PREFIX, MAX_BUDDIES, first_name
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import inline
from handlers.questions.asking import Reply
from storage import buddies, live, together, users
from storage.models import User

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # the invite link is shown, not previewed
MENU_PAYLOADS = (callbacks.BuddyNudge, callbacks.BuddyEnd, callbacks.BuddyMenu)


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={INVITE_PREFIX}{token}"


# ---- the /buddy screen -------------------------------------------------------------------


async def screen_of(
    session: AsyncSession, user_id: int, now: datetime, texts: Texts, bot_username: str
) -> BuddyScreen:
    """The user's /buddy screen as it stands (an invite token is made when none is live)."""
    pairs = await buddies.buddies_of(session, user_id)
    found = await together.people(session, [buddy for buddy, _ in pairs])
    people = [found[buddy] for buddy, _ in pairs if buddy in found]
    days = await together.days_of(session, people, now)
    entries = [Buddy(buddy, days[buddy], nudge) for buddy, nudge in pairs if buddy in days]
    link = None
    if len(entries) < MAX_BUDDIES:
        link = invite_link(bot_username, await buddies.live_invite(session, user_id, now))
    return buddy_screen(entries, link, texts)


def screen_markup(screen: BuddyScreen, texts: Texts) -> InlineKeyboardMarkup:
    rows = list(inline(screen.buttons).inline_keyboard)
    if screen.share_url is not None:
        rows.append((InlineKeyboardButton(texts.BUDDY_SHARE_BUTTON, url=screen.share_url),))
    return InlineKeyboardMarkup(rows)


async def buddy_command(update: Update, context: LimberContext) -> None:
    turn, message = context.turn, update.effective_message
    if turn.user is None or message is None:
        return
    async with context.services.db.transaction() as session:
        user = await users.get_user(session, turn.user.id)
        if user is None:  # the onboarding gate lets no unknown user get here
            return
        screen = await screen_of(session, user.id, turn.now, turn.texts, context.bot.username)
    sent = await message.reply_text(
        screen.text,
        reply_markup=screen_markup(screen, turn.texts),
        link_preview_options=NO_PREVIEW,
    )
    async with context.services.db.transaction() as session:
        if await users.get_user(session, turn.user.id) is not None:
            await live.remember(
                session, turn.user.id, live.BUDDY, sent.chat.id, sent.message_id, turn.now
            )


async def _menu_tap(
    update: Update, context: LimberContext, kind: type[common.P]
) -> common.Tap[common.P] | None:
    """A tap on the live /buddy screen; anything else is answered and None returned."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, kind, texts.BUDDY_MENU_EXPIRED)
    if tap is None:
        return None
    if turn.row is None:
        await tap.answer(texts.BUTTON_EXPIRED_NO_USER)
        return None
    if not await common.is_live(context, turn, live.BUDDY, tap):
        await common.expire(tap, texts.BUDDY_MENU_EXPIRED, _menu_button)
        return None
    return tap


def _menu_button(data: str | None) -> object:
    return next((found for kind in MENU_PAYLOADS if (found := kind.parse(data))), None)


async def _show(context: LimberContext, tap: common.Tap[Any], text: str, markup: Any) -> None:
    with contextlib.suppress(BadRequest):  # unchanged (a repeated tap), or gone
        await tap.query.edit_message_text(
            text, reply_markup=markup, link_preview_options=NO_PREVIEW
        )


async def nudge_button(update: Update, context: LimberContext) -> None:
    """🔔 / 🔕 on the /buddy screen: nudge me when this buddy finishes, or not."""
    turn = context.turn
    texts = turn.texts
    tap = await _menu_tap(update, context, callbacks.BuddyNudge)
    if tap is None or turn.row is None:
        return
    wanted = tap.data.on
    if wanted not in (0, 1):
        await tap.answer(texts.BUDDY_MENU_EXPIRED)
        return
    changed: bool | None = None
    screen, name = None, ""
    async with context.services.db.transaction() as session:
        if await _still_live(session, turn.row.id, tap):
            changed = await buddies.set_nudge(session, turn.row.id, tap.data.buddy, bool(wanted))
            name = await _name(session, tap.data.buddy)
            screen = await screen_of(session, turn.row.id, turn.now, texts, context.bot.username)
    if screen is None:
        await tap.answer(texts.BUDDY_MENU_EXPIRED)
        return
    if changed is None:
        await tap.answer(texts.BUDDY_GONE_TOAST)
    else:
        toast = texts.BUDDY_NUDGE_ON_TOAST if wanted else texts.BUDDY_NUDGE_OFF_TOAST
        await tap.answer(toast.format(name=name))
    await _show(context, tap, screen.text, screen_markup(screen, texts))


async def end_button(update: Update, context: LimberContext) -> None:
    """End with a buddy: first the question (sure=0), then the end itself (sure=1)."""
    turn = context.turn
    texts = turn.texts
    tap = await _menu_tap(update, context, callbacks.BuddyEnd)
    if tap is None or turn.row is None:
        return
    buddy_id, sure = tap.data.buddy, tap.data.sure
    if sure not in (0, 1):
        await tap.answer(texts.BUDDY_MENU_EXPIRED)
        return
    ended, question = False, None
    async with context.services.db.transaction() as session:
        live_now = await _still_live(session, turn.row.id, tap)
        paired = live_now and await buddies.are_buddies(session, turn.row.id, buddy_id)
        name = await _name(session, buddy_id) if paired else ""
        if paired and sure == 1:
            ended = await buddies.unpair(session, turn.row.id, buddy_id)
        elif paired:
            found = await together.people(session, [buddy_id])
            day = (await together.days_of(session, list(found.values()), turn.now))[buddy_id]
            question = end_question(Buddy(buddy_id, day, False), texts)
        screen = (
            await screen_of(session, turn.row.id, turn.now, texts, context.bot.username)
            if live_now and question is None
            else None
        )
    if not live_now:
        await tap.answer(texts.BUDDY_MENU_EXPIRED)
        return
    if question is not None:
        await tap.answer()
        await _show(context, tap, question[0], inline(question[1]))
        return
    await tap.answer(texts.BUDDY_ENDED_TOAST.format(name=name) if ended else texts.BUDDY_GONE_TOAST)
    if screen is not None:
        await _show(context, tap, screen.text, screen_markup(screen, texts))


async def menu_button(update: Update, context: LimberContext) -> None:
    """◀ Keep under the question to end a pairing: the /buddy screen again, nothing ended."""
    turn = context.turn
    tap = await _menu_tap(update, context, callbacks.BuddyMenu)
    if tap is None or turn.row is None:
        return
    async with context.services.db.transaction() as session:
        screen = await screen_of(session, turn.row.id, turn.now, turn.texts, context.bot.username)
    await tap.answer()
    await _show(context, tap, screen.text, screen_markup(screen, turn.texts))


async def _still_live(session: AsyncSession, user_id: int, tap: common.Tap[Any]) -> bool:
    """The write's own check: another instance may have sent a newer /buddy meanwhile."""
    return await live.is_live(session, user_id, live.BUDDY, tap.chat_id, tap.message_id)


async def _name(session: AsyncSession, user_id: int) -> str:
    """A user's first name for a plain-text toast ("…" for someone gone)."""
    user = await users.get_user(session, user_id)
    return first_name(user.first_name if user is not None else "")


# ---- an invite -----------------------------------------------------------------------------


async def invite_problem(
    session: AsyncSession, user_id: int, token: str, now: datetime, texts: Texts
) -> tuple[str | None, User | None]:
    """What stops `user_id` from accepting the invite `token` (None: nothing), and who sent
    it (None: nobody we know)."""
    invite = await buddies.invite(session, token)
    inviter = await users.get_user(session, invite.user_id) if invite is not None else None
    if invite is None or inviter is None:
        return texts.BUDDY_INVITE_INVALID, None
    name = html.escape(first_name(inviter.first_name))
    if inviter.id == user_id:
        return texts.BUDDY_INVITE_SELF, inviter
    if await buddies.are_buddies(session, user_id, inviter.id):
        return texts.BUDDY_ALREADY.format(name=name), inviter
    if invite.used_at is not None:
        return texts.BUDDY_INVITE_USED.format(name=name), inviter
    if invite.expires_at <= now:
        return texts.BUDDY_INVITE_EXPIRED.format(name=name), inviter
    if await buddies.count(session, user_id) >= MAX_BUDDIES:
        return texts.BUDDY_LIMIT_YOURS.format(count=MAX_BUDDIES), inviter
    if await buddies.count(session, inviter.id) >= MAX_BUDDIES:
        return texts.BUDDY_LIMIT_THEIRS.format(name=name, count=MAX_BUDDIES), inviter
    return None, inviter


def question_reply(inviter: User, token: str, texts: Texts) -> Reply:
    """The invite question, recorded as the user's live one once sent."""
    text, rows = invite_question(inviter.first_name, token, texts)
    return Reply(text, inline(rows), live_kind=live.BUDDY_INVITE)


async def answer_button(update: Update, context: LimberContext) -> None:
    """✅ Accept / No, thanks under the invite question: only the live question, only for the
    invite it asks about (kept as the user's pending link), once."""
    turn = context.turn
    texts, now = turn.texts, turn.now
    tap = await common.read_tap(update, callbacks.BuddyAnswer, texts.BUDDY_QUESTION_EXPIRED)
    if tap is None:
        return
    if turn.row is None:
        await tap.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    user_id, token, choice = turn.row.id, tap.data.token, tap.data.choice
    outcome: str | None = None  # "paired", "declined", or a problem's text
    inviter: User | None = None
    if choice in ("yes", "no") and await common.is_live(context, turn, live.BUDDY_INVITE, tap):
        async with context.services.db.transaction() as session:
            asked = await together.pending_start(session, user_id)
            if asked == INVITE_PREFIX + token and await live.is_live(
                session, user_id, live.BUDDY_INVITE, tap.chat_id, tap.message_id
            ):
                problem, inviter = await invite_problem(session, user_id, token, now, texts)
                if choice == "no":
                    outcome = "declined"
                elif problem is None and await buddies.use_invite(session, token, now):
                    assert inviter is not None
                    await buddies.pair(session, user_id, inviter.id, now)
                    outcome = "paired"
                else:  # `problem`, or the link was used (by another tap) meanwhile
                    name = html.escape(first_name(inviter.first_name)) if inviter else ""
                    outcome = problem or texts.BUDDY_INVITE_USED.format(name=name)
                await together.forget_start(session, user_id)
                await live.forget(session, user_id, live.BUDDY_INVITE)
    if outcome is None:
        await _stale_answer(context, tap, user_id, token)
        return
    name = html.escape(first_name(inviter.first_name)) if inviter is not None else ""
    await tap.answer()
    if outcome == "declined":
        await _show(context, tap, texts.BUDDY_DECLINED.format(name=name), None)
    elif outcome == "paired":
        assert inviter is not None
        await _show(context, tap, texts.BUDDY_ACCEPTED.format(name=name), None)
        await _tell_inviter(context, inviter.id, turn.row.first_name)
    else:
        await _show(context, tap, outcome, None)


async def _stale_answer(
    context: LimberContext, tap: common.Tap[Any], user_id: int, token: str
) -> None:
    """A tap on an old invite question, a second accept, or answer data tapped elsewhere:
    nothing changes; the answer says so, in the most helpful words it can."""
    texts = context.turn.texts
    async with context.services.db.read() as session:
        invite = await buddies.invite(session, token)
        inviter = await users.get_user(session, invite.user_id) if invite is not None else None
        already = inviter is not None and await buddies.are_buddies(session, user_id, inviter.id)
    if already and inviter is not None:
        name = html.escape(first_name(inviter.first_name))
        await tap.answer(texts.BUDDY_ALREADY.format(name=name))
    else:
        await tap.answer(texts.BUDDY_QUESTION_EXPIRED)
    await common.strip_buttons(tap, callbacks.BuddyAnswer.parse)


async def _tell_inviter(context: LimberContext, inviter_id: int, invitee_name: str) -> None:
    """The inviter hears, in their language, that the invite was accepted; their open /buddy
    screen shows the new buddy and a fresh link (the one it showed is used up)."""
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        found = (await together.people(session, [inviter_id])).get(inviter_id)
        shown = await live.current(session, inviter_id, live.BUDDY)
        texts = texts_for(found.language if found is not None else None)
        screen = (
            await screen_of(session, inviter_id, now, texts, context.bot.username)
            if found is not None and shown is not None
            else None
        )
    if found is None or found.blocked:
        return
    text = texts.BUDDY_ACCEPTED_INVITER.format(name=html.escape(first_name(invitee_name)))
    try:
        if shown is not None and screen is not None:
            with contextlib.suppress(BadRequest):  # deleted, or too old to edit
                await context.bot.edit_message_text(
                    screen.text,
                    *shown,
                    reply_markup=screen_markup(screen, texts),
                    link_preview_options=NO_PREVIEW,
                )
        await context.bot.send_message(found.chat_id, text)
    except Forbidden:
        log.info("The inviter has blocked the bot; the pairing stands")


async def prune_invites(context: LimberContext) -> None:
    """Hourly: invites long expired are dropped."""
    services = context.services
    async with services.db.transaction() as session:
        await buddies.prune_invites(session, services.clock.now())


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("buddy", buddy_command),
        CallbackQueryHandler(answer_button, pattern=callbacks.BuddyAnswer.pattern()),
        CallbackQueryHandler(nudge_button, pattern=callbacks.BuddyNudge.pattern()),
        CallbackQueryHandler(end_button, pattern=callbacks.BuddyEnd.pattern()),
        CallbackQueryHandler(menu_button, pattern=callbacks.BuddyMenu.pattern()),
    ]
