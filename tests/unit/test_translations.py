"""The gettext catalogs (coach/locale): complete, faithful to the English placeholders and
HTML, current with what the code asks for, and every screen still fits Telegram in every
language."""

from __future__ import annotations

import importlib.util
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from coach import callbacks, i18n
from coach.routine import SIDES, load_routine
from coach.session_flow import LOG, Screen, Today, flow, render, timer_line
from coach.texts import ENGLISH, texts_for
from playground.fake_html import parse_html

ROUTINE = load_routine()
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "i18n_catalog.py"
_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z]{3,}")
_NOT_WORDS = re.compile(r"<[^>]+>|\{[^}]*\}|/[a-z]+")  # tags, placeholders, /commands


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(_NOT_WORDS.sub(" ", text))}


# Words a translation may share with its English source: names, the article's title, units,
# commands and words these languages spell the same way.
SHARED_WORDS = frozenset(
    {
        "limber",
        "healthy",
        "back",
        "stretches",
        "ben",
        "kim",
        "json",
        "utc",
        "min",
        "timer",  # German "Timer"
        "winter",  # German "Winter"
        "stretch",
        "start",
        "help",
        "settings",
        "export",
        "deleteme",
        "resume",
        "pause",  # the /pause command, and the word in es, pt and de
        "timezone",
        "language",
        "total",  # "Total" in es and pt
        "serie",  # German "Serie" (a streak)
        "berlin",  # the zone examples: names the zone parser reads
        "new",
        "york",
        "europe",
        "paris",
        "telegram",
        "off",  # "/board off": the command's argument, typed as it is
    }
)


# Words each language spells as English does (checked by hand: all are the language's own).
COGNATES = {
    "es": {"chat", "chats", "general", "local", "pelvis"},
    "pt_BR": {"chat", "link", "local", "menu"},
    "ru": set(),
    # Arm, Hand, Chat(s), Link, parallel, Position, Rest, Text, Zone; "leg"/"bring" are
    # imperatives.
    "de": {
        "arm",
        "bring",
        "chat",
        "chats",
        "hand",
        "leg",
        "link",
        "parallel",
        "position",
        "rest",
        "text",
        "zone",
    },
}


