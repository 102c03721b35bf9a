"""Keyboards and small renderings for onboarding, the shortcuts and the reminder message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from coach import zones
from coach.buddy_view import reminder_lines
from coach.buttons import Button, Rows, as_rows, web_app_button
from coach.callbacks import OpenSession, ReminderTime, Skip, Snooze
from coach.texts import Texts
from coach.timeinput import COMMON_TIMES, format_time
from coach.together import PersonDay

SNOOZE_MINUTES = (15, 60)


def time_keyboard() -> Rows:
    """The common reminder times, three per row; any other time can be typed."""
    buttons = [Button(format_time(t), ReminderTime(_hhmm(t)).encode()) for t in COMMON_TIMES]
    return as_rows([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def parse_time_arg(arg: str) -> time | None:
    """The time a time button carries ("0730")."""
    if len(arg) != 4 or not arg.isdigit():
        return None
    hour, minute = int(arg[:2]), int(arg[2:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}{t.minute:02d}"


def start_now_keyboard(texts: Texts) -> Rows:
    return as_rows([[Button(texts.START_NOW_BUTTON, OpenSession().encode())]])


def reminder_keyboard(
    day: date, texts: Texts, *, with_snooze: bool = True, mini_app: str | None = None
) -> Rows:
    """▶ Start · ⏰ 15 min · ⏰ 1 h · Skip today; the buttons carry the stretch day they are for.
    With the Mini App's URL (`mini_app`), the hands-free session sits beside ▶ Start."""
    start = [Button(texts.REMINDER_START_BUTTON, OpenSession().encode())]
    if mini_app is not None:
        start.append(web_app_button(texts.MINIAPP_BUTTON, mini_app))
    if not with_snooze:
        return as_rows([start])
    snoozes = [
        Button(label, Snooze(day, minutes).encode())
        for label, minutes in zip(
            (texts.REMINDER_SNOOZE_15_BUTTON, texts.REMINDER_SNOOZE_60_BUTTON),
            SNOOZE_MINUTES,
            strict=True,
        )
    ]
    skip = Button(texts.REMINDER_SKIP_BUTTON, Skip(day).encode())
    return as_rows([start, [*snoozes, skip]])


def reminder_text(
    texts: Texts,
    streak: int,
    done: int = 0,
    target: int = 0,
    *,
    buddies: Sequence[PersonDay] = (),
) -> str:
    """The reminder: the streak to keep, today's sets when some are logged already, and a
    line for each buddy who has stretched today."""
    lines = [
        texts.REMINDER,
        texts.REMINDER_STREAK.format(days=streak, days_word=texts.days_word(streak))
        if streak > 0
        else texts.REMINDER_NO_STREAK,
    ]
    if done > 0:
        left = target - done
        lines.append(
            texts.REMINDER_TODAY_SO_FAR.format(done=done, target=target, left=texts.sets_left(left))
        )
    lines += reminder_lines(buddies, texts)
    return "\n".join(lines)


def local_clock(at: datetime, zone: str) -> str:
    """`at` as "07:30" on the user's wall clock."""
    return format_time(at.astimezone(zones.to_tzinfo(zone)).time())


def describe_next(
    at: datetime | None, now: datetime, zone: str | None, texts: Texts, *, paused: bool
) -> str:
    """The next reminder in the user's words: "Tomorrow at 07:30 (Europe/Berlin)". `paused`:
    paused until resumed (a pause of N days is already skipped in `at`)."""
    if paused:
        return texts.NEXT_PAUSED
    if at is None or zone is None:
        return texts.NEXT_UNSET
    tz = zones.to_tzinfo(zone)
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    values = {"time": format_time(local.time()), "zone": zone}
    if local.date() == today:
        return texts.NEXT_TODAY.format(**values)
    if (local.date() - today).days == 1:
        return texts.NEXT_TOMORROW.format(**values)
    return texts.NEXT_LATER.format(when=texts.short_date(local.date()), **values)
