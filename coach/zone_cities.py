"""Cities that are no zone's own, under the names people give them, from GeoNames.

The zone tables name one city per zone, so Munich, Cologne or Saint Petersburg are nowhere in
them. GeoNames lists the world's cities with their country, zone, population and names in
other languages and scripts: "München", "Мюнхен" and "Munique" all lead to Europe/Berlin. Its
countries' populations let a country and a city of the same name be weighed against each
other. What the bot needs of it is extracted into `content/cities.tsv.gz` (about 1 MB) by
`scripts/extract_cities.py` (`make cities`), so the bot carries no 180 MB data package.

Reading the file takes a few hundredths of a second, on the first name no English table
knows, once per process, under a lock. GeoNames' data is CC BY 4.0 (geonames.org).
"""

from __future__ import annotations

import functools
import gzip
import sys
import threading
import zoneinfo
from array import array
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from coach.zone_places import countries, fold, fold_lines

CITIES_FILE = Path(__file__).resolve().parent / "content" / "cities.tsv.gz"
# A city here has 100,000 people or more, as statistics count a big city (a "Großstadt"):
# GeoNames' smaller towns bring more clashes with everyday words ("Hola" in Kenya, "Time" in
# Norway, "Atlantis" in South Africa) than people who would name them; where a country has
# one clock its name answers for them too, and anywhere sharing a location does.
MIN_POPULATION = 100_000


class City(NamedTuple):
    """A city of GeoNames: how many live there, its ISO country code and its zone."""

    population: int
    country: str
    zone: str


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
    """The extracted cities (see the module docstring), with zones and country codes as the
    strings we already hold, so a hundred thousand names cost one string, not a million."""
    real = {zone: zone for zone in zoneinfo.available_timezones()}
    known = {code: code for code in countries()}
    zones: list[str] = []
    codes: list[str] = []
    populations = array("q")
    counts = array("i")
    names: list[str] = []
    country_populations: dict[str, int] = {}
    for line in gzip.decompress(CITIES_FILE.read_bytes()).decode().splitlines():
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "country":  # country, code, population
            if fields[1] in known:
                country_populations[known[fields[1]]] = int(fields[2])
            continue
        population, code, zone, joined = fields
        if zone not in real:
            continue  # a zone this system's tz database lacks
        populations.append(int(population))
        # Kosovo ("XK") has cities but no row in the zone tables' list of countries.
        codes.append(known.get(code) or sys.intern(code))
        zones.append(real[zone])
        city_names = joined.split("|")
        names.extend(city_names)
        counts.append(len(city_names))
    return _Loaded(zones, codes, populations, "\n".join(names), counts, country_populations)


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


def loaded() -> bool:
    """Whether the cities have been read in this process (they are read on first use)."""
    return _build.cache_info().currsize > 0


def names_count() -> int:
    """How many folded names lead to a city."""
    return len(_table().first)
