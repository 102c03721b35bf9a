"""The foundation, end to end: welcome, help, command menu, groups, odd input, errors, secrecy."""

from __future__ import annotations

import io
import logging

from sqlalchemy import text
from telegram import Update

from bot.logging_setup import configure_logging
from coach.texts import ENGLISH
from storage.models import USER_TABLES, Base
from tests.harness import TOKEN, Harness

USER = 4242


async def test_start_welcomes_with_safety_note(harness: Harness) -> None:
    await harness.send(USER, "/start", first_name="Mia <3")
    welcome = next(m.text or "" for m in harness.fake.bot_messages(USER))
    assert "Hi Mia <3!" in welcome  # the name is shown as typed, not read as markup
    assert ENGLISH.SAFETY in welcome


async def test_help_lists_every_command_and_credits_the_article(harness: Harness) -> None:
    await harness.send(USER, "/help")
    reply = harness.last(USER).text or ""
    for command, description in ENGLISH.COMMANDS:
        assert f"/{command} — {description}" in reply
    assert "Healthy Back Stretches" in reply
    assert "Dr. Ben Kim" in reply


async def test_command_menu_matches_help(harness: Harness) -> None:
    menu = [(c["command"], c["description"]) for c in harness.fake.commands]
    assert menu == list(ENGLISH.COMMANDS)


async def test_group_command_gets_a_private_link_and_nothing_else(harness: Harness) -> None:
    group = -100555
    await harness.send(USER, "/stretch", chat_id=group, chat_type="group")
    reply = harness.last(group).text or ""
    assert "https://t.me/limber_bot?start=" in reply
    assert len(harness.fake.bot_messages(group)) == 1
    assert harness.fake.bot_messages(USER) == []


async def test_group_commands_for_another_bot_are_left_to_it(harness: Harness) -> None:
    group = -100557
    for command in ("/help@OtherBot", "/start@OtherBot", "/stretch@other_bot now"):
        await harness.send(USER, command, chat_id=group, chat_type="group")
    assert harness.fake.bot_messages(group) == []
    await harness.send(USER, "/help@Limber_Bot", chat_id=group, chat_type="group")
    assert "https://t.me/limber_bot?start=" in (harness.last(group).text or "")


async def test_group_chatter_is_ignored(harness: Harness) -> None:
    group = -100556
    await harness.send(USER, "nice weather", chat_id=group, chat_type="group")
    assert harness.fake.bot_messages(group) == []


async def test_sticker_and_unknown_command_get_friendly_answers(harness: Harness) -> None:
    await harness.set_up(USER)
    await harness.send_sticker(USER)
    assert harness.last(USER).text == ENGLISH.UNSUPPORTED_MESSAGE
    await harness.send(USER, "/dance")
    assert harness.last(USER).text == ENGLISH.UNKNOWN_COMMAND


async def test_forged_button_gets_expired_toast(harness: Harness) -> None:
    await harness.send(USER, "/help")
    message = harness.last(USER)
    for data in ("v1:nonsense", "garbage", "v0:stretch", "v1:stretch:" + "9" * 40):
        answer = await harness.tap(USER, message.message_id, data)
        assert answer is not None
        assert answer["text"] == ENGLISH.BUTTON_EXPIRED


async def test_an_error_is_apologised_for_once_and_the_token_never_logged(harness: Harness) -> None:
    configure_logging("DEBUG", TOKEN)
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)

    await harness.send(USER, "/start")
    # Break the database under the running bot: the next update fails inside a handler.
    async with harness.services.db.transaction() as session:
        # Every table that names a user first, so the foreign keys let each drop through.
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in {"users", *(m.__tablename__ for m in USER_TABLES)} or any(
                key.column.table.name == "users" for key in table.foreign_keys
            ):
                await session.execute(text(f"DROP TABLE {table.name}"))
    before = len(harness.fake.bot_messages(USER))
    await harness.send(USER, "/start")

    # One apology, and nothing after it: the handlers behind the one that failed do not run.
    assert [m.text for m in harness.fake.bot_messages(USER)[before:]] == [ENGLISH.ERROR_GENERIC]
    output = stream.getvalue()
    assert "Unhandled error while handling an update" in output
    assert "Traceback" in output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


async def test_an_edited_message_runs_nothing_again(harness: Harness) -> None:
    sent = await harness.send(USER, "/start")
    before = len(harness.fake.bot_messages(USER))
    edited = {**sent, "text": "/deleteme", "edit_date": sent["date"] + 5}
    edited["entities"] = [{"type": "bot_command", "offset": 0, "length": len("/deleteme")}]
    update = Update.de_json({"update_id": 10_000, "edited_message": edited}, harness.app.bot)
    await harness.app.process_update(update)
    assert len(harness.fake.bot_messages(USER)) == before
