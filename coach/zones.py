"""Time zones: read what a person types or where they are, and turn the stored value into a tzinfo.

The stored value (``User.time_zone``) is either an IANA name ("Europe/Berlin") or a fixed offset
written "UTC+05:30". IANA names are preferred because they follow daylight saving time, which is
also why abbreviations ("EST") and countries ("India") are read as a city's zone; see zone_places.
Names in our other languages ("Москва", "Deutschland", "München") are read once no English one
fits; see zone_words and zone_cities.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from coach import zone_cities
from coach.zone_places import (
    ABBREVIATIONS,
    Country,
    countries,
    find_abbreviation,
    find_country,
    fold,
    main_zones,
)
from coach.zone_words import CITY_ALIASES, find_local_country, find_zone_city

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder


# Real offsets in use run from −12:00 to +14:00; nobody uses a step finer than 15 minutes.
MIN_OFFSET_MINUTES = -12 * 60
MAX_OFFSET_MINUTES = 14 * 60
OFFSET_STEP_MINUTES = 15

# Names in the zone database that are no place a person lives in: "localtime" is whatever the
# server is set to, "Factory" means "zone not set".
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})
# Old area prefixes kept only for compatibility; a city should resolve to a modern name first.
_LEGACY_AREAS = ("US/", "Canada/", "Brazil/", "Chile/", "Mexico/", "SystemV/")

_OFFSET_RE = re.compile(
    r"(?P<prefix>utc|gmt|z)?\s*(?:(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?",
    re.ASCII | re.IGNORECASE,
)
_STORED_OFFSET_RE = re.compile(r"UTC(?P<sign>[+-])(?P<h>\d\d):(?P<m>\d\d)", re.ASCII)
_ETC_RE = re.compile(r"Etc/(?:UTC|UCT|Zulu|Universal|Greenwich|GMT(?P<offset>[+-]\d{1,2})?|GMT0)")


@functools.cache
def zone_names() -> frozenset[str]:
    """Every IANA name a person may choose (the database's names minus server-only ones)."""
    return frozenset(zoneinfo.available_timezones() - _NOT_PLACES)


@functools.cache
def _names_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in zone_names()}


@functools.cache
def _aliases_by_fold() -> dict[str, str]:
    return {fold(city): name for city, name in CITY_ALIASES.items()}


@functools.cache
def _names_by_city() -> dict[str, str]:
    """The best zone for each folded city (the last part of a zone name)."""

    def rank(name: str) -> tuple[bool, int, str]:
        # Modern names first; more parts first ("America/Argentina/Buenos_Aires" is the
        # canonical name, "America/Buenos_Aires" an old link); then a stable order.
        return (name.startswith(_LEGACY_AREAS), -name.count("/"), name)

    best: dict[str, str] = {}
    for name in sorted(zone_names(), key=rank):
        if "/" not in name or name.startswith("Etc/"):
            continue
        best.setdefault(fold(name.rsplit("/", 1)[1]), name)
    best.update(_aliases_by_fold())
    return best


def format_offset(minutes: int) -> str:
    """A fixed offset as stored and shown: "UTC+05:30", "UTC-07:00", "UTC+00:00"."""
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def _parse_offset(text: str) -> str | None:
    match = _OFFSET_RE.fullmatch(text.replace("−", "-").replace("–", "-"))
    if match is None or (match["prefix"] is None and match["sign"] is None):
        return None
    if match["sign"] is None:
        return format_offset(0)
    minutes = int(match["h"]) * 60 + int(match["m"] or 0)
    if int(match["m"] or 0) >= 60 or minutes % OFFSET_STEP_MINUTES:
        return None
    minutes = -minutes if match["sign"] == "-" else minutes
    if not MIN_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        return None
    return format_offset(minutes)


@dataclass(frozen=True)
class ZoneReading:
    """What a typed zone means: one zone, or the choices of a country that has several."""

    zones: tuple[str, ...]  # values to store; exactly one when the text was enough
    via: str | None = None  # the abbreviation or country recognised ("EST", "India"), if any
    place: str | None = None  # the country offering `zones` when they are choices ("Canada")
    code: str | None = None  # its ISO code ("CA"), which the choice buttons carry


