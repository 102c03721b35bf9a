"""Time zones from typed text and shared locations, and the stored value back as a tzinfo."""

from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.zone_places import ABBREVIATIONS
from coach.zone_words import CITY_ALIASES
from coach.zones import (
    MAX_OFFSET_MINUTES,
    MIN_OFFSET_MINUTES,
    ZoneOffsets,
    ZoneReading,
    describe_zone,
    format_offset,
    parse_zone,
    read_zone,
    to_tzinfo,
    zone_from_location,
    zone_names,
    zone_offsets,
)

ALL_NAMES = sorted(zone_names())
WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)
EARLY_SPRING = datetime(2026, 3, 20, 12, tzinfo=UTC)  # New York already on summer time

# Database names that a person means otherwise: abbreviations, countries, offsets.
LEGACY_MEANINGS: dict[str, tuple[str, ...]] = {
    "EST": ("America/New_York",),
    "EST5EDT": ("America/New_York",),
    "CST6CDT": ("America/Chicago",),
    "MST": ("America/Denver",),
    "MST7MDT": ("America/Denver",),
    "PST8PDT": ("America/Los_Angeles",),
    "HST": ("Pacific/Honolulu",),
    "GMT": ("Europe/London",),
    "GMT+0": ("UTC+00:00",),
    "GMT-0": ("UTC+00:00",),
    "WET": ("Europe/Lisbon",),
    "CET": ("Europe/Berlin",),
    "EET": ("Europe/Athens",),
    "GB": ("Europe/London",),
    "Cuba": ("America/Havana",),
    "Egypt": ("Africa/Cairo",),
    "Hongkong": ("Asia/Hong_Kong",),
    "Iceland": ("Atlantic/Reykjavik",),
    "Iran": ("Asia/Tehran",),
    "Israel": ("Asia/Jerusalem",),
    "Jamaica": ("America/Jamaica",),
    "Japan": ("Asia/Tokyo",),
    "Kwajalein": ("Pacific/Kwajalein",),
    "Libya": ("Africa/Tripoli",),
    "Poland": ("Europe/Warsaw",),
    "Singapore": ("Asia/Singapore",),
    "Turkey": ("Europe/Istanbul",),
    "NZ": ("Pacific/Auckland", "Pacific/Chatham"),
    "Portugal": ("Europe/Lisbon", "Atlantic/Azores"),
}
POSIX_OFFSET_RE = re.compile(r"Etc/GMT[+-]\d+")
NAMES_READ_AS_THEMSELVES = [
    name
    for name in ALL_NAMES
    if name not in LEGACY_MEANINGS and not POSIX_OFFSET_RE.fullmatch(name)
]

