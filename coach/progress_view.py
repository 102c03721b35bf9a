"""What /progress says: the summary numbers and their text (pure; the handler gathers the data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coach.buddy_view import progress_lines
from coach.streaks import DayProgress
from coach.texts import Texts
from coach.together import PersonDay

if TYPE_CHECKING:  # the calendar module loads Pillow: only on the first /progress
    pass

CALENDAR_WEEKS = 12


@dataclass(frozen=True)
class ProgressSummary:
    current: int
    best: int
    done_today: int
    target: int
    week_met: int
    total: int
    paused_span: str | None = None  # "until Fri 4 Dec" while a pause covers today or tomorrow
    buddies: tuple[PersonDay, ...] = ()  # each buddy's own today (coach.buddy_view)


def calendar_since(today: date, weeks: int = CALENDAR_WEEKS) -> date:
    """The Monday that starts the calendar picture's first column."""
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


def days_met_this_week(days: Mapping[date, DayProgress], today: date) -> int:
    """Days from this Monday through today that met their own target (paused or not)."""
    monday = today - timedelta(days=today.weekday())
    week = (monday + timedelta(days=offset) for offset in range(today.weekday() + 1))
    return sum(1 for day in week if day in days and days[day].met)


def progress_text(summary: ProgressSummary, texts: Texts) -> str:
    text = texts.PROGRESS_TEXT.format(
        current=summary.current,
        current_days=texts.days_word(summary.current),
        best=summary.best,
        done=summary.done_today,
        target=summary.target,
        week_met=summary.week_met,
        week_days=texts.days_word(summary.week_met),
        total=summary.total,
    )
    if summary.paused_span is not None:
        text += "\n" + texts.PROGRESS_PAUSED_LINE.format(span=summary.paused_span)
    if summary.buddies:
        text += "\n\n" + "\n".join(progress_lines(summary.buddies, texts))
    return text


def calendar_subtitle(summary: ProgressSummary, texts: Texts) -> str:
    return texts.CALENDAR_SUBTITLE.format(
        current=summary.current, best=summary.best, total=summary.total
    )
