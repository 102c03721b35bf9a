"""Buddies and boards as people read them, in every language: lines that fit Telegram's
limits with the most buddies and members and the longest names, names shown as typed (never
as markup), the board's language, deep-link payloads and the nudge's quiet hours."""

from __future__ import annotations

from datetime import date, time

import pytest

from coach import callbacks, i18n
from coach.board_view import render_board
from coach.buddy_view import Buddy, buddy_screen, invite_question, progress_lines, reminder_lines
from coach.progress_view import ProgressSummary, progress_text
from coach.texts import ENGLISH, texts_for
from coach.together import (
    BOARD_MAX_MEMBERS,
    MAX_BUDDIES,
    NAME_LIMIT,
    PersonDay,
    StartLink,
    board_language,
    first_name,
    is_night,
    read_start,
)
from playground.fake_html import parse_html

LONG = "Maximiliana <Anastasia> & Co-Wolkenstein-Rodenegg"  # longer than NAME_LIMIT


def person(n: int, *, done: int = 12, streak: int = 365) -> PersonDay:
    return PersonDay(f"{LONG} {n}", done, 60, streak)


def shown_length(html_text: str) -> int:
    text, _ = parse_html(html_text)
    return len(text)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_full_board_fits_one_message_in_every_language(language: str) -> None:
    texts = texts_for(language)
    members = [person(n, done=n % 61) for n in range(BOARD_MAX_MEMBERS)]
    view = render_board(
        -1_001_234_567_890, date(2026, 12, 2), "America/Argentina/Buenos_Aires", members, texts
    )
    assert shown_length(view.text) <= 4096
    assert all(callbacks.decode(b.data) is not None for row in view.buttons for b in row)
    assert "<Anastasia>" not in view.text  # a name is text, never markup
    assert "&lt;Anastasia&gt;" in view.text


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_progress_with_the_most_buddies_fits_a_caption_in_every_language(language: str) -> None:
    texts = texts_for(language)
    summary = ProgressSummary(
        current=365,
        best=999,
        done_today=60,
        target=60,
        week_met=7,
        total=99_999,
        paused_span=texts.short_date(date(2026, 12, 30)),
        buddies=tuple(person(n) for n in range(MAX_BUDDIES)),
    )
    assert shown_length(progress_text(summary, texts)) <= 1024


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_buddy_screen_and_invite_question_parse_and_fit(language: str) -> None:
    texts = texts_for(language)
    buddies = [Buddy(9_000_000_000 + n, person(n), n % 2 == 0) for n in range(MAX_BUDDIES - 1)]
    screen = buddy_screen(buddies, "https://t.me/limber_bot?start=b_Ab3_-x9QwErTyU0p", texts)
    assert shown_length(screen.text) <= 4096
    assert screen.share_url is not None and screen.share_url.startswith("https://t.me/share/url")
    labels = [b.label for row in screen.buttons for b in row]
    assert all(len(label) <= 64 for label in labels)
    assert all(callbacks.decode(b.data) is not None for row in screen.buttons for b in row)
    text, rows = invite_question(LONG, "Ab3_-x9QwErTyU0p", texts)
    assert "&lt;Anastasia&gt;" in text
    parse_html(text)
    assert [b.label for row in rows for b in row] == [
        texts.BUDDY_ACCEPT_BUTTON,
        texts.BUDDY_DECLINE_BUTTON,
    ]


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_buddy_lines_read_in_the_viewers_language(language: str) -> None:
    texts = texts_for(language)
    ana = PersonDay("Ana", 12, 12, 5)
    lines = progress_lines([ana], texts)
    assert lines[1] == texts.BUDDY_DAY_DONE.format(name="Ana", done=12, target=12) + " · 🔥 5"
    assert lines[1] != ENGLISH.BUDDY_DAY_DONE.format(name="Ana", done=12, target=12) + " · 🔥 5"
    assert reminder_lines([ana], texts) == [texts.BUDDY_REMINDER_DONE.format(name="Ana")]


def test_a_reminder_names_only_buddies_who_have_stretched() -> None:
    lines = reminder_lines(
        [PersonDay("Ana", 12, 12, 1), PersonDay("Ben", 4, 12, 0), PersonDay("Cat", 0, 12, 9)],
        ENGLISH,
    )
    assert lines == [
        ENGLISH.BUDDY_REMINDER_DONE.format(name="Ana"),
        ENGLISH.BUDDY_REMINDER_SOME.format(name="Ben", done=4, target=12),
    ]


def test_names_are_trimmed_and_cut() -> None:
    assert first_name("  Ana   Maria ") == "Ana Maria"
    assert first_name("") == "…"
    cut = first_name(LONG)
    assert len(cut) == NAME_LIMIT and cut.endswith("…")


def test_the_board_speaks_what_most_members_speak() -> None:
    assert board_language([], "de") == "de"  # nobody yet: the admin's
    assert board_language(["ru", "es", "ru"], "de") == "ru"
    assert board_language(["es", "ru"], "ru") == "ru"  # a tie that includes the admin's
    assert board_language(["es", "ru"], "de") == "es"  # any other tie: who joined first


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (["b_Ab3_-x9QwErTyU0p"], StartLink("invite", "Ab3_-x9QwErTyU0p")),
        (["g_abcDEF123456"], StartLink("board", "abcDEF123456")),
        ([], None),
        (["group"], None),  # the pointer a group's commands get
        (["b_"], None),
        (["g_" + "x" * 33], None),
        (["b_x", "extra"], None),
    ],
)
def test_deep_link_payloads(args: list[str], found: StartLink | None) -> None:
    assert read_start(args) == found


@pytest.mark.parametrize(
    ("clock", "night"),
    [
        (time(21, 59), False),
        (time(22, 0), True),
        (time(3, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
    ],
)
def test_quiet_hours(clock: time, night: bool) -> None:
    assert is_night(clock) is night
