"""Flows that stay whole: /language in the middle of a question asks it again in the new
language; after /deleteme (or before /start) any command starts onboarding instead of making a
half account; the chosen language is the chat's own "/" menu."""

from __future__ import annotations

from coach import i18n
from coach.texts import ENGLISH, texts_for
from handlers.questions.asking import Awaiting
from storage.models import User
from tests.harness import Harness
from tests.helpers import ANN

GERMAN = texts_for("de")
RUSSIAN = texts_for("ru")


def _plain(html: str) -> str:
    return html.replace("<b>", "").replace("</b>", "")


async def test_language_in_the_middle_of_onboarding_asks_the_question_again(
    harness: Harness,
) -> None:
    h = harness
    await h.send(ANN, "/start")
    assert (h.last(ANN).text or "").startswith(_plain(ENGLISH.ASK_ZONE)[:20])
    await h.send(ANN, "/language")
    await h.tap_button(ANN, h.last(ANN), i18n.NAMES["de"])
    asked = h.last(ANN)
    assert (asked.text or "").startswith(_plain(GERMAN.ASK_ZONE)[:20])
    assert GERMAN.SHARE_LOCATION_BUTTON in str(asked.reply_markup)  # the keyboard is back
    assert (await h.stored_user(ANN)).awaiting == Awaiting.ONBOARDING_ZONE
    await h.send(ANN, "Wien")
    assert (await h.stored_user(ANN)).time_zone == "Europe/Vienna"
    assert (h.last(ANN).text or "") == _plain(GERMAN.ASK_TIME)


async def test_after_deleteme_any_command_starts_onboarding(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/deleteme")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.DELETE_BUTTON_YES)
    for command in ("/stretch", "/settings", "/progress", "/pause"):
        before = len(h.fake.bot_messages(ANN))
        await h.send(ANN, command)
        welcome, question = h.fake.bot_messages(ANN)[before:]
        assert ENGLISH.SAFETY in (welcome.text or ""), command
        assert (question.text or "").startswith(_plain(ENGLISH.ASK_ZONE)[:20]), command
        stored = await h.stored_user(ANN)
        assert stored.time_zone is None and stored.awaiting == Awaiting.ONBOARDING_ZONE
    # What is left of the user is onboarding: answering it sets them up whole.
    await h.send(ANN, "Berlin")
    await h.send(ANN, "7:30")
    stored = await h.stored_user(ANN)
    assert stored.time_zone == "Europe/Berlin" and stored.next_reminder_at is not None
    await h.send(ANN, "/settings")
    assert (h.last(ANN).text or "").startswith("⚙️ Settings")


async def test_the_chosen_language_is_the_chats_own_menu(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/language")
    await h.tap_button(ANN, h.last(ANN), i18n.NAMES["ru"])
    russian = [{"command": c, "description": d} for c, d in RUSSIAN.COMMANDS]
    assert h.fake.command_scopes[f"chat:{ANN}:"] == russian
    assert h.fake.commands_for(ANN) == russian  # what the chat's "/" shows
    await h.send(ANN, "/deleteme")
    await h.tap_button(ANN, h.last(ANN), RUSSIAN.DELETE_BUTTON_YES)
    assert f"chat:{ANN}:" not in h.fake.command_scopes
    async with h.services.db.read() as session:
        assert await session.get(User, ANN) is None