def build_catalog() -> Catalog:
    """What `make translations-extract` writes to the .pot: what the code asks the catalog."""
    spec = importlib.util.spec_from_file_location("i18n_catalog", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    catalog = module.build_catalog()
    assert isinstance(catalog, Catalog)
    return catalog


def _catalog(language: str) -> Catalog:
    with i18n.catalog_path(language).open("rb") as po:
        return read_po(po, locale=language)


def _messages(language: str) -> list[Message]:
    return [message for message in _catalog(language) if message.id]


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _forms(value: object) -> list[str]:
    """A message's text, or each of its plural forms."""
    if isinstance(value, str):
        return [value]
    assert isinstance(value, tuple | list), value
    return [str(form) for form in value]


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_the_catalog_holds_exactly_what_the_code_asks_for(language: str) -> None:
    wanted = {(m.id, m.context) for m in build_catalog() if m.id}
    held = {(m.id, m.context) for m in _messages(language)}
    assert held == wanted, "run `make translations-update` and translate what is new"


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    untranslated = [
        m.id
        for m in _messages(language)
        if m.fuzzy or not all(form.strip() for form in _forms(m.string))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_placeholders_match_the_english(language: str) -> None:
    problems = []
    for m in _messages(language):
        if m.context in SIDES:
            # A whole text for one side: the side words are written out, not filled in.
            wanted: set[str] = set()
        else:
            wanted = _fields(_forms(m.id)[-1])  # a plural's plural form
        for form in _forms(m.string):
            # A plural's singular may say the number where English says "one".
            allowed = wanted | ({"n"} if isinstance(m.id, tuple) else set())
            if not (wanted - {"n"} <= _fields(form) <= allowed):
                problems.append((m.id, form))
    assert problems == []


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_translations_are_valid_telegram_html_with_the_same_tags(language: str) -> None:
    for m in _messages(language):
        english = _forms(m.id)[-1]
        for form in _forms(m.string):
            filled = form.format_map({field: "Tom &lt;3 &amp; Co" for field in _fields(form)})
            parse_html(filled)  # raises ApiError as Telegram would refuse it
            assert sorted(_TAGS.findall(form)) == sorted(_TAGS.findall(english)), m.id


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_no_english_word_is_left_in_a_translation(language: str) -> None:
    left = []
    for m in _messages(language):
        english_words = _words(" ".join(_forms(m.id)))
        for form in _forms(m.string):
            if shared := (_words(form) & english_words) - SHARED_WORDS - COGNATES[language]:
                left.append((m.id, sorted(shared)))
    assert left == []


@pytest.mark.parametrize("language", i18n.TRANSLATED)
@pytest.mark.parametrize("sets", [1, 5])
def test_every_screen_fits_telegram_in_every_language(language: str, sets: int) -> None:
    today = Today(
        date(2026, 12, 2), {}, sets, hold_seconds=120, streak_current=365, streak_best=999
    )
    demos = [Screen("demo", s.key, side) for s in ROUTINE.stretches for side in SIDES]
    spoken = texts_for(language)
    for screen in (*flow(ROUTINE), Screen(LOG), *demos):
        for line in ("", timer_line(120, 1, spoken)):
            view = render(ROUTINE, screen, today, spoken, timer_line=line)
            assert len(_TAGS.sub("", view.caption)) <= 1024, (language, screen.token)
            parse_html(view.caption)
            for row in view.buttons:
                for button in row:
                    assert callbacks.decode(button.data) is not None


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_a_translated_screen_reads_in_its_language(language: str) -> None:
    today = Today(date(2026, 12, 2), {}, 3, 30)
    spoken = texts_for(language)
    english = [render(ROUTINE, screen, today, ENGLISH).caption for screen in flow(ROUTINE)]
    translated = [render(ROUTINE, screen, today, spoken).caption for screen in flow(ROUTINE)]
    for before, after in zip(english, translated, strict=True):
        assert before != after
        assert not _words(after) & {"the", "your", "and", "left", "right", "step", "hold", "sets"}
    assert spoken.SAFETY in translated[0] and spoken.SAFETY != ENGLISH.SAFETY
    assert ENGLISH.SAFETY in english[0]


def test_each_language_has_its_texts_and_english_is_the_default() -> None:
    german = texts_for("de")
    assert german.SESSION_BTN_NEXT == "Weiter ▶"
    assert german.WEEKDAY_LONG[0] == "Montag"
    assert german.COMMANDS[0] == ("stretch", "Die heutigen Dehnübungen mit Anleitung starten")
    assert german.FEEL_FACES == ENGLISH.FEEL_FACES  # no words to translate
    assert ENGLISH.SESSION_BTN_NEXT == "Next ▶"
    assert texts_for("xx") is ENGLISH and texts_for(None) is ENGLISH  # unknown: English
    assert texts_for("de") is german  # built once


def test_plurals_follow_each_languages_rules() -> None:
    spoken = texts_for("ru")
    assert [spoken.days_word(n) for n in (1, 2, 5, 11, 21, 22)] == [
        "день",
        "дня",
        "дней",
        "дней",
        "день",
        "дня",
    ]
    assert spoken.sets_left(21) == "остался 21 подход"
    spoken = texts_for("de")
    assert [spoken.days_word(n) for n in (1, 2)] == ["Tag", "Tage"]
    assert [ENGLISH.days_word(n) for n in (0, 1, 2)] == ["days", "day", "days"]
    assert [ENGLISH.sets_left(n) for n in (1, 3)] == ["one set left", "3 sets left"]


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("pt-br", "pt_BR"),
        ("pt-BR", "pt_BR"),
        ("pt", "pt_BR"),
        ("es-419", "es"),
        ("es", "es"),
        ("de-AT", "de"),
        ("ru", "ru"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("zh-hans", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_telegrams_language_code_is_negotiated(code: str | None, language: str) -> None:
    assert i18n.negotiate(code) == language


def test_dates_are_in_the_users_locale() -> None:
    day = date(2026, 12, 2)
    expected = {
        "en": "Wed 2 Dec",
        "es": "mié, 2 dic",
        "pt_BR": "qua., 2 de dez.",
        "ru": "ср, 2 дек.",
        "de": "Mi., 2. Dez.",
    }
    for language, text in expected.items():
        spoken = texts_for(language)
        assert spoken.short_date(day) == text
