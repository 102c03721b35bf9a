"""The zone question's buttons are places the user's language lives in, each read back as a
zone; a country's choices name their cities in the user's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coach import i18n, zones
from coach.texts import texts_for
from coach.zone_view import choices_keyboard, country_label

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_suggested_place_is_read_as_a_zone(language: str) -> None:
    texts = texts_for(language)
    assert len(set(texts.ZONE_EXAMPLE_BUTTONS)) == 4
    for place in texts.ZONE_EXAMPLE_BUTTONS:
        assert zones.parse_zone(place) is not None, (language, place)


def test_the_suggestions_follow_the_language() -> None:
    assert texts_for("ru").ZONE_EXAMPLE_BUTTONS[:3] == ("Москва", "Санкт-Петербург", "Новосибирск")
    assert texts_for("de").ZONE_EXAMPLE_BUTTONS != texts_for("en").ZONE_EXAMPLE_BUTTONS


def test_a_countrys_choices_speak_the_users_language() -> None:
    choices = zones.country_choices("US")
    russian = texts_for("ru")
    labels = [b.label for row in choices_keyboard("US", choices, NOW, russian) for b in row]
    assert "Нью-Йорк (UTC-05:00)" in labels
    assert country_label("US", russian) == "Соединенные Штаты"
    assert country_label("DE", texts_for("de")) == "Deutschland"
