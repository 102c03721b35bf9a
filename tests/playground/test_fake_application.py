"""The real, unchanged PTB Application long polling the fake over HTTP: a command gets a reply
with a button, a tap is answered and edits the message in place."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from playground.fake_telegram import FakeTelegram
from tests.playground.helpers import TOKEN, USER, last


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    button = InlineKeyboardButton("Log set", callback_data="v1:set:1")
    await update.effective_message.reply_text(
        "<b>Ready</b> for set 1?", parse_mode="HTML", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def log_set(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Logged")
    await query.edit_message_text("Set 1 ✓")


async def test_application_polls_replies_and_edits(fake: FakeTelegram, api_url: str) -> None:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=2))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(log_set, pattern=r"^v1:set:"))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10)
        try:
            fake.send_text(USER, "/start@limber_bot")
            reply = await fake.wait_for(lambda: fake.last_bot_message(USER))
            assert reply.text == "Ready for set 1?"
            assert reply.buttons() == [[("Log set", "v1:set:1")]]

            query_id = fake.tap(USER, reply.message_id, "v1:set:1")
            answer = await fake.wait_for(lambda: fake.callback_answer(query_id))
            assert answer["text"] == "Logged"
            await fake.wait_for(lambda: last(fake, USER).edits == 1)
            assert last(fake, USER).text == "Set 1 ✓"
            assert len(fake.bot_messages(USER)) == 1  # edited in place, not re-sent
        finally:
            await app.updater.stop()
            await app.stop()
    assert TOKEN not in repr(fake.calls)
