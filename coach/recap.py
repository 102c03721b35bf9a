"""The weekly recap: on which day it goes, and what it says (the week just ended, the streak,
and how the back felt, against the week before)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from coach import schedule
from coach.buttons import Button, Rows, as_rows
from coach.callbacks import OpenSession
from coach.texts import Texts

WEEK = timedelta(days=7)


def week_start(day: date) -> date:
    """The Monday of `day`'s week: a recap goes once per user and week."""
    return day - timedelta(days=day.weekday())


def is_recap_day(day: date, weekdays: int) -> bool:
    """Whether `day` is the user's first reminder weekday of its week (Monday first)."""
    return day.weekday() == _first_weekday(weekdays)


@functools.cache  # 128 masks at most; the tick asks for each claimed user
def _first_weekday(weekdays: int) -> int | None:
    return next((day for day in range(7) if schedule.weekday_enabled(weekdays, day)), None)


@dataclass(frozen=True)
class WeekRecap:
    """The seven stretch days before the recap's day, in numbers."""

    days_met: int
    sets: int
    current: int
    best: int
    feel: float | None  # the average back check-in of those days (0–10)
    feel_before: float | None  # … and of the seven days before them


def recap_text(recap: WeekRecap, texts: Texts) -> str:
    lines = [
        texts.RECAP_TITLE,
        texts.RECAP_DAYS.format(
            days=recap.days_met, days_word=texts.days_word(recap.days_met), sets=recap.sets
        ),
        texts.RECAP_STREAK.format(current=recap.current, best=recap.best),
    ]
    if recap.feel is None:
        lines.append(texts.RECAP_FEEL_NONE)
    elif recap.feel_before is None:
        lines.append(texts.RECAP_FEEL.format(feel=_score(recap.feel)))
    else:
        change = recap.feel - recap.feel_before
        trend = (
            texts.RECAP_UP
            if change >= 0.5
            else texts.RECAP_DOWN
            if change <= -0.5
            else texts.RECAP_SAME
        )
        lines.append(
            texts.RECAP_FEEL_TREND.format(
                feel=_score(recap.feel), before=_score(recap.feel_before), trend=trend
            )
        )
    lines.append(texts.RECAP_CLOSING)
    return "\n".join(lines)


def recap_keyboard(texts: Texts) -> Rows:
    return as_rows([[Button(texts.REMINDER_START_BUTTON, OpenSession().encode())]])


def _score(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
