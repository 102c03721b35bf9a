"""The pictures a session shows follow the user's language: each language's own file under its
own media-cache key, English where it always was, and the demonstration loop (no words) shared."""

from __future__ import annotations

from datetime import date

import pytest

from coach import i18n
from coach.routine import FIGURES_DIR, SIDES, all_pictures, figure_key, figure_path, load_routine
from coach.session_flow import DEMO, LOG, Screen, Today, flow, picture_of, render
from coach.texts import ENGLISH, texts_for

ROUTINE = load_routine()
TODAY = Today(date(2026, 12, 2), {}, sets_per_side=3, hold_seconds=30)
SCREENS = (*flow(ROUTINE), Screen(LOG))


def test_a_german_session_shows_the_german_pictures_under_their_own_keys() -> None:
    second_step = Screen("step", "lower_back", "left", 2)
    english = render(ROUTINE, second_step, TODAY, ENGLISH).picture
    german = render(ROUTINE, second_step, TODAY, texts_for("de")).picture
    assert english.asset_key == "lower_back/2/left"  # unchanged: cached file ids stay valid
    assert english.path == FIGURES_DIR / "lower_back-2-left.png"
    assert german.asset_key == "de/lower_back/2/left"
    assert german.path == FIGURES_DIR / "de" / "lower_back-2-left.png"
    assert german.path.read_bytes() != english.path.read_bytes()
    assert german.filename == english.filename  # what the upload is called


def test_the_intro_and_log_pictures_follow_the_language_too() -> None:
    intro, log = flow(ROUTINE)[0], Screen(LOG)
    assert picture_of(ROUTINE, intro, ENGLISH).asset_key == "intro"
    assert picture_of(ROUTINE, log, ENGLISH).asset_key == "log"
    russian = texts_for("ru")
    assert picture_of(ROUTINE, intro, russian).asset_key == "ru/intro"
    assert picture_of(ROUTINE, intro, russian).path == FIGURES_DIR / "ru" / "intro.png"
    assert picture_of(ROUTINE, log, russian).path == FIGURES_DIR / "ru" / "log.png"


def test_the_demonstration_loop_has_no_words_and_is_one_for_every_language() -> None:
    demo = Screen(DEMO, "mid_trunk", "right")
    english = picture_of(ROUTINE, demo, ENGLISH)
    for language in i18n.TRANSLATED:
        assert picture_of(ROUTINE, demo, texts_for(language)) == english


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_screen_picture_exists_in_every_language(language: str) -> None:
    pictures = [picture_of(ROUTINE, screen, texts_for(language), TODAY) for screen in SCREENS]
    assert {picture.path for picture in pictures if picture.kind == "photo"} <= {
        *all_pictures(ROUTINE, language),
        figure_path("intro.png", language),
        figure_path("log.png", language),
        None,  # the summary's tracker
    }
    for picture in pictures:
        if picture.path is None:  # the summary's tracker, drawn when it is sent
            continue
        assert picture.path.is_file(), picture.path
        if language != i18n.DEFAULT and picture.kind == "photo":
            assert picture.path.parent == FIGURES_DIR / language
            assert picture.asset_key.startswith(f"{language}/")


def test_no_two_languages_share_a_cache_key() -> None:
    keys = []
    for language in i18n.LANGUAGES:
        spoken = texts_for(language)
        keys += [picture_of(ROUTINE, screen, spoken, TODAY).asset_key for screen in SCREENS]
        keys += [
            step.asset_key(side, language)
            for s in ROUTINE.stretches
            for step in s.screens
            for side in SIDES
        ]
    # Each screen's picture once per language; a step's key is the same from either source.
    assert len(set(keys)) == len(i18n.LANGUAGES) * (len(SCREENS))


def test_an_unknown_language_has_no_pictures() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        figure_path("intro.png", "fr")
    with pytest.raises(ValueError, match="unknown language"):
        figure_key("intro", "fr")
