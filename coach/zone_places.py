"""Names that stand for a region rather than a city: abbreviations ("EST") and countries ("India").

Countries come from the IANA tables that the tzdata package ships, so a tzdata update brings new
countries and zones with it. Names are compared folded (see `fold`), so case, spaces, dots and
accents never matter.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Each abbreviation stands for the zone most people using it live in, so that daylight saving
# follows: tzdata's own "EST" is a fixed UTC−5, an hour off in New York all summer. Ambiguous
# ones take their most common meaning: CST is US Central (not China), IST is India (not Israel
# or Ireland), BST is British Summer Time (not Bangladesh), PST is US Pacific (not Philippines).
ABBREVIATIONS: dict[str, str] = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    # US shorthand without the season: it wins over the ISO codes it shadows (Ethiopia,
    # Malta, Portugal), whose people are far likelier to type the country's name.
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "NST": "America/St_Johns",
    "NDT": "America/St_Johns",
    # tzdata's POSIX-style names, as old settings screens show them.
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
    "BRT": "America/Sao_Paulo",
    "ART": "America/Argentina/Buenos_Aires",
    "GMT": "Europe/London",
    "BST": "Europe/London",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
    "TRT": "Europe/Istanbul",
    "WAT": "Africa/Lagos",
    "CAT": "Africa/Maputo",
    "EAT": "Africa/Nairobi",
    "SAST": "Africa/Johannesburg",
    "GST": "Asia/Dubai",
    "PKT": "Asia/Karachi",
    "IST": "Asia/Kolkata",
    "NPT": "Asia/Kathmandu",
    "ICT": "Asia/Bangkok",
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
    "SGT": "Asia/Singapore",
    "MYT": "Asia/Kuala_Lumpur",
    "PHT": "Asia/Manila",
    "HKT": "Asia/Hong_Kong",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "AWST": "Australia/Perth",
    "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}

# Common names that iso3166.tab spells otherwise ("Britain (UK)", "Czech Republic") → code.
COUNTRY_ALIASES: dict[str, str] = {
    "USA": "US",
    "United States of America": "US",
    "America": "US",
    "UK": "GB",
    "United Kingdom": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Korea": "KR",  # North Korea keeps the same time anyway
    "Burma": "MM",
    "Swaziland": "SZ",
    "Czechia": "CZ",
    "Türkiye": "TR",
    "Holland": "NL",
    "Ivory Coast": "CI",
    "DRC": "CD",
    "DR Congo": "CD",
    "UAE": "AE",
    "Emirates": "AE",
    "Macedonia": "MK",
    "Timor-Leste": "TL",
    "Cabo Verde": "CV",
    "Vatican": "VA",
    "Macao": "MO",
    "Bosnia": "BA",
    "Caribbean Netherlands": "BQ",
    "Central African Republic": "CF",
    "French Southern Territories": "TF",
    "Turks & Caicos Islands": "TC",
    "Falklands": "FK",
    "Russian Federation": "RU",
}

# How a confirmation names a country where the table's own spelling reads oddly.
_DISPLAY_NAMES = {"GB": "United Kingdom", "KR": "South Korea", "KP": "North Korea"}

_PARENTHESISED_RE = re.compile(r"(?P<base>.+?)\s*\((?P<part>[^)]+)\)(?P<rest>.*)")


# Latin letters that NFKD does not take apart, written as people type them without the key
# ("Malmø", "Łódź"); everything else loses its accents by decomposition.
_BASE_LETTERS = {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
_BASE_LETTER_RE = re.compile("|".join(_BASE_LETTERS))
_NOT_LETTERS_RE = re.compile(r"[\W_]+")
_NOT_LETTERS_OR_LINES_RE = re.compile(r"[^\w\n]+|_+")


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only: "São Paulo" and "sao_paulo" agree, and
    so do "Санкт-Петербург" and "санкт петербург", "Орёл" and "Орел" (ё and й lose their marks
    as é does). Any script's letters stay: Cyrillic names are as real as Latin ones."""
    return _NOT_LETTERS_RE.sub("", _decomposed(text))


def _decomposed(text: str) -> str:
    text = text.casefold()
    if not text.isascii():
        text = _BASE_LETTER_RE.sub(lambda match: _BASE_LETTERS[match[0]], text)
        text = unicodedata.normalize("NFKD", text)  # the marks it splits off are not \w
    return text


def fold_lines(text: str) -> list[str]:
    """`fold` of each line of `text`: the same as line by line, and several times faster for
    the city table's ~200,000 names, where a call per name would cost a second."""
    return _NOT_LETTERS_OR_LINES_RE.sub("", _decomposed(text)).split("\n")


@functools.cache
def _abbreviations_by_fold() -> dict[str, str]:
    return {fold(abbreviation): abbreviation for abbreviation in ABBREVIATIONS}


def find_abbreviation(text: str) -> str | None:
    """The abbreviation ("EST") that `text` spells ("est", "E.S.T."), or None."""
    return _abbreviations_by_fold().get(fold(text))


@dataclass(frozen=True)
class Country:
    """A country or territory of iso3166.tab with every zone the tables give it."""

    code: str  # ISO 3166 alpha-2, "DE"
    name: str  # for the confirmation: "Germany", "United Kingdom"
    zones: tuple[str, ...]  # most populous first, as the tables order them


