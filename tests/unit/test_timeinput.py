"""Reminder times typed by people: what is understood, what is refused, and round trips."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.texts import texts_for
from coach.time_words import PARTS_OF_DAY
from coach.timeinput import COMMON_TIMES, format_time, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("19:45", time(19, 45)),
        ("7pm", time(19, 0)),
        ("7 pm", time(19, 0)),
        ("7.30 pm", time(19, 30)),
        ("7:30am", time(7, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("1930", time(19, 30)),
        ("930", time(9, 30)),
        ("7", time(7, 0)),
        ("19h30", time(19, 30)),
        ("19.45", time(19, 45)),
        ("  7PM  ", time(19, 0)),
        ("7:30 P.M.", time(19, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("19:45:00", time(19, 45)),
        ("07:30:59", time(7, 30)),
        ("７:３０", time(7, 30)),  # full-width digits, as some phone keyboards type them
        ("１９：４５", time(19, 45)),
        ("noon", time(12, 0)),
        ("Noon", time(12, 0)),
        ("12 noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("7 o'clock", time(7, 0)),
        ("7 o\u2019clock", time(7, 0)),
        ("7 oclock pm", time(19, 0)),
        ("11 o'clock", time(11, 0)),
    ],
)
def test_accepted_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25:00",
        "24:00",
        "7:60",
        "13pm",
        "0pm",
        "abc",
        "",
        "   ",
        "7:5",
        "-1",
        "٧",
        "7:30:60",
        "7:30:5",
        "25 o'clock",
        "o'clock",
        "noonish",
        "mid night",
        "7:30:00:00",
    ],
)
def test_refused_times(text: str) -> None:
    assert parse_time(text) is None


# One row per spelling: how people write a time in each of our languages.
LOCAL_TIMES: list[tuple[str, time]] = [
    # German
    ("19 Uhr", time(19, 0)),
    ("19:30 Uhr", time(19, 30)),
    ("19.30 Uhr", time(19, 30)),
    ("um 19 Uhr", time(19, 0)),
    ("19 Uhr 30", time(19, 30)),
    ("7 Uhr abends", time(19, 0)),
    ("19 Uhr abends", time(19, 0)),
    ("7 Uhr morgens", time(7, 0)),
    ("7 Uhr früh", time(7, 0)),
    ("1 Uhr mittags", time(13, 0)),
    ("halb 8 abends", time(19, 30)),
    ("Mittag", time(12, 0)),
    ("Mitternacht", time(0, 0)),
    # Portuguese (Brazil)
    ("19h", time(19, 0)),
    ("19h30", time(19, 30)),
    ("19h30min", time(19, 30)),
    ("às 19h", time(19, 0)),
    ("7h da noite", time(19, 0)),
    ("7 da noite", time(19, 0)),
    ("7 da manhã", time(7, 0)),
    ("3 da tarde", time(15, 0)),
    ("7 e meia", time(7, 30)),
    ("meio-dia", time(12, 0)),
    ("meio-dia e meia", time(12, 30)),
    ("meia-noite", time(0, 0)),
    # Spanish
    ("a las 7", time(7, 0)),
    ("a las 19:30", time(19, 30)),
    ("7 de la tarde", time(19, 0)),
    ("8 de la tarde", time(20, 0)),
    ("7 de la mañana", time(7, 0)),
    ("7 de la manana", time(7, 0)),
    ("10 de la noche", time(22, 0)),
    ("12 de la noche", time(0, 0)),
    ("3 de la madrugada", time(3, 0)),
    ("a las 7 y media de la tarde", time(19, 30)),
    ("19 horas", time(19, 0)),
    ("19 hs", time(19, 0)),
    ("mediodía", time(12, 0)),
    ("al mediodía", time(12, 0)),
    ("medianoche", time(0, 0)),
    # Russian
    ("19 ч", time(19, 0)),
    ("19:30 ч", time(19, 30)),
    ("19 ч. 30 мин", time(19, 30)),
    ("в 19 часов", time(19, 0)),
    ("в 7 вечера", time(19, 0)),
    ("7 часов вечера", time(19, 0)),
    ("7 утра", time(7, 0)),
    ("2 дня", time(14, 0)),
    ("12 дня", time(12, 0)),
    ("11 ночи", time(23, 0)),
    ("3 ночи", time(3, 0)),
    ("полдень", time(12, 0)),
    ("в полдень", time(12, 0)),
    ("полночь", time(0, 0)),
    # English, in words
    ("at 7", time(7, 0)),
    ("7 in the evening", time(19, 0)),
    ("7:30 in the morning", time(7, 30)),
]


@pytest.mark.parametrize(("text", "expected"), LOCAL_TIMES)
def test_local_spellings(text: str, expected: time) -> None:
    assert parse_time(text) == expected
    assert parse_time(text.upper()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25 Uhr",
        "24 Uhr",
        "19:60 Uhr",
        "в 13 вечера",  # 13:00 is no evening
        "19 утра",
        "12 de la mañana",  # noon to some, midnight to others
        "9 de la tarde",  # neither 9:00 nor 21:00 is afternoon
        "4 ночи дня",
        "halb acht",  # number words: not read
        "halb 8",  # 7:30 or 19:30
        "halb 13 abends",
        "19:30 Uhr 45",
        "7:30 y media",
        "7 y",
        "Uhr",
        "a las",
        "в",
        "abends",
        "um halb",
        "noon de la tarde",
        "7 abends morgens",
        "gegen 7",  # about seven is no time to remind at
    ],
)
def test_refused_local_spellings(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(("part", "hours"), PARTS_OF_DAY.items())
def test_no_part_of_the_day_fits_both_readings_of_an_hour(part: str, hours: frozenset[int]) -> None:
    # Otherwise "7 <part>" would have to guess between 7:00 and 19:00.
    for hour in range(1, 12):
        assert not {hour, hour + 12} <= hours, (part, hour)
    assert not {0, 12} <= hours, part


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 30), st.sampled_from(sorted(PARTS_OF_DAY)))
def test_an_hour_with_a_part_of_the_day_lands_in_that_part(hour: int, part: str) -> None:
    parsed = parse_time(f"{hour} {part}")
    if parsed is not None:
        assert parsed.hour in PARTS_OF_DAY[part]
        assert parsed.hour % 12 == hour % 12


def test_format_pads_to_two_digits() -> None:
    assert format_time(time(7, 5)) == "07:05"
    assert format_time(time(19, 30)) == "19:30"


def test_common_times_are_sorted_distinct_and_round_trip() -> None:
    assert list(COMMON_TIMES) == sorted(set(COMMON_TIMES))
    assert all(parse_time(format_time(t)) == t for t in COMMON_TIMES)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 23), st.integers(0, 59))
def test_format_then_parse_round_trips(hour: int, minute: int) -> None:
    assert parse_time(format_time(time(hour, minute))) == time(hour, minute)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.integers(0, 59), st.sampled_from(["am", "pm", " AM", " p.m."]))
def test_twelve_hour_clock_matches_24_hour(hour: int, minute: int, suffix: str) -> None:
    parsed = parse_time(f"{hour}:{minute:02d}{suffix}")
    expected_hour = hour % 12 + (12 if "p" in suffix.lower() else 0)
    assert parsed == time(expected_hour, minute)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_any_text_gives_a_valid_time_or_none(text: str) -> None:
    result = parse_time(text)
    assert result is None or (result.second == 0 and result.tzinfo is None)


@pytest.mark.parametrize(
    ("language", "examples"),
    [
        ("en", ["7:30", "19:45", "7pm", "noon"]),
        ("de", ["7:30", "19 Uhr", "7 Uhr abends", "Mittag"]),
        ("es", ["7:30", "19:45", "7 de la tarde", "mediodía"]),
        ("pt_BR", ["7:30", "19h", "7 da noite", "meio-dia"]),
        ("ru", ["7:30", "19:45", "в 7 вечера", "в полдень"]),
    ],
)
def test_the_hint_suggests_local_spellings_that_are_understood(
    language: str, examples: list[str]
) -> None:
    hint = texts_for(language).TIME_HINT
    for example in examples:
        assert example in hint
        assert parse_time(example) is not None, example
