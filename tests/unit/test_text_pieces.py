"""Texts built from pieces read right in every language: every text that takes the next
reminder ({next}, {when}) or a pause's span ({span}) is rendered with each kind of value
(today, tomorrow, a later weekday; a pause until a day, until resumed, from tomorrow), and no
piece set in the middle of a sentence starts with a capital the language would not write."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, timedelta

import pytest

from coach import i18n
from coach.pause_view import pause_span
from coach.reminder_keyboards import describe_next
from coach.streaks import Pause
from coach.texts import Texts, names, texts_for

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Berlin
TODAY = date(2026, 12, 1)
ZONE = "Europe/Berlin"
_TAGS = re.compile(r"<[^>]+>")


def _next_values(texts: Texts) -> dict[str, str]:
    def at(days: int) -> str:
        when = NOW + timedelta(days=days, hours=11)  # 21:00 in Berlin
        return describe_next(when, NOW, ZONE, texts, paused=False)

    return {"today": at(0), "tomorrow": at(1), "weekday": at(3)}


def _span_values(texts: Texts) -> dict[str, str]:
    until = Pause(TODAY, TODAY + timedelta(days=3))
    return {
        "until a day": pause_span(until, TODAY, texts),
        "until resumed": pause_span(Pause(TODAY, None), TODAY, texts),
        "from tomorrow": pause_span(Pause(TODAY + timedelta(days=1), None), TODAY, texts),
    }


def _mid_sentence(template: str, field: str) -> bool:
    """Whether `{field}` stands inside a sentence: words before it, and no full stop."""
    before = _TAGS.sub("", template.split("{" + field + "}")[0]).rstrip()
    return bool(before) and before[-1] not in ".!?\n"


def _templates(texts: Texts, field: str) -> list[tuple[str, str]]:
    found = []
    for name in names():
        value = getattr(texts, name)
        if isinstance(value, str) and any(
            f == field for _, f, _, _ in string.Formatter().parse(value)
        ):
            found.append((name, value))
    return found


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_next_reminder_reads_inside_a_sentence(language: str) -> None:
    texts = texts_for(language)
    values = _next_values(texts)
    # A later day starts the way the language writes its dates ("Fri 4 Dec", "пт, 4 дек.").
    assert values["weekday"].startswith(texts.short_date(TODAY + timedelta(days=3)))
    checked = 0
    for field in ("next", "when"):
        for name, template in _templates(texts, field):
            if not _mid_sentence(template, field):
                continue
            for kind in ("today", "tomorrow"):
                value = values[kind]
                assert value[0] == value[0].lower(), (language, name, kind, value)
                assert value in template.format_map(_Filled({field: value}))
                checked += 1
    assert checked >= 2 * 5  # REMINDER_SKIPPED, ONBOARDING_DONE, WELCOME_BACK, …


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_pause_span_reads_inside_a_sentence(language: str) -> None:
    texts = texts_for(language)
    values = _span_values(texts)
    checked = 0
    for name, template in _templates(texts, "span"):
        if not _mid_sentence(template, "span"):
            continue
        for kind, value in values.items():
            first_word = value.split()[0]
            assert first_word[0] == first_word[0].lower(), (language, name, kind, value)
            checked += 1
    assert checked >= 3


class _Filled(dict[str, str]):
    """Every other placeholder of a template, filled with a plain word."""

    def __missing__(self, key: str) -> str:
        return "x"