# What each abbreviation's clock reads in January and July, in hours from UTC.
ABBREVIATION_SEASONS: dict[str, tuple[float, float]] = {
    "ET": (-5, -4),
    "CT": (-6, -5),
    "MT": (-7, -6),
    "PT": (-8, -7),
    **dict.fromkeys(["EST", "EDT", "EST5EDT"], (-5, -4)),
    **dict.fromkeys(["CST", "CDT", "CST6CDT"], (-6, -5)),
    **dict.fromkeys(["MST", "MDT", "MST7MDT"], (-7, -6)),
    **dict.fromkeys(["PST", "PDT", "PST8PDT"], (-8, -7)),
    **dict.fromkeys(["AKST", "AKDT"], (-9, -8)),
    "HST": (-10, -10),
    **dict.fromkeys(["NST", "NDT"], (-3.5, -2.5)),
    "BRT": (-3, -3),
    "ART": (-3, -3),
    **dict.fromkeys(["GMT", "BST", "WET", "WEST"], (0, 1)),
    **dict.fromkeys(["CET", "CEST"], (1, 2)),
    **dict.fromkeys(["EET", "EEST"], (2, 3)),
    "MSK": (3, 3),
    "TRT": (3, 3),
    "WAT": (1, 1),
    "CAT": (2, 2),
    "EAT": (3, 3),
    "SAST": (2, 2),
    "GST": (4, 4),
    "PKT": (5, 5),
    "IST": (5.5, 5.5),
    "NPT": (5.75, 5.75),
    "ICT": (7, 7),
    "WIB": (7, 7),
    "WITA": (8, 8),
    "WIT": (9, 9),
    "SGT": (8, 8),
    "MYT": (8, 8),
    "PHT": (8, 8),
    "HKT": (8, 8),
    "JST": (9, 9),
    "KST": (9, 9),
    "AWST": (8, 8),
    **dict.fromkeys(["ACST", "ACDT"], (10.5, 9.5)),
    **dict.fromkeys(["AEST", "AEDT"], (11, 10)),
    **dict.fromkeys(["NZST", "NZDT"], (13, 12)),
}


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
        ("Z", "UTC+00:00"),
        ("GMT+0", "UTC+00:00"),
        ("Etc/GMT+5", "UTC-05:00"),
        ("etc/gmt-14", "UTC+14:00"),
        ("Etc/UTC", "Etc/UTC"),
        ("EST", "America/New_York"),
        ("e.s.t.", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("GMT", "Europe/London"),
        ("NYC", "America/New_York"),
        ("New York City", "America/New_York"),
        ("LA", "America/Los_Angeles"),
        ("India", "Asia/Kolkata"),
        ("germany", "Europe/Berlin"),
        ("DE", "Europe/Berlin"),
        ("de", "Europe/Berlin"),
        ("Japan", "Asia/Tokyo"),
        ("UK", "Europe/London"),
        ("United Kingdom", "Europe/London"),
        ("South Korea", "Asia/Seoul"),
        ("the Netherlands", "Europe/Amsterdam"),
        ("Saint Lucia", "America/St_Lucia"),
        ("Antigua and Barbuda", "America/Antigua"),
        ("Côte d’Ivoire", "Africa/Abidjan"),
        ("Kazakhstan", "Asia/Almaty"),  # one clock for the whole country since 2024
        ("Laos", "Asia/Vientiane"),
        ("Eire", "Eire"),  # a legacy name nothing else claims keeps its database meaning
        ("Mumbai, India", "Asia/Kolkata"),
        ("Some Village, India", "Asia/Kolkata"),
    ],
)
def test_accepted_zones(text: str, expected: str) -> None:
    assert parse_zone(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  ", "xyz", "Atlantis", "+15", "-13", "+14:15", "-12:15", "+5:20", "UTC+5:60", "+",
     "localtime", "Factory", "UTC+", "5:30", "Etc", "Congo", "Virgin Islands", "Bouvet Island"],
)  # fmt: skip
def test_refused_zones(text: str) -> None:
    # "Congo" and "Virgin Islands" each name two countries; Bouvet Island has no zone at all.
    assert parse_zone(text) is None
    assert read_zone(text) is None


@pytest.mark.parametrize("text", ["USA", "United States", "Russia", "Springfield, USA", "NZ"])
def test_places_with_several_zones_need_a_choice(text: str) -> None:
    reading = read_zone(text)
    assert reading is not None
    assert len(reading.zones) > 1
    assert parse_zone(text) is None  # callers that take one zone keep asking


def test_every_alias_points_at_a_real_zone() -> None:
    assert 30 <= len(CITY_ALIASES) <= 80
    assert set(CITY_ALIASES.values()) <= set(ALL_NAMES)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(NAMES_READ_AS_THEMSELVES), st.lists(st.booleans(), min_size=40, max_size=40))
def test_every_zone_name_parses_to_itself_in_any_case(name: str, upper: list[bool]) -> None:
    mangled = "".join(ch.upper() if up else ch.lower() for ch, up in zip(name, upper, strict=False))
    assert parse_zone(mangled) == name
    assert isinstance(to_tzinfo(name), ZoneInfo)


