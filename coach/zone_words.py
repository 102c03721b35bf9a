"""The names people type for places, beyond the zone tables' own: our hand-made aliases, and
zone cities and countries in each of our languages from CLDR through Babel.

English names come from the zone tables themselves (coach.zones, coach.zone_places); CLDR
adds what a Russian, German, Spanish or Brazilian user calls the same places: the exemplar
city of every zone ("Москва", "Wien", "Nueva York") and the name of every country
("Deutschland", "Германия", "Estados Unidos"). Both are read on first use, once per process,
under a lock: Babel's locale data costs a few hundredths of a second.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import zoneinfo
from collections.abc import Iterator

from babel import Locale

from coach.i18n import LANGUAGES
from coach.zone_places import Country, countries, fold, names_by_fold, shared_names

# Big cities (and a few common words) that are not the last part of a zone name, or whose zone
# name is an outdated spelling. Keys are folded like input, so spacing and accents are free.
# Being chosen by hand, they win over country codes: "LA" is Los Angeles here, not Laos.
CITY_ALIASES: dict[str, str] = {
    "nyc": "America/New_York",
    "new york city": "America/New_York",
    "la": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "mountain": "America/Denver",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "austin": "America/Chicago",
    "central": "America/Chicago",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "eastern": "America/New_York",
    "ottawa": "America/Toronto",
    "hawaii": "Pacific/Honolulu",
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "brasilia": "America/Sao_Paulo",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "köln": "Europe/Berlin",
    "milan": "Europe/Rome",
    "naples": "Europe/Rome",
    "barcelona": "Europe/Madrid",
    "lyon": "Europe/Paris",
    "marseille": "Europe/Paris",
    "geneva": "Europe/Zurich",
    "krakow": "Europe/Warsaw",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "kiev": "Europe/Kyiv",
    "odessa": "Europe/Kyiv",
    "istanbul": "Europe/Istanbul",
    "nicosia": "Asia/Nicosia",
    "cape town": "Africa/Johannesburg",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "calcutta": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "saigon": "Asia/Ho_Chi_Minh",
    "hanoi": "Asia/Ho_Chi_Minh",
    "rangoon": "Asia/Yangon",
    "katmandu": "Asia/Kathmandu",
    "abu dhabi": "Asia/Dubai",
    "wellington": "Pacific/Auckland",
    "samoa": "Pacific/Apia",
}

# What people call a country that CLDR spells otherwise ("Соединенные Штаты", "Estados Unidos
# de América"): the short forms everyone writes, as COUNTRY_ALIASES does for English.
LOCAL_COUNTRY_ALIASES: dict[str, str] = {
    "США": "US",
    "Штаты": "US",
    "Америка": "US",
    "EE. UU.": "US",
    "EUA": "US",
    "Amerika": "US",
    "Англия": "GB",
    "Inglaterra": "GB",
    "Gran Bretaña": "GB",
    "Grã-Bretanha": "GB",
    "Großbritannien": "GB",
    "Южная Корея": "KR",
    "Корея": "KR",  # as "Korea": North Korea keeps the same time anyway
    "Holanda": "NL",
    "Голландия": "NL",
    "РФ": "RU",
    "Белоруссия": "BY",
    "Weißrussland": "BY",
    "Молдавия": "MD",
}

# "Yangón (Rangún)": both names; "Beulah, Dakota del Norte": the town alone too.
_BRACKETED_RE = re.compile(r"(?P<name>[^(]+?)\s*\((?P<other>[^)]+)\)")

_lock = threading.Lock()


def _languages() -> Iterator[Locale]:
    for language in LANGUAGES:
        yield Locale.parse(language)


def _city_spellings(city: str) -> Iterator[str]:
    yield city
    bracketed = _BRACKETED_RE.fullmatch(city)
    if bracketed is not None:
        yield bracketed["name"]
        yield bracketed["other"]
    if "," in city:
        yield city.split(",", 1)[0]


@functools.cache
def _build_cities() -> dict[str, str]:
    real = zoneinfo.available_timezones()  # CLDR also names "Etc/Unknown"
    by_fold: dict[str, set[str]] = {}
    for locale in _languages():
        for zone, words in locale.time_zones.items():
            city = words.get("city")
            if city is None or zone not in real or zone.startswith("Etc/"):
                continue
            for spelled in _city_spellings(city):
                by_fold.setdefault(fold(spelled), set()).add(zone)
    # A name that two zones' cities share in different languages names neither for sure.
    return {key: zones.pop() for key, zones in by_fold.items() if key and len(zones) == 1}


def find_zone_city(text: str) -> str | None:
    """The zone whose exemplar city `text` names in one of our languages ("Москва" →
    "Europe/Moscow", "Wien" → "Europe/Vienna"), or None."""
    with _lock:
        by_fold = _build_cities()
    return by_fold.get(fold(text))


@functools.cache
def _build_countries() -> dict[str, Country]:
    known = countries()
    claims: dict[str, set[str]] = {}
    shared: set[str] = set()
    spoken: dict[str, str] = {}  # folded → the name as the language that has it writes it
    tables = [{code: country.name for code, country in known.items()}]
    tables += [
        {code: name for code, name in locale.territories.items() if code in known}
        for locale in _languages()
    ]
    for table in tables:
        shared |= shared_names(table)
        for key, code in names_by_fold(table).items():
            claims.setdefault(key, set()).add(code)
            spoken.setdefault(key, table[code])
    for alias, code in LOCAL_COUNTRY_ALIASES.items():
        claims[fold(alias)] = {code}
        spoken[fold(alias)] = alias
    # "Congo" is the Republic of the Congo in Spanish, but two countries in English: neither.
    return {
        key: dataclasses.replace(known[code], name=spoken[key])
        for key, codes in claims.items()
        if key not in shared and len(codes) == 1
        for code in codes
    }


def find_local_country(text: str) -> Country | None:
    """The country `text` names in one of our languages ("Deutschland", "Россия"), with
    `name` as that language writes it, so a confirmation repeats the user's own word."""
    with _lock:
        by_fold = _build_countries()
    return by_fold.get(fold(text))
