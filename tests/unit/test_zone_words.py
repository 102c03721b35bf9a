"""Places in the user's own language and script: CLDR's zone cities and countries, GeoNames'
cities, and how a name that several places share is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach import zone_cities
from coach.zone_words import CITY_ALIASES, LOCAL_COUNTRY_ALIASES, find_local_country
from coach.zones import ZoneReading, parse_zone, read_zone, zone_names

# One row per name: what people type in each of our languages, and the zone it must give.
LOCAL_CITIES: list[tuple[str, str]] = [
    # Russian, in Cyrillic
    ("Москва", "Europe/Moscow"),
    ("Санкт-Петербург", "Europe/Moscow"),
    ("Питер", "Europe/Moscow"),
    ("Новосибирск", "Asia/Novosibirsk"),
    ("Екатеринбург", "Asia/Yekaterinburg"),
    ("Владивосток", "Asia/Vladivostok"),
    ("Калининград", "Europe/Kaliningrad"),
    ("Самара", "Europe/Samara"),
    ("Казань", "Europe/Moscow"),
    ("Нижний Новгород", "Europe/Moscow"),
    ("Нью-Йорк", "America/New_York"),
    ("Берлин", "Europe/Berlin"),
    ("Мюнхен", "Europe/Berlin"),
    ("Кёльн", "Europe/Berlin"),
    ("Вена", "Europe/Vienna"),
    ("Женева", "Europe/Zurich"),
    ("Лиссабон", "Europe/Lisbon"),
    ("Пекин", "Asia/Shanghai"),
    ("Лондон", "Europe/London"),
    ("Киев", "Europe/Kyiv"),
    ("Минск", "Europe/Minsk"),
    ("Алматы", "Asia/Almaty"),
    # German
    ("Wien", "Europe/Vienna"),
    ("München", "Europe/Berlin"),
    ("Köln", "Europe/Berlin"),
    ("Zürich", "Europe/Zurich"),
    ("Genf", "Europe/Zurich"),
    ("Mailand", "Europe/Rome"),
    ("Moskau", "Europe/Moscow"),
    ("Lissabon", "Europe/Lisbon"),
    ("Peking", "Asia/Shanghai"),
    ("Kopenhagen", "Europe/Copenhagen"),
    ("Warschau", "Europe/Warsaw"),
    ("Brüssel", "Europe/Brussels"),
    ("Mexiko-Stadt", "America/Mexico_City"),
    # Spanish
    ("Lisboa", "Europe/Lisbon"),
    ("Nueva York", "America/New_York"),
    ("Ciudad de México", "America/Mexico_City"),
    ("Londres", "Europe/London"),
    ("Moscú", "Europe/Moscow"),
    ("Ginebra", "Europe/Zurich"),
    ("Varsovia", "Europe/Warsaw"),
    ("Bruselas", "Europe/Brussels"),
    ("Filadelfia", "America/New_York"),
    ("Estambul", "Europe/Istanbul"),
    # Brazilian Portuguese
    ("São Paulo", "America/Sao_Paulo"),
    ("Belo Horizonte", "America/Sao_Paulo"),
    ("Nova York", "America/New_York"),
    ("Nova Iorque", "America/New_York"),
    ("Moscou", "Europe/Moscow"),
    ("Genebra", "Europe/Zurich"),
    ("Munique", "Europe/Berlin"),
    ("Pequim", "Asia/Shanghai"),
    ("Cidade do México", "America/Mexico_City"),
    # French names, as Swiss German and Spanish speakers type them too
    ("Genève", "Europe/Zurich"),
]


@pytest.mark.parametrize(("text", "zone"), LOCAL_CITIES)
def test_local_city_names(text: str, zone: str) -> None:
    assert parse_zone(text) == zone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("sao paulo", "America/Sao_Paulo"),
        ("MUNCHEN", "Europe/Berlin"),
        ("Muenchen", "Europe/Berlin"),
        ("санкт петербург", "Europe/Moscow"),
        ("САНКТ-ПЕТЕРБУРГ", "Europe/Moscow"),
        ("Кельн", "Europe/Berlin"),  # ё written as е
        ("Орёл", "Europe/Moscow"),
        ("Орел", "Europe/Moscow"),
        ("  wien  ", "Europe/Vienna"),
        ("nueva-york", "America/New_York"),
        ("Zurich", "Europe/Zurich"),
        ("GENEVE", "Europe/Zurich"),
        ("Мюнхен, Германия", "Europe/Berlin"),
        ("Köln, Deutschland", "Europe/Berlin"),
    ],
)
def test_matching_forgives_case_accents_spaces_and_hyphens(text: str, zone: str) -> None:
    assert parse_zone(text) == zone


@pytest.mark.parametrize(
    ("text", "zone", "via"),
    [
        ("Deutschland", "Europe/Berlin", "Deutschland"),
        ("Германия", "Europe/Berlin", "Германия"),
        ("Alemania", "Europe/Berlin", "Alemania"),
        ("Alemanha", "Europe/Berlin", "Alemanha"),
        ("Österreich", "Europe/Vienna", "Österreich"),
        ("Schweiz", "Europe/Zurich", "Schweiz"),
        ("Швейцария", "Europe/Zurich", "Швейцария"),
        ("Frankreich", "Europe/Paris", "Frankreich"),
        ("França", "Europe/Paris", "França"),  # not the town of that name in Brazil
        ("Япония", "Asia/Tokyo", "Япония"),
        ("Japão", "Asia/Tokyo", "Japão"),
        ("Колумбия", "America/Bogota", "Колумбия"),  # not Columbia, South Carolina
        ("Беларусь", "Europe/Minsk", "Беларусь"),
        ("Белоруссия", "Europe/Minsk", "Белоруссия"),
        ("Великобритания", "Europe/London", "Великобритания"),
        ("Англия", "Europe/London", "Англия"),
        ("Reino Unido", "Europe/London", "Reino Unido"),
        ("Nederland", None, None),  # Dutch is none of our languages
    ],
)
def test_single_zone_countries_in_our_languages(
    text: str, zone: str | None, via: str | None
) -> None:
    expected = ZoneReading((zone,), via=via) if zone is not None else None
    assert read_zone(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "includes"),
    [
        ("Estados Unidos", "US", "America/Chicago"),
        ("EE. UU.", "US", "America/Chicago"),
        ("EUA", "US", "America/Chicago"),
        ("США", "US", "America/Chicago"),
        ("Vereinigte Staaten", "US", "America/Chicago"),
        ("Россия", "RU", "Asia/Vladivostok"),
        ("РФ", "RU", "Asia/Vladivostok"),
        ("Rusia", "RU", "Asia/Vladivostok"),
        ("Russland", "RU", "Asia/Vladivostok"),
        ("Brasil", "BR", "America/Sao_Paulo"),
        ("Бразилия", "BR", "America/Sao_Paulo"),
        ("Kanada", "CA", "America/Vancouver"),
        ("España", "ES", "Atlantic/Canary"),
    ],
)
def test_countries_with_several_clocks_in_our_languages_offer_a_choice(
    text: str, code: str, includes: str
) -> None:
    reading = read_zone(text)
    assert reading is not None
    assert reading.code == code
    assert reading.place == reading.via == text  # the confirmation repeats the user's word
    assert includes in reading.zones


@pytest.mark.parametrize("text", ["Congo", "Конго", "Kongo"])
def test_names_of_two_countries_are_no_country(text: str) -> None:
    # "Congo" is the Republic of the Congo in Spanish but names both countries in English.
    assert read_zone(text) is None


@pytest.mark.parametrize(
    ("text", "zone", "via"),
    [
        # The most populous place of a name wins, and when places in other zones share the
        # name the confirmation names what it read, offering another ("via").
        ("Valencia", "America/Caracas", "Valencia"),  # 1.6 million people, Spain's 0.8
        ("Valencia, España", "Europe/Madrid", None),  # the country decides
        ("Valencia, Venezuela", "America/Caracas", None),
        ("Córdoba, España", "Europe/Madrid", None),  # Argentina's is the zone's own city
        ("Кордова", "America/Argentina/Cordoba", "Кордова"),
        ("Granada", "Europe/Madrid", "Granada"),  # the city, not the island state of Grenada
        ("Сальвадор", "America/El_Salvador", "Сальвадор"),  # the country, not Brazil's city
        ("Canton", "Asia/Shanghai", "Canton"),  # Guangzhou, not Kanton Island
        ("Birmingham", "Europe/London", "Birmingham"),
        ("Birmingham, USA", "America/Chicago", None),
        ("Санкт-Петербург", "Europe/Moscow", None),  # Florida's is Сент-Питерсберг
        # English names read as before: the zone tables' own city, then our aliases.
        ("Paris", "Europe/Paris", None),
        ("Moscow", "Europe/Moscow", None),
        ("Córdoba", "America/Argentina/Cordoba", None),
        ("Odessa", "Europe/Kyiv", None),
    ],
)
def test_a_name_several_places_share_means_the_most_populous(
    text: str, zone: str, via: str | None
) -> None:
    assert read_zone(text) == ZoneReading((zone,), via=via)


def test_a_city_name_clocks_apart_within_the_country_asks_for_a_choice() -> None:
    reading = read_zone("Springfield, USA")  # Missouri and Massachusetts
    assert reading is not None
    assert reading.code == "US"
    assert {"America/Chicago", "America/New_York"} <= set(reading.zones)


@pytest.mark.parametrize(
    "text",
    ["Hola", "Sim", "Time", "Дом", "Утро", "Atlantis", "Narnia", "Bayern", "Сибирь", "да"],
)
def test_everyday_words_and_regions_are_no_city(text: str) -> None:
    # Towns under 100,000 people are left out: "Hola" (Kenya), "Sim" (Russia) and "Time"
    # (Norway) are such towns, as is Atlantis (South Africa).
    assert read_zone(text) is None


def test_the_tables_point_at_real_zones_and_countries() -> None:
    assert set(CITY_ALIASES.values()) <= zone_names()
    for alias, code in LOCAL_COUNTRY_ALIASES.items():
        country = find_local_country(alias)
        assert country is not None
        assert (country.code, country.name) == (code, alias)
    assert zone_cities.names_count() > 40_000
    for text in ("München", "Москва", "Valencia", "Springfield"):
        cities = zone_cities.find_cities(text)
        assert cities
        assert all(city.zone in zone_names() for city in cities)
        assert all(city.population >= zone_cities.MIN_POPULATION for city in cities)
        populations = [city.population for city in cities]
        assert populations == sorted(populations, reverse=True)


def test_the_first_look_ups_from_many_threads_load_geonames_once() -> None:
    # The bot reads zones on its event loop and, for shared locations, in a worker thread.
    code = """
import pathlib
import threading

from coach.zone_cities import CITIES_FILE

loads = []
original = pathlib.Path.read_bytes

def counted(self):
    if self == CITIES_FILE:
        loads.append(1)
    return original(self)

pathlib.Path.read_bytes = counted
from coach.zones import parse_zone

start = threading.Barrier(8)
results = []

def look_up():
    start.wait()
    results.append(parse_zone("München"))

threads = [threading.Thread(target=look_up) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert results == ["Europe/Berlin"] * 8, results
assert loads == [1], loads
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
