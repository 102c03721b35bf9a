"""The outside trial's users, through the bot: a zone and a reminder time typed in their own
language and script ("Москва", "в 7 вечера", "Wien", "19 Uhr") are understood at once."""

from __future__ import annotations

from datetime import time

import pytest

from coach.texts import texts_for
from tests.harness import Harness

USER = 7401


@pytest.mark.parametrize(
    ("code", "place", "zone", "typed", "reminder"),
    [
        ("ru", "Москва", "Europe/Moscow", "в 7 вечера", time(19, 0)),
        ("ru", "Санкт-Петербург", "Europe/Moscow", "19:30 ч", time(19, 30)),
        ("ru", "Новосибирск", "Asia/Novosibirsk", "7 утра", time(7, 0)),
        ("de", "Wien", "Europe/Vienna", "19 Uhr", time(19, 0)),
        ("de", "München", "Europe/Berlin", "7 Uhr abends", time(19, 0)),
        ("pt-br", "Lisboa", "Europe/Lisbon", "7h da noite", time(19, 0)),
        ("pt-br", "São Paulo", "America/Sao_Paulo", "meio-dia", time(12, 0)),
        ("es-419", "Nueva York", "America/New_York", "a las 7 de la tarde", time(19, 0)),
    ],
)
async def test_onboarding_in_the_users_own_words(
    harness: Harness, code: str, place: str, zone: str, typed: str, reminder: time
) -> None:
    await harness.send(USER, "/start", language_code=code)
    await harness.send(USER, place, language_code=code)
    user = await harness.stored_user(USER)
    assert user.time_zone == zone
    spoken = texts_for(user.language)
    assert harness.last(USER).text == spoken.ASK_TIME
    await harness.send(USER, typed, language_code=code)
    user = await harness.stored_user(USER)
    assert (user.reminder_time, user.awaiting) == (reminder, None)


async def test_a_country_in_the_users_language_offers_its_zones(harness: Harness) -> None:
    await harness.send(USER, "/start", language_code="ru")
    await harness.send(USER, "Россия", language_code="ru")
    spoken = texts_for("ru")
    assert harness.last(USER).text == spoken.ZONE_CHOOSE.format(place="Россия")
    assert (await harness.stored_user(USER)).time_zone is None  # nothing chosen yet


async def test_a_time_that_could_be_two_gets_the_hint(harness: Harness) -> None:
    await harness.send(USER, "/start", language_code="ru")
    await harness.send(USER, "Москва", language_code="ru")
    await harness.send(USER, "в 13 вечера", language_code="ru")
    spoken = texts_for("ru")
    assert harness.last(USER).text == spoken.TIME_HINT
    assert (await harness.stored_user(USER)).reminder_time is None
