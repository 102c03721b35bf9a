"""The /settings menu: its text, its inline keyboard and the meaning of each button.

Every button carries `cfg:<what>[:<value>]`; `parse_choice` accepts only the values the
menu offers, so a forged "sets 9" is refused before anything is stored.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, schedule, texts
from bot.progress_view import short_day
from bot.timeinput import format_time

ACTION = "cfg"
SETS_CHOICES = (1, 2, 3, 4, 5)
HOLD_CHOICES = (20, 30, 45, 60)
PAUSE_CHOICES = (1, 3, 7, 14)
# What each button does, and the values it may carry (None: the button takes no value).
VALUES: dict[str, tuple[int, ...] | None] = {
    "time": None,
    "zone": None,
    "wd": tuple(range(7)),
    "sets": SETS_CHOICES,
    "hold": HOLD_CHOICES,
    "rem": None,
    "pause": PAUSE_CHOICES,
    "resume": None,
    "done": None,
}


@dataclass(frozen=True)
class Choice:
    what: str
    value: int | None = None


@dataclass(frozen=True)
class SettingsState:
    """Everything the menu shows, as plain values (`next_text` is already in words)."""

    reminder_time: time | None
    weekdays: int
    zone_text: str | None
    sets_per_side: int
    hold_seconds: int
    reminders_enabled: bool
    paused_until: date | None
    next_text: str


def parse_choice(data: str | None) -> Choice | None:
    """The button's meaning, or None for anything the menu never offered."""
    decoded = callbacks.decode(data)
    if decoded is None or decoded.action != ACTION or not decoded.args:
        return None
    what, rest = decoded.args[0], decoded.args[1:]
    if what not in VALUES:
        return None
    allowed = VALUES[what]
    if allowed is None:
        return Choice(what) if not rest else None
    value = decoded.int_arg(1)
    if len(rest) != 1 or value is None or value not in allowed:
        return None
    return Choice(what, value)


def menu_text(state: SettingsState) -> str:
    if state.reminder_time is None:
        reminder = texts.SETTINGS_REMINDER_UNSET
    else:
        reminder = texts.SETTINGS_REMINDER.format(
            time=format_time(state.reminder_time),
            weekdays=schedule.describe_weekdays(state.weekdays),
        )
    lines = [texts.SETTINGS_TITLE, "", reminder]
    if not state.reminders_enabled:
        lines.append(texts.SETTINGS_REMINDERS_OFF)
    lines.append(
        texts.SETTINGS_ZONE.format(zone=html.escape(state.zone_text))
        if state.zone_text
        else texts.SETTINGS_ZONE_UNSET
    )
    lines.append(texts.SETTINGS_SETS.format(sets=state.sets_per_side))
    lines.append(texts.SETTINGS_HOLD.format(hold=state.hold_seconds))
    if state.paused_until is not None:
        lines.append(texts.SETTINGS_PAUSED.format(until=short_day(state.paused_until)))
    lines += ["", texts.SETTINGS_NEXT.format(when=html.escape(state.next_text))]
    lines += ["", texts.SETTINGS_HINT]
    return "\n".join(lines)


def _button(label: str, what: str, value: int | None = None) -> InlineKeyboardButton:
    args = (what,) if value is None else (what, value)
    return InlineKeyboardButton(label, callback_data=callbacks.encode(ACTION, *args))


def _mark(label: str, selected: bool) -> str:
    return texts.SETTINGS_SELECTED.format(label=label) if selected else label


def menu_keyboard(state: SettingsState) -> InlineKeyboardMarkup:
    weekdays = [
        _button(
            texts.SETTINGS_DAY_ON.format(day=name)
            if schedule.weekday_enabled(state.weekdays, day)
            else name,
            "wd",
            day,
        )
        for day, name in enumerate(texts.SETTINGS_WEEKDAY_SHORT)
    ]
    sets = [
        _button(_mark(texts.SETTINGS_BUTTON_SETS.format(n=n), n == state.sets_per_side), "sets", n)
        for n in SETS_CHOICES
    ]
    holds = [
        _button(_mark(texts.SETTINGS_BUTTON_HOLD.format(n=n), n == state.hold_seconds), "hold", n)
        for n in HOLD_CHOICES
    ]
    reminders = _button(
        texts.SETTINGS_BUTTON_REMINDERS_ON
        if state.reminders_enabled
        else texts.SETTINGS_BUTTON_REMINDERS_OFF,
        "rem",
    )
    if state.paused_until is not None:
        pause_row = [_button(texts.SETTINGS_BUTTON_RESUME, "resume")]
    else:
        pause_row = [
            _button(texts.SETTINGS_BUTTON_PAUSE.format(n=n), "pause", n) for n in PAUSE_CHOICES
        ]
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.SETTINGS_BUTTON_TIME, "time"),
                _button(texts.SETTINGS_BUTTON_ZONE, "zone"),
            ],
            weekdays,
            sets,
            holds,
            [reminders],
            pause_row,
            [_button(texts.SETTINGS_BUTTON_DONE, "done")],
        ]
    )