def test_only_legacy_and_posix_names_read_as_something_else() -> None:
    changed = {name: read_zone(name) for name in ALL_NAMES}
    changed = {
        name: reading for name, reading in changed.items() if reading != ZoneReading((name,))
    }
    assert {name for name in changed if not POSIX_OFFSET_RE.fullmatch(name)} == set(LEGACY_MEANINGS)
    for name, zones in LEGACY_MEANINGS.items():
        reading = changed[name]
        assert reading is not None
        assert reading.zones == zones, name


@pytest.mark.parametrize("name", [name for name in ALL_NAMES if POSIX_OFFSET_RE.fullmatch(name)])
def test_posix_offset_names_are_stored_as_the_offset_they_really_are(name: str) -> None:
    stored = parse_zone(name)
    assert stored is not None
    assert stored.startswith("UTC")
    assert to_tzinfo(stored).utcoffset(WINTER) == ZoneInfo(name).utcoffset(WINTER)


def _hours(zone: str, moment: datetime) -> float:
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def test_every_abbreviation_has_its_seasons_checked() -> None:
    required = {"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST",
                "GMT", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "MSK", "IST", "PKT",
                "SGT", "HKT", "JST", "KST", "AEST", "AEDT", "ACST", "ACDT", "AWST", "NZST", "NZDT",
                "BRT", "ART"}  # fmt: skip
    assert required <= set(ABBREVIATIONS)
    assert set(ABBREVIATION_SEASONS) == set(ABBREVIATIONS)


@pytest.mark.parametrize(("abbreviation", "seasons"), ABBREVIATION_SEASONS.items())
def test_abbreviations_follow_daylight_saving_of_the_place(
    abbreviation: str, seasons: tuple[float, float]
) -> None:
    # EST must mean New York's clock (UTC−4 in July), not tzdata's fixed "EST".
    reading = read_zone(abbreviation.lower())
    assert reading is not None
    assert reading.via == abbreviation
    (zone,) = reading.zones
    assert zone in zone_names()
    assert (_hours(zone, WINTER), _hours(zone, SUMMER)) == seasons


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


def _table_countries() -> dict[str, str]:
    table = importlib.resources.files("tzdata.zoneinfo").joinpath("iso3166.tab")
    rows = (line.split("\t") for line in table.read_text("utf-8").splitlines())
    return {row[0]: row[1] for row in rows if not row[0].startswith("#")}


COUNTRIES = _table_countries()
NO_ZONE = {"BV", "HM"}  # Bouvet Island, Heard Island: uninhabited, in no zone table
# Codes that mean something else first (each country still answers to its name): "LA" is Los
# Angeles, not Laos; ET, CT, MT and PT are US time zones, not Ethiopia, ..., Portugal.
CODES_TAKEN_BY_CITIES = {
    "LA": "America/Los_Angeles",
    "ET": "America/New_York",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}


def test_the_country_table_is_the_one_we_expect() -> None:
    assert len(COUNTRIES) > 240
    assert COUNTRIES["DE"] == "Germany"


@pytest.mark.parametrize(("code", "name"), COUNTRIES.items())
def test_every_country_resolves_by_name_and_code(code: str, name: str) -> None:
    if code in NO_ZONE:
        assert read_zone(name) is None
        return
    reading = read_zone(name)
    assert reading is not None
    assert reading.zones
    assert set(reading.zones) <= zone_names()
    assert reading.via is not None
    assert reading.place == (reading.via if len(reading.zones) > 1 else None)
    # Each choice keeps a clock of its own.
    clocks = {(_hours(zone, WINTER), _hours(zone, SUMMER)) for zone in reading.zones}
    assert len(clocks) == len(reading.zones)
    assert len(reading.zones) <= 12
    if code in CODES_TAKEN_BY_CITIES:
        assert parse_zone(code) == CODES_TAKEN_BY_CITIES[code]
    else:
        assert read_zone(code) == read_zone(code.lower()) == reading


