"""Abbreviations and countries, read from tables shaped like the ones tzdata ships."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.zone_places import (
    ABBREVIATIONS,
    COUNTRY_ALIASES,
    countries,
    find_abbreviation,
    find_country,
    fold,
    fold_lines,
    main_zones,
    names_by_fold,
    shared_names,
    zones_by_code,
)
from coach.zones import zone_names

ZONE_TAB = """\
# comment
NO\t+5955+01045\tEurope/Oslo
US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)
US\t+415100-0873900\tAmerica/Chicago\tCentral (most areas)
"""
ZONE1970_TAB = """\
# comment
DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\tmost of Germany
US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)
"""


def test_zone_tab_wins_and_zone1970_only_fills_gaps() -> None:
    # Norway keeps its own city from zone.tab; countries zone.tab lacks take zone1970's shared zone.
    assert zones_by_code(ZONE_TAB, ZONE1970_TAB) == {
        "NO": ("Europe/Oslo",),
        "US": ("America/New_York", "America/Chicago"),
        "DE": ("Europe/Berlin",),
        "DK": ("Europe/Berlin",),
        "SE": ("Europe/Berlin",),
        "SJ": ("Europe/Berlin",),
    }


def test_parenthesised_names_give_natural_spellings_and_drop_shared_ones() -> None:
    names = names_by_fold(
        {"KP": "Korea (North)", "KR": "Korea (South)", "GB": "Britain (UK)", "LC": "St Lucia",
         "AG": "Antigua & Barbuda"}
    )  # fmt: skip
    assert names[fold("South Korea")] == names[fold("Korea South")] == "KR"
    assert names[fold("North Korea")] == "KP"
    assert fold("Korea") not in names  # two countries share it
    assert names[fold("Britain")] == names[fold("gb")] == "GB"
    assert fold("UK") not in names  # brackets alone are words like "South"; aliases cover "UK"
    assert names[fold("Saint Lucia")] == names[fold("St. Lucia")] == "LC"
    assert names[fold("Antigua and Barbuda")] == names[fold("antigua & barbuda")] == "AG"


def test_shared_names_are_the_ones_names_by_fold_leaves_out() -> None:
    table = {"CD": "Congo (Dem. Rep.)", "CG": "Congo (Rep.)", "KR": "Korea (South)"}
    assert shared_names(table) == {fold("Congo")}
    assert fold("Congo") not in names_by_fold(table)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("São Paulo", "sao_paulo"),
        ("Санкт-Петербург", "санкт петербург"),
        ("Орёл", "ОРЕЛ"),  # ё is е with a mark, as é is e
        ("Malmø", "Malmo"),
        ("Łódź", "Lodz"),
        ("Straße", "STRASSE"),
        ("İstanbul", "istanbul"),
        ("Reyk\xadja\xadvík", "Reykjavik"),  # soft hyphens, as CLDR writes it in German
    ],
)
def test_fold_forgives_case_accents_and_spacing_in_any_script(one: str, other: str) -> None:
    assert fold(one) == fold(other) != ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text().filter(lambda text: "\n" not in text), min_size=1, max_size=8))
def test_fold_lines_folds_each_line_alike(texts: list[str]) -> None:
    assert fold_lines("\n".join(texts)) == [fold(text) for text in texts]


def test_aliases_and_abbreviations_point_at_real_places() -> None:
    assert set(COUNTRY_ALIASES.values()) <= set(countries())
    assert set(ABBREVIATIONS.values()) <= zone_names()
    for alias, code in COUNTRY_ALIASES.items():
        country = find_country(alias)
        assert country is not None
        assert country.code == code


@pytest.mark.parametrize(
    ("text", "expected"), [("est", "EST"), ("E.S.T.", "EST"), ("Nzdt", "NZDT")]
)
def test_abbreviations_are_found_however_written(text: str, expected: str) -> None:
    assert find_abbreviation(text) == expected


def test_unknown_words_are_no_abbreviation_or_country() -> None:
    assert find_abbreviation("Berlin") is None
    assert find_country("Berlin") is None
    assert find_country("the") is None


def test_main_zones_are_one_per_clock_and_prefer_the_abbreviations_zone() -> None:
    # Brazil's table lists Belem before Sao Paulo on the same clock; BRT names Sao Paulo.
    assert main_zones("BR", 2026)[:2] == ("America/Noronha", "America/Sao_Paulo")
    assert main_zones("DE", 2026) == ("Europe/Berlin",)  # Busingen keeps Berlin's clock
    assert main_zones("CN", 2026) == ("Asia/Shanghai", "Asia/Urumqi")


def test_every_country_name_finds_its_own_country() -> None:
    # No two countries' names fold alike, so no name silently points at the wrong one.
    for code, country in countries().items():
        found = find_country(country.name)
        assert found is not None
        assert found.code == code
