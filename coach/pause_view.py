"""The pause in words and buttons: how long it runs, and the lengths /pause and /settings offer.

A pause lasts 1, 3, 7 or 14 stretch days, or until the user resumes; buttons carry the
number of days, 0 for "until I resume" (OPEN).
"""

from __future__ import annotations

from datetime import date, timedelta

from coach.buttons import Button, Rows, as_rows
from coach.callbacks import PauseFor
from coach.streaks import Pause
from coach.texts import Texts

PAUSE_DAYS = (1, 3, 7, 14)
OPEN = 0


def days_of(value: int) -> int | None:
    """A button's value as the pause length storage takes: days, or None for OPEN."""
    return None if value == OPEN else value


def pause_span(pause: Pause, today: date, texts: Texts) -> str:
    """ "until Fri 4 Dec", "from tomorrow until you resume", …: the rest of a sentence."""
    span = (
        texts.PAUSE_SPAN_OPEN
        if pause.last is None
        else texts.PAUSE_SPAN_UNTIL.format(until=texts.short_date(pause.last))
    )
    if pause.first == today + timedelta(days=1):
        return texts.PAUSE_SPAN_FROM_TOMORROW.format(span=span)
    return span


def parse_pause(data: str | None) -> int | None:
    """The length a /pause button offers (days, or OPEN), or None for anything else."""
    tap = PauseFor.parse(data)
    return tap.days if tap is not None and tap.days in (*PAUSE_DAYS, OPEN) else None


def pause_keyboard(texts: Texts) -> Rows:
    """The lengths to choose from, as the answer to /pause."""
    days = [
        Button(
            texts.PAUSE_BUTTON_DAYS.format(n=n, days=texts.days_word(n)),
            PauseFor(n).encode(),
        )
        for n in PAUSE_DAYS
    ]
    open_ended = Button(texts.PAUSE_BUTTON_OPEN, PauseFor(OPEN).encode())
    return as_rows([days, [open_ended]])
