"""The /language question: one button per language, each under its own name."""

from __future__ import annotations

from coach import i18n
from coach.buttons import Button, Rows, as_rows
from coach.callbacks import ChooseLanguage
from coach.texts import Texts


def language_keyboard(texts: Texts) -> Rows:
    """Two languages a row; the current one is marked, as the settings menu marks a choice."""
    buttons = [
        Button(
            texts.SETTINGS_SELECTED.format(label=name) if language == texts.language else name,
            ChooseLanguage(language).encode(),
        )
        for language, name in i18n.NAMES.items()
    ]
    return as_rows([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def parse_language(data: str | None) -> str | None:
    """The language a button sets, or None for anything the question never offered."""
    tap = ChooseLanguage.parse(data)
    return tap.language if tap is not None and tap.language in i18n.NAMES else None