def read_zone(text: str) -> ZoneReading | None:
    """What a person typed means (zone, city, offset, abbreviation or country), or None."""
    text = text.strip()
    if not text:
        return None
    # Database names first, but not its legacy top-level ones ("EST" is fixed UTC−5, "Japan" a
    # link): people mean those as an abbreviation or a country. "UTC" keeps its meaning.
    exact = _names_by_lower().get(text.lower().replace(" ", "_"))
    if exact is not None and ("/" in exact or exact == "UTC"):
        return ZoneReading((_without_posix_sign(exact),))
    abbreviation = find_abbreviation(text)
    if abbreviation is not None:
        return ZoneReading((ABBREVIATIONS[abbreviation],), via=abbreviation)
    offset = _parse_offset(text)
    if offset is not None:
        return ZoneReading((offset,))
    alias = _aliases_by_fold().get(fold(text))
    if alias is not None:
        return ZoneReading((alias,))
    country = find_country(text)
    if country is not None:
        return _country_reading(country)
    city = _names_by_city().get(fold(text))
    if city is not None:
        return ZoneReading((city,))
    if exact is not None:  # a legacy name nothing else claims ("Eire", "ROK")
        return ZoneReading((exact,))
    local = _read_local_name(text)
    if local is not None:
        return local
    # "Berlin, Germany": the place usually comes first; "Springfield, USA": the country helps.
    if "," in text:
        head, *_, tail = text.split(",")
        country = find_country(tail) or find_local_country(tail)
        if country is not None:
            return _read_city_in(head, country)
        return read_zone(head) or read_zone(tail)
    return None


def _read_local_name(text: str) -> ZoneReading | None:
    """A country or city in one of our languages ("Deutschland", "Москва", "München").

    Read after every English name, so none of those changes meaning. A name means the most
    populous place it names: a country by its people ("Colombia", not Columbia SC), a city
    by its own ("Granada" is the city in Spain, not the island of Grenada). When places in
    other zones share the name ("Valencia"), the reading is a guess, and the confirmation
    says so and offers another, as for an abbreviation."""
    cities = zone_cities.find_cities(text)
    country = find_local_country(text)
    if country is not None and (
        not cities or zone_cities.country_population(country.code) >= cities[0].population
    ):
        return _country_reading(country)
    own = find_zone_city(text)  # a zone's own city in CLDR ("Москва", "Wien")
    if not cities:
        return ZoneReading((own,)) if own is not None else None
    zone = cities[0].zone
    elsewhere = {city.zone for city in cities} | {own or zone} != {zone}
    return ZoneReading((zone,), via=text.strip() if elsewhere else None)


def _read_city_in(head: str, country: Country) -> ZoneReading:
    """ "Valencia, España": the city of that name in that country, though Venezuela's is
    bigger; the country's choices when its cities of that name keep different clocks
    ("Springfield, USA") or it has none ("Some Village, India")."""
    found = {
        city.zone: None for city in zone_cities.find_cities(head) if city.country == country.code
    }
    if len(found) == 1:
        return ZoneReading(tuple(found))
    reading = read_zone(head) if not found else None
    if reading is not None and len(reading.zones) == 1 and reading.zones[0] in country.zones:
        return reading  # our own names: "Kyiv, Ukraine" where GeoNames spells it otherwise
    return _country_reading(country)


def parse_zone(text: str) -> str | None:
    """The value to store for what a person typed; None when unreadable or a choice is needed."""
    reading = read_zone(text)
    return reading.zones[0] if reading is not None and len(reading.zones) == 1 else None


def _without_posix_sign(name: str) -> str:
    """The offset that "Etc/GMT+5" really is, "UTC-05:00": POSIX signs run opposite to ours."""
    etc = _ETC_RE.fullmatch(name)
    if etc is None or etc["offset"] is None:
        return name
    return format_offset(-int(etc["offset"]) * 60)


def _country_reading(country: Country) -> ZoneReading:
    zones = country_choices(country.code)
    if len(zones) == 1:
        return ZoneReading(zones, via=country.name)
    return ZoneReading(zones, via=country.name, place=country.name, code=country.code)


