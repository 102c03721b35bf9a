"""Sending, editing and deleting messages through a real PTB Bot, and the checks Telegram makes
on them, with the exception types and messages PTB raises for the fake's answers."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from playground.fake_telegram import FakeTelegram
from playground.fake_types import NOT_MODIFIED, QUERY_TOO_OLD
from tests.playground.helpers import TOKEN, USER, last


def ptb_message(description: str) -> str:
    """The message PTB gives its exception for a Bot API error description."""
    return TelegramError(description).message


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


async def test_send_edit_delete_shows_in_history(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    sent = await bot.send_message(chat, "Ready?", reply_markup=keyboard("yes", "no"))
    assert sent.message_id == 2  # the user's /start was message 1: one counter per chat
    assert last(fake, chat).buttons() == [[("YES", "yes"), ("NO", "no")]]

    edited = await bot.edit_message_text("Go!", chat_id=chat, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "Go!"
    assert edited.edit_date is not None
    [user_message, bot_message] = fake.history(chat)
    assert (user_message.text, user_message.from_bot) == ("/start", False)
    # Edited in place: same id, counted, and without reply_markup the keyboard is gone.
    assert (bot_message.message_id, bot_message.text, bot_message.edits) == (2, "Go!", 1)
    assert bot_message.buttons() == []

    assert await bot.delete_message(chat, sent.message_id)
    assert [m.text for m in fake.history(chat)] == ["/start"]
    assert fake.bot_messages(chat) == []


async def test_edit_reply_markup_and_caption_in_place(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    sent = await bot.send_message(chat, "Set 1", reply_markup=keyboard("a"))
    await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=keyboard("b"))
    assert last(fake, chat).buttons() == [[("B", "b")]]
    with pytest.raises(BadRequest) as caption_on_text:
        await bot.edit_message_caption(chat, sent.message_id, caption="x")
    assert caption_on_text.value.message == ptb_message(
        "Bad Request: there is no caption in the message to edit"
    )


async def test_html_is_parsed_into_entities(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    sent = await bot.send_message(chat, "<b>Hold</b> &amp; breathe", parse_mode=ParseMode.HTML)
    assert sent.text == "Hold & breathe"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 4)]
    assert last(fake, chat).text == "Hold & breathe"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ],
)
async def test_malformed_html_is_rejected(bot: Bot, chat: int, html: str, reason: str) -> None:
    with pytest.raises(BadRequest) as error:
        await bot.send_message(chat, html, parse_mode=ParseMode.HTML)
    assert error.value.message == ptb_message(f"Bad Request: can't parse entities: {reason}")


async def test_text_limit_counts_characters_after_html(bot: Bot, chat: int) -> None:
    # 4096 visible characters pass even though the markup makes the string longer.
    await bot.send_message(chat, f"<b>{'a' * 4096}</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest) as too_long:
        await bot.send_message(chat, "a" * 4097)
    assert too_long.value.message == ptb_message("Bad Request: message is too long")
    with pytest.raises(BadRequest) as empty:
        await bot.send_message(chat, "<b></b> ", parse_mode=ParseMode.HTML)
    assert empty.value.message == ptb_message("Bad Request: message text is empty")


async def test_callback_data_must_be_1_to_64_bytes(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    await bot.send_message(chat, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes in UTF-8
    with pytest.raises(BadRequest) as error:
        await bot.send_message(chat, "too long", reply_markup=keyboard("é" * 32 + "x"))
    assert error.value.message == ptb_message("Bad Request: BUTTON_DATA_INVALID")
    assert [m.text for m in fake.bot_messages(chat)] == ["ok"]


async def test_unchanged_edit_is_not_modified(bot: Bot, chat: int) -> None:
    sent = await bot.send_message(chat, "Same", reply_markup=keyboard("a"))
    with pytest.raises(BadRequest) as error:
        await bot.edit_message_text(
            "Same", chat_id=chat, message_id=sent.message_id, reply_markup=keyboard("a")
        )
    assert error.value.message == ptb_message(NOT_MODIFIED)
    # Changing only the keyboard is a modification.
    await bot.edit_message_text(
        "Same", chat_id=chat, message_id=sent.message_id, reply_markup=keyboard("b")
    )


async def test_unknown_chat_and_missing_message(bot: Bot, chat: int) -> None:
    with pytest.raises(BadRequest) as unknown_chat:
        await bot.send_message(999_999, "hello stranger")
    assert unknown_chat.value.message == ptb_message("Bad Request: chat not found")
    with pytest.raises(BadRequest) as missing:
        await bot.edit_message_text("x", chat_id=chat, message_id=77)
    assert missing.value.message == ptb_message("Bad Request: message to edit not found")
    with pytest.raises(BadRequest) as not_ours:
        await bot.edit_message_text("x", chat_id=chat, message_id=1)  # the user's /start
    assert not_ours.value.message == ptb_message("Bad Request: message can't be edited")


async def test_a_message_sent_with_a_reply_keyboard_cannot_be_edited(bot: Bot, chat: int) -> None:
    inline_markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    for markup in (ReplyKeyboardRemove(), ReplyKeyboardMarkup([["London"]])):
        sent = await bot.send_message(chat, "Time zone set", reply_markup=markup)
        with pytest.raises(BadRequest) as error:
            await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=inline_markup)
        assert error.value.message == ptb_message("Bad Request: message can't be edited")


async def test_blocked_user_gives_forbidden_until_unblocked(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    fake.block(chat)
    with pytest.raises(Forbidden) as error:
        await bot.send_message(chat, "Time to stretch!")
    assert error.value.message == "Forbidden: bot was blocked by the user"
    fake.unblock(chat)
    await bot.send_message(chat, "Welcome back")
    assert [m.text for m in fake.bot_messages(chat)] == ["Welcome back"]


async def test_tap_and_answer_once(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    sent = await bot.send_message(chat, "Log a set", reply_markup=keyboard("set"))
    query_id = fake.tap(chat, sent.message_id, "forged:data")
    *_, update = await bot.get_updates()  # after the user's /start
    assert update.callback_query is not None
    assert (update.callback_query.id, update.callback_query.data) == (query_id, "forged:data")
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert fake.callback_answer(query_id) is None

    await bot.answer_callback_query(query_id, text="Logged ✓", show_alert=True)
    assert fake.callback_answer(query_id) == {"text": "Logged ✓", "show_alert": True, "url": None}
    for again in (query_id, "12345"):
        with pytest.raises(BadRequest) as error:
            await bot.answer_callback_query(again)
        assert error.value.message == ptb_message(QUERY_TOO_OLD)


async def test_reply_keyboard_is_kept_per_chat(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    share = ReplyKeyboardMarkup(
        [[KeyboardButton("📍 Share location", request_location=True)]], one_time_keyboard=True
    )
    await bot.send_message(chat, "Where are you?", reply_markup=share)
    shown = fake.reply_keyboard(chat)
    assert shown is not None
    assert shown["keyboard"][0][0] == {"text": "📍 Share location", "request_location": True}
    assert last(fake, chat).reply_markup == shown

    location = fake.send_location(chat, 52.52, 13.405)
    assert location["location"] == {"latitude": 52.52, "longitude": 13.405}
    assert fake.reply_keyboard(chat) is None  # one-time keyboards hide after use

    await bot.send_message(chat, "Pick a time", reply_markup=ReplyKeyboardMarkup([["7:00"]]))
    assert fake.reply_keyboard(chat) is not None
    await bot.send_message(chat, "Saved", reply_markup=ReplyKeyboardRemove())
    assert fake.reply_keyboard(chat) is None


async def test_commands_chat_action_and_token_never_recorded(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    await bot.set_my_commands([("stretch", "Start a session"), ("progress", "Your streak")])
    assert fake.commands == [
        {"command": "stretch", "description": "Start a session"},
        {"command": "progress", "description": "Your streak"},
    ]
    assert [c.command for c in await bot.get_my_commands()] == ["stretch", "progress"]
    assert await bot.send_chat_action(chat, "upload_photo")
    assert "sendChatAction" in [method for method, _ in fake.calls]
    assert TOKEN not in repr(fake.calls)
    assert TOKEN.split(":")[1] not in repr(fake.calls)


async def test_user_commands_get_entities_and_message_ids_are_shared(fake: FakeTelegram) -> None:
    first = fake.send_text(USER, "/start@limber_bot deep")
    assert first["entities"] == [{"type": "bot_command", "offset": 0, "length": 17}]
    second = fake.send_text(USER, "hello")
    assert "entities" not in second
    assert (first["message_id"], second["message_id"]) == (1, 2)
    sticker = fake.send_sticker(USER)
    assert sticker["sticker"]["is_animated"] is False
    group = fake.send_text(USER, "/stretch", chat_id=-100, chat_type="group")
    assert group["chat"]["type"] == "group"
    assert group["message_id"] == 1  # ids count per chat
