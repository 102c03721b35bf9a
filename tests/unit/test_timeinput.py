"""Reminder times typed by people: what is understood, what is refused, and round trips."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
