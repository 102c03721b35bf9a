"""Time zones as people type them: abbreviations, countries, POSIX names, through the bot."""

from __future__ import annotations

from coach.texts import ENGLISH
from playground.fake_types import ChatMessage
from storage.models import User
from tests.harness import Harness

ANN, BEN, CY = 5301, 5302, 5303

# The clock fixture: Tuesday 2026-11-24 08:00 UTC, winter in the north.


def _texts(h: Harness, uid: int) -> list[str]:
    return [m.text or "" for m in h.fake.bot_messages(uid)]


def _now(h: Harness, uid: int, message: ChatMessage) -> ChatMessage:
    """The message as the user sees it now (edits applied)."""
    return next(m for m in h.fake.bot_messages(uid) if m.message_id == message.message_id)


def _labels(message: object) -> list[str]:
    return [text for row in message.buttons() for text, _ in row]  # type: ignore[attr-defined]


async def test_an_abbreviation_keeps_daylight_saving_and_can_be_corrected(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "EST")
    confirmation, guessed, question = h.fake.bot_messages(ANN)[-3:]
    assert (await h.stored_user(ANN)).time_zone == "America/New_York"
    expected = "EST → America/New_York, UTC-05:00 now, UTC-04:00 in summer"
    assert expected in (confirmation.text or "")
    assert h.fake.reply_keyboard(ANN) is None  # the location keyboard is gone
    assert guessed.text == ENGLISH.ZONE_GUESSED
    assert _labels(guessed) == [ENGLISH.ZONE_PICK_ANOTHER_BUTTON]
    assert question.text == ENGLISH.ASK_TIME

    # A wrong guess: pick another, and onboarding carries on with the time question.
    await h.tap_button(ANN, guessed, ENGLISH.ZONE_PICK_ANOTHER_BUTTON)
    assert _now(h, ANN, guessed).buttons() == []  # it acts once
    await h.send(ANN, "Jamaica")
    assert (await h.stored_user(ANN)).time_zone == "America/Jamaica"
    assert _texts(h, ANN)[-1] == ENGLISH.ASK_TIME
    await h.send(ANN, "7:30")
    assert "America/Jamaica" in _texts(h, ANN)[-1]
    assert (await h.stored_user(ANN)).awaiting is None


async def test_a_country_with_several_zones_offers_them(harness: Harness) -> None:
    h = harness
    await h.send(BEN, "/start")
    await h.send(BEN, "/timezone USA")
    choice = h.last(BEN)
    assert choice.text == ENGLISH.ZONE_CHOOSE.format(place="United States")
    labels = _labels(choice)
    assert "New York (UTC-05:00)" in labels and "Honolulu (UTC-10:00)" in labels
    assert (await h.stored_user(BEN)).time_zone is None  # nothing chosen yet

    denver = next(d for row in choice.buttons() for t, d in row if t.startswith("Denver"))
    await h.tap_button(BEN, choice, "Chicago (UTC-06:00)")
    assert (await h.stored_user(BEN)).time_zone == "America/Chicago"
    confirmation, guessed, question = _texts(h, BEN)[-3:]
    assert "United States → America/Chicago, UTC-06:00 now" in confirmation
    assert guessed == ENGLISH.ZONE_GUESSED
    assert question == ENGLISH.ASK_TIME  # mid-onboarding: the time question follows
    assert _now(h, BEN, choice).buttons() == []  # answered: no buttons left
    # Another of its choices, tapped from a second client that still shows them, does nothing.
    answer = await h.tap(BEN, choice.message_id, str(denver))
    assert answer is not None and answer["text"] == ENGLISH.ZONE_CHOICE_EXPIRED
    assert (await h.stored_user(BEN)).time_zone == "America/Chicago"


async def test_countries_with_one_zone_and_posix_names(harness: Harness) -> None:
    h = harness
    await h.send(CY, "/start")
    await h.send(CY, "India")
    assert "India → Asia/Kolkata (UTC+05:30)" in _texts(h, CY)[-3]
    await h.send(CY, "/timezone Etc/GMT+5")  # POSIX: five hours *behind* UTC
    assert (await h.stored_user(CY)).time_zone == "UTC-05:00"
    assert "Etc/GMT" not in _texts(h, CY)[-1]
    await h.send(CY, "/timezone Germany")
    assert (await h.stored_user(CY)).time_zone == "Europe/Berlin"
    await h.send(CY, "/timezone Narnia")
    assert _texts(h, CY)[-1] == ENGLISH.ZONE_HINT.format(examples=ENGLISH.ZONE_EXAMPLES)
    assert (await h.stored_user(CY)).time_zone == "Europe/Berlin"


async def test_country_choices_after_onboarding_and_old_buttons_after_deleteme(
    harness: Harness,
) -> None:
    h = harness
    await h.send(CY, "/start")
    await h.send(CY, "Berlin")
    await h.send(CY, "7:30")
    await h.send(CY, "/timezone Brazil")
    choice = h.last(CY)
    assert choice.text == ENGLISH.ZONE_CHOOSE.format(place="Brazil")
    await h.tap_button(CY, choice, "Sao Paulo (UTC-03:00)")
    assert (await h.stored_user(CY)).time_zone == "America/Sao_Paulo"
    guessed = h.last(CY)
    assert "Brazil → America/Sao_Paulo" in _texts(h, CY)[-2]
    assert "Next reminder" in _texts(h, CY)[-2]

    await h.send(CY, "/deleteme")
    await h.tap_button(CY, h.last(CY), ENGLISH.DELETE_BUTTON_YES)
    answer = await h.tap_button(CY, guessed, ENGLISH.ZONE_PICK_ANOTHER_BUTTON)
    assert answer["text"] == ENGLISH.BUTTON_EXPIRED_NO_USER
    async with h.services.db.transaction() as session:
        assert await session.get(User, CY) is None  # nobody was re-created
