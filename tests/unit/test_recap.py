"""The weekly recap: the week's first reminder day, and what the message says."""

from __future__ import annotations

from datetime import date

from coach.recap import WeekRecap, is_recap_day, recap_text, week_start
from coach.schedule import ALL_WEEKDAYS
from coach.texts import ENGLISH

MONDAY = date(2026, 11, 23)


def test_the_recap_day_is_the_first_chosen_weekday() -> None:
    assert is_recap_day(MONDAY, ALL_WEEKDAYS)
    assert not is_recap_day(date(2026, 11, 24), ALL_WEEKDAYS)
    weekends = 0b1100000  # Saturday and Sunday
    assert is_recap_day(date(2026, 11, 28), weekends)
    assert not is_recap_day(date(2026, 11, 29), weekends)
    assert not is_recap_day(MONDAY, 0)  # no weekday chosen: no reminder, no recap
    assert week_start(date(2026, 11, 29)) == MONDAY


def test_the_text_says_the_week_and_the_back_trend() -> None:
    text = recap_text(WeekRecap(5, 60, 3, 9, feel=7.5, feel_before=6.0), ENGLISH)
    assert ENGLISH.RECAP_DAYS.format(days=5, days_word="days", sets=60) in text
    assert ENGLISH.RECAP_STREAK.format(current=3, best=9) in text
    assert "7.5/10" in text and "up from 6/10" in text
    one_day = recap_text(WeekRecap(1, 12, 1, 1, feel=None, feel_before=None), ENGLISH)
    assert "1 day of 7" in one_day and ENGLISH.RECAP_FEEL_NONE in one_day
    steady = recap_text(WeekRecap(7, 84, 14, 14, feel=8.0, feel_before=8.2), ENGLISH)
    assert "about the same from 8.2/10" in steady