US_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Adak",
    "Pacific/Honolulu",
)


@pytest.mark.parametrize(
    ("text", "place", "includes"),
    [
        ("US", "United States", US_ZONES),
        ("United States", "United States", US_ZONES),
        ("usa", "United States", US_ZONES),
        ("Canada", "Canada", ("America/Toronto", "America/Vancouver", "America/St_Johns")),
        ("Brazil", "Brazil", ("America/Sao_Paulo", "America/Noronha")),
        ("Russia", "Russia", ("Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad")),
        # Sydney stands for the eastern clock, though the table lists Macquarie and Hobart first.
        ("Australia", "Australia", ("Australia/Sydney", "Australia/Perth", "Australia/Adelaide")),
        ("Mexico", "Mexico", ("America/Mexico_City", "America/Tijuana", "America/Cancun")),
        ("Indonesia", "Indonesia", ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")),
    ],
)
def test_countries_with_several_clocks_offer_their_main_zones(
    text: str, place: str, includes: tuple[str, ...]
) -> None:
    reading = read_zone(text)
    assert reading is not None
    assert reading.place == reading.via == place
    assert set(includes) <= set(reading.zones)


def test_a_countrys_choices_keep_the_tables_order() -> None:
    # zone.tab lists the United States east to west, the most populous zone of each clock first.
    expected = ZoneReading(US_ZONES, "United States", "United States", code="US")
    assert read_zone("United States") == expected


def test_a_single_zone_country_says_which_country_it_read() -> None:
    assert read_zone("india") == ZoneReading(("Asia/Kolkata",), via="India")
    assert read_zone("Britain") == ZoneReading(("Europe/London",), via="United Kingdom")
    assert read_zone("EST") == ZoneReading(("America/New_York",), via="EST")
    assert read_zone("Berlin") == ZoneReading(("Europe/Berlin",))


@pytest.mark.parametrize(
    ("value", "moment", "expected"),
    [
        ("America/New_York", WINTER, ZoneOffsets("UTC-05:00", "UTC-04:00", summer_now=False)),
        ("America/New_York", SUMMER, ZoneOffsets("UTC-04:00", "UTC-05:00", summer_now=True)),
        # Already on summer time in March: the other clock is still winter's.
        ("America/New_York", EARLY_SPRING, ZoneOffsets("UTC-04:00", "UTC-05:00", summer_now=True)),
        ("Australia/Sydney", WINTER, ZoneOffsets("UTC+11:00", "UTC+10:00", summer_now=True)),
        # tzdata gives Dublin a negative daylight saving in winter; summer is still UTC+1.
        ("Europe/Dublin", WINTER, ZoneOffsets("UTC+00:00", "UTC+01:00", summer_now=False)),
        ("Asia/Kolkata", SUMMER, ZoneOffsets("UTC+05:30")),
        ("UTC+05:30", WINTER, ZoneOffsets("UTC+05:30")),
        ("UTC", SUMMER, ZoneOffsets("UTC+00:00")),
    ],
)
def test_zone_offsets_name_both_clocks_of_the_year(
    value: str, moment: datetime, expected: ZoneOffsets
) -> None:
    assert zone_offsets(value, moment) == expected


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
    # Nor the country tables: they are read on the first zone someone types. Nor GeoNames'
    # cities: they load on the first name that no English table knows.
    code = (
        "import sys, coach.zones, coach.zone_cities as cities, coach.zone_places as places; "
        "assert 'timezonefinder' not in sys.modules; "
        "assert not cities.loaded(); "
        "assert places.countries.cache_info().currsize == 0; "
        "coach.zones.parse_zone('Berlin'); "
        "assert not cities.loaded(); "
        "coach.zones.parse_zone('München'); "
        "assert cities.loaded()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
