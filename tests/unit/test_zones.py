"""Time zones from typed text and shared locations, and the stored value back as a tzinfo."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.zones import (
    CITY_ALIASES,
    MAX_OFFSET_MINUTES,
    MIN_OFFSET_MINUTES,
    describe_zone,
    format_offset,
    parse_zone,
    to_tzinfo,
    zone_from_location,
    zone_names,
)

ALL_NAMES = sorted(zone_names())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("europe/berlin", "Europe/Berlin"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("kyiv", "Europe/Kyiv"),
        ("kiev", "Europe/Kyiv"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("los angeles", "America/Los_Angeles"),
        ("ho chi minh", "Asia/Ho_Chi_Minh"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("istanbul", "Europe/Istanbul"),
        ("san francisco", "America/Los_Angeles"),
        ("Mumbai", "Asia/Kolkata"),
        ("new delhi", "Asia/Kolkata"),
        ("beijing", "Asia/Shanghai"),
        ("St. Petersburg", "Europe/Moscow"),
        ("cape town", "Africa/Johannesburg"),
        ("Köln", "Europe/Berlin"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("  london ", "Europe/London"),
        ("UTC+5:30", "UTC+05:30"),
        ("UTC+05:30", "UTC+05:30"),
        ("+3", "UTC+03:00"),
        ("-7", "UTC-07:00"),
        ("GMT-7", "UTC-07:00"),
        ("UTC+0", "UTC+00:00"),
        ("+0545", "UTC+05:45"),
        ("+5:45", "UTC+05:45"),
        ("utc −3", "UTC-03:00"),
        ("+14", "UTC+14:00"),
        ("-12:00", "UTC-12:00"),
        ("utc", "UTC"),
    ],
)
def test_accepted_zones(text: str, expected: str) -> None:
    assert parse_zone(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  ", "xyz", "Atlantis", "+15", "-13", "+14:15", "-12:15", "+5:20", "UTC+5:60", "+",
     "localtime", "Factory", "UTC+", "5:30", "Etc"],
)  # fmt: skip
def test_refused_zones(text: str) -> None:
    assert parse_zone(text) is None


def test_every_alias_points_at_a_real_zone() -> None:
    assert 30 <= len(CITY_ALIASES) <= 80
    assert set(CITY_ALIASES.values()) <= set(ALL_NAMES)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ALL_NAMES), st.lists(st.booleans(), min_size=40, max_size=40))
def test_every_zone_name_parses_to_itself_in_any_case(name: str, upper: list[bool]) -> None:
    mangled = "".join(ch.upper() if up else ch.lower() for ch, up in zip(name, upper, strict=False))
    assert parse_zone(mangled) == name
    assert isinstance(to_tzinfo(name), ZoneInfo)


@settings(max_examples=300, deadline=None)
@given(st.integers(MIN_OFFSET_MINUTES // 15, MAX_OFFSET_MINUTES // 15).map(lambda q: q * 15))
def test_every_offset_in_quarter_hours_round_trips(minutes: int) -> None:
    stored = format_offset(minutes)
    assert parse_zone(stored) == stored
    hours, mins = divmod(abs(minutes), 60)
    short = f"{'-' if minutes < 0 else '+'}{hours}" + (f":{mins:02d}" if mins else "")
    assert parse_zone(short) == stored
    assert to_tzinfo(stored).utcoffset(None) == timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(st.integers(-1000, 1000).filter(lambda m: m % 15 or not -720 <= m <= 840))
def test_offsets_off_the_grid_or_out_of_range_are_refused(minutes: int) -> None:
    hours, mins = divmod(abs(minutes), 60)
    assert parse_zone(f"UTC{'-' if minutes < 0 else '+'}{hours}:{mins:02d}") is None


def test_to_tzinfo_reads_both_stored_forms() -> None:
    assert to_tzinfo("UTC-07:00") == timezone(timedelta(hours=-7))
    assert to_tzinfo("UTC+00:00").utcoffset(None) == timedelta(0)
    assert to_tzinfo("Europe/Berlin") == ZoneInfo("Europe/Berlin")
    with pytest.raises(ValueError, match="unknown time zone"):
        to_tzinfo("Mars/Olympus_Mons")


def test_describe_zone_shows_the_offset_in_force_now() -> None:
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC)
    assert describe_zone("Europe/Berlin", winter) == "Europe/Berlin (UTC+01:00)"
    assert describe_zone("Europe/Berlin", summer) == "Europe/Berlin (UTC+02:00)"
    assert describe_zone("Asia/Kathmandu", winter) == "Asia/Kathmandu (UTC+05:45)"
    assert describe_zone("UTC+05:30", winter) == "UTC+05:30"


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (52.52, 13.405, "Europe/Berlin"),
        (40.7128, -74.006, "America/New_York"),
        (-23.55, -46.63, "America/Sao_Paulo"),
        (27.7172, 85.324, "Asia/Kathmandu"),
        (30.0, -40.0, "UTC-03:00"),  # mid-Atlantic: an ocean zone, stored as a fixed offset
        (100.0, 0.0, None),
        (0.0, 200.0, None),
        (float("nan"), 0.0, None),
    ],
)
def test_zone_from_location(latitude: float, longitude: float, expected: str | None) -> None:
    assert zone_from_location(latitude, longitude) == expected


def test_importing_zones_does_not_load_the_location_finder() -> None:
    # Building the finder is slow; the bot must start without paying for it.
    code = "import sys, bot.zones; assert 'timezonefinder' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
