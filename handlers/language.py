"""/language (and the settings menu's 🌐 entry): which of our languages the bot speaks.

The choice is stored in users.language and used from the next update on (handlers.turn);
the answer to the tap is already in the new language. Only the newest question acts, once
(`storage.live`, as for the other questions): a tap on an older one, on another kind of
message, or after /deleteme answers that it expired and changes nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks
from coach.language_view import language_keyboard, parse_language
from coach.texts import texts_for
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import inline
from handlers.questions.asking import Reply, send_replies
from storage import live, users


async def show_languages(update: Update, context: LimberContext) -> None:
    sender = common.sender_of(update)
    if sender is None:
        return
    async with common.sender_row(context, sender):
        pass  # a first contact by /language creates the row, as every command does
    await ask(context, sender.message, sender.user.id)


async def ask(context: LimberContext, message: Message, user_id: int) -> None:
    """Send the question to the chat of `message`; it becomes the live one."""
    texts = context.turn.texts
    markup = inline(language_keyboard(texts))
    question = Reply(texts.LANGUAGE_ASK, markup, live_kind=live.LANGUAGE)
    await send_replies(context, message, user_id, [question])


async def on_language_button(update: Update, context: LimberContext) -> None:
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.ChooseLanguage, texts.SETTINGS_OUT_OF_RANGE)
    if tap is None:
        return
    language = parse_language(tap.query.data)
    if language is None:
        await tap.query.answer(texts.SETTINGS_OUT_OF_RANGE)
        return
    if turn.row is None:
        await tap.query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    chosen = await common.is_live(context, turn, live.LANGUAGE, tap)
    if chosen:
        async with context.services.db.transaction() as session:
            row = await users.get_user(session, turn.row.id)
            chosen = row is not None and await live.is_live(
                session, row.id, live.LANGUAGE, tap.chat_id, tap.message_id
            )
            if row is not None and chosen:
                users.set_language(row, language)
                await live.forget(session, row.id, live.LANGUAGE)  # answered: it acts no more
    if not chosen:
        await common.expire(tap, texts.LANGUAGE_EXPIRED, parse_language)
        return
    # The answer is already in the new language.
    spoken = texts_for(language)
    await tap.query.answer(spoken.LANGUAGE_SET_TOAST)
    await tap.query.edit_message_text(spoken.LANGUAGE_SET)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("language", show_languages),
        CallbackQueryHandler(on_language_button, pattern=callbacks.ChooseLanguage.pattern()),
    ]