def country_name(code: str) -> str:
    """The country's name as confirmations say it ("United States")."""
    return countries()[code].name


def country_choices(code: str) -> tuple[str, ...]:
    """The zones a country offers to choose from (one when it has one clock); () if unknown."""
    if code not in countries():
        return ()
    # The year only picks whose rules group the zones, so the real one is right even when a
    # test moves the bot's clock.
    return main_zones(code, datetime.now(UTC).year)


# A user without a zone yet, or with a stored one this tzdata no longer knows, is on UTC.
FALLBACK_ZONE = "UTC+00:00"


def user_tzinfo(zone: str | None) -> tzinfo:
    """The tzinfo for a user's stored zone: None, or a value we cannot read, is UTC, so one
    bad row never stops /stretch, /settings, /progress or the tick for that user."""
    try:
        return to_tzinfo(zone or FALLBACK_ZONE)
    except ValueError:
        return to_tzinfo(FALLBACK_ZONE)


@functools.lru_cache(maxsize=4096)
def to_tzinfo(value: str) -> tzinfo:
    """The tzinfo for a stored value; ValueError when the value is neither form.

    Cached per string: a tick converts hundreds of users' zones per batch, and uncached every
    call would match the offset pattern and look the name up in ZoneInfo's cache again.
    """
    match = _STORED_OFFSET_RE.fullmatch(value)
    if match is not None:
        delta = timedelta(hours=int(match["h"]), minutes=int(match["m"]))
        return timezone(-delta if match["sign"] == "-" else delta)
    try:
        return zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {value!r}") from error


def describe_zone(value: str, now: datetime) -> str:
    """How a confirmation names the zone: "Europe/Berlin (UTC+01:00)" or "UTC+05:30"."""
    if _STORED_OFFSET_RE.fullmatch(value):
        return value
    return f"{value} ({format_offset(_offset_minutes(now, to_tzinfo(value)))})"


@dataclass(frozen=True)
class ZoneOffsets:
    """A zone's offsets this year, for a confirmation such as "UTC−5 now, UTC−4 in summer"."""

    now: str  # in force at the given moment, "UTC-05:00"
    other: str | None = None  # the other half of the year's; None where the clock never changes
    summer_now: bool = False  # whether `now` is the summer (later) one of the two


def zone_offsets(value: str, now: datetime) -> ZoneOffsets:
    """The offset of a stored value at `now`, and the other one of its year if it changes."""
    zone = to_tzinfo(value)
    current = _offset_minutes(now, zone)
    seasons = [
        _offset_minutes(datetime(now.year, month, 15, 12, tzinfo=UTC), zone) for month in (1, 7)
    ]
    others = [minutes for minutes in seasons if minutes != current]
    if not others:
        return ZoneOffsets(format_offset(current))
    # Summer is the later clock wherever it is (January in Sydney), and comparing offsets
    # rather than dst() also suits Europe/Dublin, whose tzdata daylight saving is negative.
    return ZoneOffsets(format_offset(current), format_offset(others[0]), current > others[0])


def _offset_minutes(moment: datetime, zone: tzinfo) -> int:
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    return int(offset.total_seconds()) // 60


_finder_lock = threading.Lock()


@functools.cache
def _build_finder() -> TimezoneFinder:
    # Importing and building the finder takes a noticeable fraction of a second, so it happens
    # on the first shared location, once, never at import time.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def _finder() -> TimezoneFinder:
    with _finder_lock:  # two first locations at once must not build two finders
        return _build_finder()


def zone_from_location(latitude: float, longitude: float) -> str | None:
    """The value to store for a shared location, or None when no zone is known there."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    try:
        name = _finder().timezone_at(lng=longitude, lat=latitude)
    except ValueError:
        return None
    if name is None:
        return None
    etc = _ETC_RE.fullmatch(name)
    if etc is not None:
        # Ocean zones: POSIX signs are inverted ("Etc/GMT+5" is five hours behind UTC).
        return format_offset(-int(etc["offset"] or 0) * 60)
    return name if name in zone_names() else None
