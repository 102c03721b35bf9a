"""The /settings menu as data: which button values are accepted, and what the menu says."""

from __future__ import annotations

from datetime import date, time

import pytest

from coach import callbacks
from coach.pause_view import PAUSE_DAYS
from coach.schedule import ALL_WEEKDAYS, WORKWEEK
from coach.settings_view import (
    HOLD_CHOICES,
    SETS_CHOICES,
    Choice,
    SettingsState,
    menu_keyboard,
    menu_text,
    parse_choice,
)
from coach.streaks import Pause
from coach.texts import ENGLISH

STATE = SettingsState(
    reminder_time=time(7, 30),
    weekdays=WORKWEEK,
    zone_text="Europe/Berlin (UTC+01:00)",
    sets_per_side=3,
    hold_seconds=30,
    pause=None,
    today=date(2026, 11, 27),
    next_text="Tomorrow at 07:30 (Europe/Berlin)",
)
PAUSED = SettingsState(**{**STATE.__dict__, "pause": Pause(date(2026, 11, 27), date(2026, 11, 30))})


def labels(state: SettingsState) -> list[list[str]]:
    return [[button.label for button in row] for row in menu_keyboard(state, ENGLISH)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("sets", 5), Choice("sets", 5)),
        (("hold", 45), Choice("hold", 45)),
        (("wd", 6, 0), Choice("wd", 6, on=False)),
        (("wd", 5, 1), Choice("wd", 5, on=True)),
        (("pause", 14), Choice("pause", 14)),
        (("pause", 0), Choice("pause", 0)),  # until resumed
        (("resume",), Choice("resume")),
        (("sets", 0), None),
        (("sets", 9), None),
        (("hold", 31), None),
        (("wd", 7, 1), None),
        (("wd", 6), None),  # the old "toggle" form: refused, it could invert a choice
        (("wd", 6, 2), None),
        (("pause", 2), None),
        (("sets",), None),
        (("rem", 0), None),  # the old reminders switch: one pause replaced it
        (("sets", 3, 3), None),
        (("color", 1), None),
    ],
)
def test_only_offered_values_are_accepted(args: tuple[str | int, ...], expected: object) -> None:
    assert parse_choice(callbacks.encode("cfg", *args)) == expected


def test_other_actions_and_garbage_are_refused() -> None:
    assert parse_choice(callbacks.encode("deleteme", "yes", 1)) is None
    assert parse_choice("v0:cfg:sets:3") is None
    assert parse_choice(None) is None


def test_every_button_round_trips_and_fits_telegrams_limit() -> None:
    for state in (STATE, PAUSED):
        for row in menu_keyboard(state, ENGLISH):
            for button in row:
                data = button.data
                assert isinstance(data, str)
                assert len(data.encode()) <= callbacks.MAX_BYTES
                assert parse_choice(data) is not None, data


def test_menu_marks_current_values_and_enabled_days() -> None:
    rows = labels(STATE)
    assert rows[1] == ["✓Mo", "✓Tu", "✓We", "✓Th", "✓Fr", "Sa", "Su"]
    assert rows[2] == [("•3×•" if n == 3 else f"{n}×") for n in SETS_CHOICES]
    assert rows[3] == [("•30s•" if n == 30 else f"{n}s") for n in HOLD_CHOICES]
    assert rows[4] == [f"⏸ {n}d" for n in PAUSE_DAYS]
    assert rows[5] == [ENGLISH.SETTINGS_BUTTON_PAUSE_OPEN]


def test_menu_text_names_schedule_zone_and_next_reminder() -> None:
    text = menu_text(STATE, ENGLISH)
    assert "Reminder: <b>07:30</b> on weekdays" in text
    assert "Europe/Berlin (UTC+01:00)" in text
    assert "Next reminder: <b>Tomorrow at 07:30 (Europe/Berlin)</b>" in text
    assert "Paused" not in text


def test_paused_menu_offers_resume_instead_of_pauses() -> None:
    assert "Paused <b>until Mon 30 Nov</b>" in menu_text(PAUSED, ENGLISH)
    assert labels(PAUSED)[4] == [ENGLISH.SETTINGS_BUTTON_RESUME]
    assert labels(PAUSED)[-1] == [ENGLISH.SETTINGS_BUTTON_DONE]


def test_the_weekly_recap_switch_says_what_it_sets() -> None:
    assert ENGLISH.SETTINGS_RECAP_ON in menu_text(STATE, ENGLISH)
    assert [ENGLISH.SETTINGS_BUTTON_RECAP_OFF] in labels(STATE)
    off = SettingsState(**{**STATE.__dict__, "weekly_recap": False})
    assert ENGLISH.SETTINGS_RECAP_OFF in menu_text(off, ENGLISH)
    assert [ENGLISH.SETTINGS_BUTTON_RECAP_ON] in labels(off)
    # The button carries the value it sets, never "toggle": an old menu cannot invert it.
    assert parse_choice(callbacks.encode("cfg", "recap", 1)) == Choice("recap", 1)
    assert parse_choice(callbacks.encode("cfg", "recap", 2)) is None


def test_a_pause_from_tomorrow_or_until_resumed_says_so() -> None:
    tomorrow = Pause(date(2026, 11, 28), date(2026, 11, 30))
    ahead = SettingsState(**{**STATE.__dict__, "pause": tomorrow})
    assert "Paused <b>from tomorrow until Mon 30 Nov</b>" in menu_text(ahead, ENGLISH)
    open_ended = SettingsState(**{**STATE.__dict__, "pause": Pause(date(2026, 11, 20), None)})
    assert "Paused <b>until you resume</b>" in menu_text(open_ended, ENGLISH)


def test_unset_schedule_and_an_open_pause_are_said_plainly() -> None:
    bare = SettingsState(
        reminder_time=None,
        weekdays=ALL_WEEKDAYS,
        zone_text=None,
        sets_per_side=3,
        hold_seconds=30,
        pause=Pause(date(2026, 11, 20), None),
        today=date(2026, 11, 27),
        next_text=ENGLISH.NEXT_PAUSED,
    )
    text = menu_text(bare, ENGLISH)
    assert ENGLISH.SETTINGS_REMINDER_UNSET in text
    assert ENGLISH.SETTINGS_ZONE_UNSET in text
    assert ENGLISH.NEXT_PAUSED in text
    assert labels(bare)[4] == [ENGLISH.SETTINGS_BUTTON_RESUME]


def test_user_text_in_the_zone_is_escaped() -> None:
    odd = SettingsState(**{**STATE.__dict__, "zone_text": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in menu_text(odd, ENGLISH)
