"""The /settings menu: its text, its inline keyboard and the meaning of each button.

Every button carries `cfg:<what>[:<value>…]` with the value it sets, never "toggle": a weekday
button says "Saturday off" (`wd:5:0`) or "Saturday on" (`wd:5:1`), so a tap on an older menu
can never invert a choice. `parse_choice` accepts only the
values the menu offers, so a forged "sets 9" is refused before anything is stored.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, time

from coach import schedule
from coach.buttons import Button, Rows, as_rows
from coach.callbacks import SettingsTap
from coach.pause_view import OPEN, PAUSE_DAYS, pause_span
from coach.streaks import Pause
from coach.texts import Texts
from coach.timeinput import format_time

SETS_CHOICES = (1, 2, 3, 4, 5)
HOLD_CHOICES = (20, 30, 45, 60)
PAUSE_CHOICES = (*PAUSE_DAYS, OPEN)
OFF_ON = (0, 1)
# What each button does, and the values it may carry, one tuple per argument.
VALUES: dict[str, tuple[tuple[int, ...], ...]] = {
    "time": (),
    "zone": (),
    "wd": (tuple(range(7)), OFF_ON),  # weekday, then off (0) or on (1)
    "sets": (SETS_CHOICES,),
    "hold": (HOLD_CHOICES,),
    "pause": (PAUSE_CHOICES,),
    "resume": (),
    "recap": (OFF_ON,),  # the weekly recap off (0) or on (1)
    "lang": (),  # asks the /language question
    "done": (),
}


@dataclass(frozen=True)
class Choice:
    """What a button sets: `value` is its first argument, `on` a weekday's second."""

    what: str
    value: int | None = None
    on: bool | None = None


@dataclass(frozen=True)
class SettingsState:
    """Everything the menu shows, as plain values (`next_text` is already in words)."""

    reminder_time: time | None
    weekdays: int
    zone_text: str | None
    sets_per_side: int
    hold_seconds: int
    pause: Pause | None  # the pause that covers today or starts tomorrow
    today: date
    next_text: str
    weekly_recap: bool = True


def parse_choice(data: str | None) -> Choice | None:
    """The button's meaning, or None for anything the menu never offered."""
    tap = SettingsTap.parse(data)
    if tap is None or tap.what not in VALUES:
        return None
    what = tap.what
    values = [v for v in (tap.value, tap.on) if v is not None]
    if len(values) != len(VALUES[what]):
        return None
    if any(v not in allowed for v, allowed in zip(values, VALUES[what], strict=True)):
        return None
    if what == "wd":
        return Choice(what, values[0], on=values[1] == 1)
    return Choice(what, values[0] if values else None)


def menu_text(state: SettingsState, texts: Texts) -> str:
    if state.reminder_time is None:
        reminder = texts.SETTINGS_REMINDER_UNSET
    else:
        reminder = texts.SETTINGS_REMINDER.format(
            time=format_time(state.reminder_time),
            weekdays=schedule.describe_weekdays(state.weekdays, texts),
        )
    lines = [texts.SETTINGS_TITLE, "", reminder]
    lines.append(
        texts.SETTINGS_ZONE.format(zone=html.escape(state.zone_text))
        if state.zone_text
        else texts.SETTINGS_ZONE_UNSET
    )
    lines.append(texts.SETTINGS_SETS.format(sets=state.sets_per_side))
    lines.append(texts.SETTINGS_HOLD.format(hold=state.hold_seconds))
    lines.append(texts.SETTINGS_RECAP_ON if state.weekly_recap else texts.SETTINGS_RECAP_OFF)
    lines.append(texts.SETTINGS_LANGUAGE.format(language=texts.language_name))
    if state.pause is not None:
        lines.append(texts.SETTINGS_PAUSED.format(span=pause_span(state.pause, state.today, texts)))
    lines += ["", texts.SETTINGS_NEXT.format(when=html.escape(state.next_text))]
    lines += ["", texts.SETTINGS_HINT]
    return "\n".join(lines)


def _button(label: str, what: str, *values: int) -> Button:
    return Button(label, SettingsTap(what, *values).encode())


def _mark(label: str, selected: bool, texts: Texts) -> str:
    return texts.SETTINGS_SELECTED.format(label=label) if selected else label


def menu_keyboard(state: SettingsState, texts: Texts) -> Rows:
    weekdays = []
    for day, name in enumerate(texts.SETTINGS_WEEKDAY_SHORT):
        on = schedule.weekday_enabled(state.weekdays, day)
        label = texts.SETTINGS_DAY_ON.format(day=name) if on else name
        weekdays.append(_button(label, "wd", day, 0 if on else 1))  # sets the other way
    sets = [
        _button(
            _mark(texts.SETTINGS_BUTTON_SETS.format(n=n), n == state.sets_per_side, texts),
            "sets",
            n,
        )
        for n in SETS_CHOICES
    ]
    holds = [
        _button(
            _mark(texts.SETTINGS_BUTTON_HOLD.format(n=n), n == state.hold_seconds, texts), "hold", n
        )
        for n in HOLD_CHOICES
    ]
    if state.pause is not None:
        pause_rows = [[_button(texts.SETTINGS_BUTTON_RESUME, "resume")]]
    else:
        days = [_button(texts.SETTINGS_BUTTON_PAUSE.format(n=n), "pause", n) for n in PAUSE_DAYS]
        pause_rows = [days, [_button(texts.SETTINGS_BUTTON_PAUSE_OPEN, "pause", OPEN)]]
    return as_rows(
        [
            [
                _button(texts.SETTINGS_BUTTON_TIME, "time"),
                _button(texts.SETTINGS_BUTTON_ZONE, "zone"),
            ],
            weekdays,
            sets,
            holds,
            *pause_rows,
            [
                _button(texts.SETTINGS_BUTTON_RECAP_OFF, "recap", 0)
                if state.weekly_recap
                else _button(texts.SETTINGS_BUTTON_RECAP_ON, "recap", 1)
            ],
            [_button(texts.SETTINGS_BUTTON_LANGUAGE, "lang")],
            [_button(texts.SETTINGS_BUTTON_DONE, "done")],
        ]
    )
