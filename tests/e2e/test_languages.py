"""Limber in five languages, end to end: the language Telegram says a user speaks, /language
and its settings entry, and the bot's own surfaces (commands, descriptions) per language."""

from __future__ import annotations

import re

import pytest

from bot.app import set_bot_surfaces
from coach import callbacks, i18n
from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH, texts_for
from storage.models import User
from tests.harness import Harness, button_data

USER = 7301
TELEGRAM_CODE = {"es": "es-419", "pt_BR": "pt-br", "ru": "ru", "de": "de"}
_TAGS = re.compile(r"<[^>]+>")


def plain(html_text: str) -> str:
    """What the user reads of an HTML text (the fake parses entities as Telegram does)."""
    return _TAGS.sub("", html_text).replace("&lt;", "<").replace("&amp;", "&")


@pytest.mark.parametrize("language", i18n.TRANSLATED)
async def test_onboarding_and_a_whole_session_in_the_users_language(
    harness: Harness, language: str
) -> None:
    code = TELEGRAM_CODE[language]
    routine = load_routine()
    await harness.send(USER, "/start", language_code=code)
    spoken = texts_for(language)
    welcome, safety = plain(spoken.WELCOME.format(name="Ann")), spoken.SAFETY
    share, done = spoken.SHARE_LOCATION_BUTTON, plain(spoken.ONBOARDING_DONE.split("{")[0])
    texts_seen = [m.text or "" for m in harness.fake.bot_messages(USER)]
    assert any(welcome in text for text in texts_seen), texts_seen
    assert any(safety in text for text in texts_seen)
    assert any(share in str(m.reply_markup) for m in harness.fake.bot_messages(USER))
    await harness.send(USER, "Berlin", language_code=code)
    await harness.send(USER, "7:30", language_code=code)
    assert (harness.last(USER).text or "").startswith(done)
    assert (await harness.stored_user(USER)).language == language

    await harness.send(USER, "/stretch", language_code=code)
    spoken = texts_for(language)
    intro = harness.last(USER).caption or ""
    assert plain(spoken.SESSION_INTRO_TITLE) in intro and spoken.gettext(routine.safety) in intro
    await harness.tap_button(USER, harness.last(USER), spoken.SESSION_BTN_START)
    for stretch in routine.stretches:
        for side in SIDES:
            for step in stretch.steps:
                caption = harness.last(USER).caption or ""
                assert (
                    spoken.gettext(step.title) in caption
                    and plain(step.caption(side, spoken)) in caption
                )
                await harness.tap_button(USER, harness.last(USER), spoken.SESSION_BTN_NEXT)
            assert plain(stretch.hold.caption(side, spoken)) in (harness.last(USER).caption or "")
            for number in (1, 2, 3):
                label = spoken.SESSION_BTN_SET_DONE.format(number=number)
                answer = await harness.tap_button(USER, harness.last(USER), label)
                assert answer["text"] == spoken.SESSION_SET_LOGGED.format(number=number)
            last = stretch is routine.stretches[-1] and side == SIDES[-1]
            label = spoken.SESSION_BTN_FINISH if last else spoken.SESSION_BTN_NEXT
            await harness.tap_button(USER, harness.last(USER), label)
    summary = harness.last(USER).caption or ""
    assert plain(spoken.SESSION_SUMMARY_DONE) in summary
    assert plain(spoken.SESSION_STREAK.format(current=1, days=spoken.days_word(1), best=1)) in (
        summary
    )
    assert spoken.FEEL_QUESTION in summary
    assert "Today" not in summary and "Streak" not in summary


async def test_an_unknown_telegram_language_gets_english(harness: Harness) -> None:
    await harness.send(USER, "/start", language_code="fr")
    assert (await harness.stored_user(USER)).language == "en"
    assert ENGLISH.SHARE_LOCATION_BUTTON in str(harness.last(USER).reply_markup)


async def test_language_switches_in_the_middle_of_a_session(harness: Harness) -> None:
    routine = load_routine()
    await harness.send(USER, "/stretch")
    session = harness.last(USER)
    await harness.tap_button(USER, session, ENGLISH.SESSION_BTN_START)
    first = routine.stretches[0].steps[0]
    assert first.title in (harness.last(USER).caption or "")

    await harness.send(USER, "/language")
    question = harness.last(USER)
    assert question.text == ENGLISH.LANGUAGE_ASK
    assert f"•{i18n.NAMES['en']}•" in str(question.reply_markup)  # the current one, marked
    answer = await harness.tap_button(USER, question, "Deutsch")
    spoken = texts_for("de")
    assert answer["text"] == spoken.LANGUAGE_SET_TOAST
    assert harness.fake.bot_messages(USER)[-1].text == spoken.LANGUAGE_SET
    second = spoken.gettext(routine.stretches[0].steps[1].title)
    assert (await harness.stored_user(USER)).language == "de"

    # The open session (its buttons still English) speaks German from its next screen on;
    # the English Telegram reports for the user is overruled by the choice.
    shown = harness.fake.bot_messages(USER)[0]
    assert shown.message_id == session.message_id
    await harness.tap_button(USER, shown, ENGLISH.SESSION_BTN_NEXT)
    caption = harness.fake.bot_messages(USER)[0].caption or ""
    assert second in caption and "Schritt 2 von 5" in caption

    await harness.send(USER, "/settings")
    spoken = texts_for("de")
    menu = harness.last(USER)
    assert "Sprache: Deutsch" in (menu.text or "")
    await harness.tap_button(USER, menu, spoken.SETTINGS_BUTTON_LANGUAGE)
    assert harness.last(USER).text == spoken.LANGUAGE_ASK
    await harness.tap_button(USER, harness.last(USER), "Русский")
    assert (await harness.stored_user(USER)).language == "ru"
    await harness.send(USER, "/help")
    assert "Limber" in (harness.last(USER).text or "")
    spoken = texts_for("ru")
    assert spoken.COMMANDS[0][1] in (harness.last(USER).text or "")


