"""What the Mini App's page is given: the routine in the user's language as plain text, every
picture it names served (and on disk), and the page's words from the same catalogs as the chat."""

from __future__ import annotations

from datetime import date

import pytest

from coach import i18n
from coach.miniapp_view import PAGE_TEXTS, PICTURES_PREFIX, day_document, progress, served_pictures
from coach.routine import load_routine
from coach.session_flow import Today
from coach.texts import ENGLISH, texts_for

ROUTINE = load_routine()
DAY = date(2026, 12, 2)


def _texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts_in(item)]
    return []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_day_is_plain_text_in_the_users_language(language: str) -> None:
    spoken = texts_for(language)
    document = day_document(ROUTINE, Today(DAY, {}, 3, 30), spoken)
    words = _texts_in(document)
    assert not [text for text in words if "<b>" in text or "</i>" in text or "&lt;" in text]
    hold = document["stretches"][0]["sides"][0]["hold"]
    assert hold["title"] == spoken.gettext(ROUTINE.stretches[0].hold.title)
    assert document["texts"]["MINIAPP_HOLD"] == spoken.MINIAPP_HOLD
    assert set(document["texts"]) == set(PAGE_TEXTS)
    if language != i18n.DEFAULT:
        assert (
            hold["text"]
            != day_document(ROUTINE, Today(DAY, {}, 3, 30), ENGLISH)["stretches"][0]["sides"][0][
                "hold"
            ]["text"]
        )


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_picture_the_page_names_is_served(language: str) -> None:
    served = served_pictures(ROUTINE)
    document = day_document(ROUTINE, Today(DAY, {}, 3, 30), texts_for(language))
    named = [
        text.removeprefix(PICTURES_PREFIX)
        for text in _texts_in(document)
        if text.startswith(PICTURES_PREFIX)
    ]
    assert len(named) == 4 * (1 + 1) + 2 * (5 + 3)  # per side: a loop, a hold, the steps
    assert all(name in served and served[name].is_file() for name in named)


def test_progress_counts_todays_sets_and_celebrates_a_milestone_once() -> None:
    logged = {("lower_back", "left"): frozenset({1, 2}), ("mid_trunk", "right"): frozenset({4})}
    today = Today(DAY, logged, 3, 30, streak_current=7, streak_best=9, milestone=7)
    shown = progress(ROUTINE, today, ENGLISH)
    assert shown["logged"] == [["lower_back", "left", 1], ["lower_back", "left", 2]]
    assert (shown["done"], shown["target"], shown["met"]) == (2, 12, False)
    assert shown["streak"] == "🔥 Streak: 7 days (best 9)"
    assert shown["milestone"] == "🏅 7 days in a row! A whole week — well done."
    assert progress(ROUTINE, Today(DAY, {}, 3, 30), ENGLISH)["streak"] is None
