"""Every text is sent in Telegram's HTML parse mode (the bot's default), so each must parse."""

from __future__ import annotations

import string

import pytest

from coach.texts import ENGLISH, names
from playground.fake_html import parse_html
from playground.fake_types import ApiError

# Values a placeholder may hold once escaped: an escaped `<`, an ampersand entity, plain words.
SAMPLE = "Tom &lt;3 &amp; Co"


def _message_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name, value in ((name, getattr(ENGLISH, name)) for name in names()):
        if name.isupper() and isinstance(value, str):
            found.append((name, value))
        elif name.isupper() and isinstance(value, tuple):
            found += [(name, part) for row in value for part in row if isinstance(part, str)]
    return found


def _filled(template: str) -> str:
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return template.format_map({field: SAMPLE for field in fields})


def test_the_module_has_the_texts_this_test_reads() -> None:
    names = {name for name, _ in _message_texts()}
    assert {"WELCOME", "UNKNOWN_TEXT", "SESSION_HEADING", "COMMANDS"} <= names


def test_every_text_is_valid_telegram_html_with_its_values_filled() -> None:
    problems = []
    for name, template in _message_texts():
        try:
            parse_html(_filled(template))
        except ApiError as error:
            problems.append(f"{name}: {error}")
    assert problems == []


def test_a_bare_angle_bracket_would_be_refused() -> None:
    with pytest.raises(ApiError):
        parse_html(_filled("I didn't catch {text} <3"))