async def test_every_session_tap_speaks_the_chosen_language_not_telegrams(
    harness: Harness,
) -> None:
    """The session's buttons read the language with the row they check (issue 11): a tap
    that gets that far, one refused before it (a day that is not a number), and ones refused
    after it (an older copy of the session, a timer for a hold not shown) all answer in the
    user's choice, German, though their Telegram app says Spanish."""
    first = load_routine().stretches[0]
    await harness.send(USER, "/stretch", language_code="es")
    older = harness.last(USER)
    await harness.send(USER, "/language", language_code="es")
    await harness.tap_button(USER, harness.last(USER), "Deutsch")
    await harness.send(USER, "/stretch", language_code="es")  # re-sent: the older copy is stale
    live = harness.last(USER)
    assert live.message_id != older.message_id
    spoken = texts_for("de")
    start = button_data(live, spoken.SESSION_BTN_START)
    tapped = callbacks.GoTo.parse(start)
    assert tapped is not None

    spoken = texts_for("de")
    await harness.tap(USER, live.message_id, start)
    assert spoken.gettext(first.steps[0].title) in (harness.last(USER).caption or "")
    timer = callbacks.HoldTimer(tapped.day, first.key, "left").encode()
    refused = [
        await harness.tap(USER, live.message_id, f"v1:sgo:today:{tapped.screen}"),
        await harness.tap(USER, older.message_id, start),
        await harness.tap(USER, live.message_id, timer),
    ]
    assert [answer and answer["text"] for answer in refused] == [spoken.BUTTON_EXPIRED] * 3
    german = spoken.BUTTON_EXPIRED
    spoken = texts_for("es")
    assert german != spoken.BUTTON_EXPIRED


async def test_commands_and_descriptions_are_set_per_language(harness: Harness) -> None:
    fake = harness.fake
    for language in i18n.LANGUAGES:
        code = "" if language == "en" else language.split("_")[0]
        spoken = texts_for(language)
        commands = [{"command": c, "description": d} for c, d in spoken.COMMANDS]
        assert fake.command_scopes[f"default::{code}"] == commands
        assert fake.descriptions[code] == spoken.BOT_DESCRIPTION
        assert fake.short_descriptions[code] == spoken.BOT_SHORT_DESCRIPTION
    assert fake.descriptions["de"].startswith("Limber führt dich jeden Tag")
    assert fake.command_scopes["default::"] == fake.commands  # what the / menu shows by default

    # A restart reads them and sets nothing that is already right.
    before = len(fake.calls)
    await set_bot_surfaces(harness.app.bot)
    methods = [method for method, _ in fake.calls[before:] if method != "getUpdates"]
    assert methods and all(method.startswith("getMy") for method in methods), methods


async def test_only_the_newest_language_question_acts_and_only_on_itself(
    harness: Harness,
) -> None:
    await harness.send(USER, "/language")
    older = harness.last(USER)
    await harness.send(USER, "/language")
    newest = harness.last(USER)
    german = callbacks.ChooseLanguage("de").encode()

    # An older copy: expired, its buttons go, nothing changes.
    answer = await harness.tap(USER, older.message_id, german)
    assert answer is not None and answer["text"] == ENGLISH.LANGUAGE_EXPIRED
    assert harness.fake.bot_messages(USER)[0].buttons() == []
    assert (await harness.stored_user(USER)).language != "de"

    # The same data on another kind of message (the session) changes nothing, not even it.
    await harness.send(USER, "/stretch")
    session = harness.last(USER)
    answer = await harness.tap(USER, session.message_id, german)
    assert answer is not None and answer["text"] == ENGLISH.LANGUAGE_EXPIRED
    assert harness.last(USER).caption == session.caption and harness.last(USER).buttons()
    assert (await harness.stored_user(USER)).language != "de"

    # Two taps on the newest: the first chooses, the second finds it answered.
    first = harness.fake.tap(USER, newest.message_id, german)
    second = await harness.tap(USER, newest.message_id, callbacks.ChooseLanguage("ru").encode())
    spoken = texts_for("de")
    first_answer = harness.fake.callback_answer(first)
    assert first_answer is not None and first_answer["text"] == spoken.LANGUAGE_SET_TOAST
    assert second is not None and second["text"] == spoken.LANGUAGE_EXPIRED  # in German now
    assert (await harness.stored_user(USER)).language == "de"

    # After /deleteme, a question asked before re-creates nobody.
    await harness.send(USER, "/language")
    question = harness.last(USER)
    await harness.send(USER, "/deleteme")
    spoken = texts_for("de")
    await harness.tap_button(USER, harness.last(USER), spoken.DELETE_BUTTON_YES)
    answer = await harness.tap(USER, question.message_id, german)
    assert answer is not None and answer["text"] == ENGLISH.BUTTON_EXPIRED_NO_USER
    async with harness.services.db.transaction() as session_db:
        assert await session_db.get(User, USER) is None