def _rows(table: str) -> Iterator[list[str]]:
    for line in table.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def zones_by_code(zone_tab: str, zone1970_tab: str) -> dict[str, tuple[str, ...]]:
    """Each country's zones from zone.tab, then zone1970.tab for countries zone.tab lacks.

    zone.tab names one country per zone with a local city (Norway: Europe/Oslo); zone1970.tab
    shares a zone among countries ("Europe/Berlin" for Norway too), so it only fills gaps.
    """
    zones: dict[str, list[str]] = {}
    for code, _, zone, *_ in _rows(zone_tab):
        zones.setdefault(code, []).append(zone)
    extra: dict[str, list[str]] = {}
    for codes, _, zone, *_ in _rows(zone1970_tab):
        for code in codes.split(","):
            if code not in zones:
                extra.setdefault(code, []).append(zone)
    return {code: tuple(names) for code, names in (zones | extra).items()}


def _table(name: str) -> str:
    return importlib.resources.files("tzdata.zoneinfo").joinpath(name).read_text("utf-8")


@functools.cache
def _table_names() -> dict[str, str]:
    """iso3166.tab: code → the table's English name ("Britain (UK)")."""
    return {code: name for code, name, *_ in _rows(_table("iso3166.tab"))}


@functools.cache
def countries() -> dict[str, Country]:
    """Every country the zone tables give a zone, by code (two uninhabited islands have none)."""
    zones = zones_by_code(_table("zone.tab"), _table("zone1970.tab"))
    return {
        code: Country(code, _DISPLAY_NAMES.get(code, name), zones[code])
        for code, name in _table_names().items()
        if code in zones
    }


def _spellings(name: str) -> Iterator[str]:
    """The ways people write a table name: "St Kitts & Nevis" → "Saint Kitts and Nevis" too."""
    yield name
    if "&" in name:
        yield name.replace("&", "and")
    if name.startswith("St "):
        yield from _spellings("Saint " + name.removeprefix("St "))


def names_by_fold(table: dict[str, str]) -> dict[str, str]:
    """Folded name → code for a code → name table, with the variants of parenthesised names.

    "Korea (South)" is also "South Korea" and "Korea South"; "Britain (UK)" is also "Britain".
    The part outside the brackets alone counts only where no other country shares it
    ("Korea", "Samoa", "Congo" and "Virgin Islands" each name two).
    """
    sure: dict[str, str] = {}
    bare: dict[str, set[str]] = {}
    for code, name in table.items():
        written = [code, name]
        match = _PARENTHESISED_RE.fullmatch(name)
        if match is not None:
            base, part = match["base"] + match["rest"], match["part"]
            written += [f"{part} {base}", f"{base} {part}"]
            bare.setdefault(fold(base), set()).add(code)
        for spelled in written:
            sure.update(dict.fromkeys(map(fold, _spellings(spelled)), code))
    unique = {key: codes.pop() for key, codes in bare.items() if len(codes) == 1}
    return unique | sure


def shared_names(table: dict[str, str]) -> frozenset[str]:
    """The folded names outside brackets that several countries of `table` share, which
    `names_by_fold` leaves out ("Congo" of "Congo (Rep.)" and "Congo (Dem. Rep.)")."""
    codes: dict[str, set[str]] = {}
    for code, name in table.items():
        match = _PARENTHESISED_RE.fullmatch(name)
        if match is not None:
            codes.setdefault(fold(match["base"] + match["rest"]), set()).add(code)
    return frozenset(key for key, sharing in codes.items() if len(sharing) > 1)


@functools.cache
def _countries_by_fold() -> dict[str, Country]:
    known = countries()
    by_fold = names_by_fold({code: name for code, name in _table_names().items() if code in known})
    by_fold |= {fold(alias): code for alias, code in COUNTRY_ALIASES.items()}
    return {key: known[code] for key, code in by_fold.items()}


def find_country(text: str) -> Country | None:
    """The country `text` names or codes ("India", "de", "the Netherlands"), or None."""
    spoken = text.strip().casefold().removeprefix("the ")
    return _countries_by_fold().get(fold(spoken))


def _season_offsets(zone: str, year: int) -> tuple[timedelta | None, ...]:
    tz = zoneinfo.ZoneInfo(zone)
    return tuple(
        datetime(year, month, 15, 12, tzinfo=UTC).astimezone(tz).utcoffset() for month in (1, 7)
    )


@functools.cache
def main_zones(code: str, year: int) -> tuple[str, ...]:
    """One zone per distinct clock of the country in `year` (its offsets in January and July).

    Each clock is shown by the zone the abbreviations use for it (Australia: Sydney rather than
    Hobart), else by its first zone in the table's order, which puts the most populous first.
    """
    representatives = frozenset(ABBREVIATIONS.values())
    chosen: dict[tuple[timedelta | None, ...], str] = {}
    for zone in countries()[code].zones:
        clock = _season_offsets(zone, year)
        held = chosen.get(clock)
        if held is None or (zone in representatives and held not in representatives):
            chosen[clock] = zone  # replacing keeps the clock's first place: the table's order
    return tuple(chosen.values())
