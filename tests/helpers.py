"""Helpers the end-to-end tests share: users made in the database or onboarded through the
chat, sets logged, and what the bot sent (the /progress picture, the export, reminders)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time
from typing import Any

from PIL import Image
from sqlalchemy import select

from coach.calendar_image import cell_box
from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH
from playground.fake_telegram import ChatState, FakeTelegram
from playground.fake_types import chat_json
from storage import reminder_plan
from storage.db import Database
from storage.models import LoggedSet, PausedDay, User
from tests.harness import Harness

ANN = 6101  # the user the /progress picture and session helpers act for by default
REMINDER_ANN = 6001  # the reminder tests' user, whom `_onboard` onboards by default
LAST_WEEK = 11  # the calendar's last column holds today
# Europe/Berlin is UTC+1 in November: 07:30 local is 06:30 UTC.
WEDNESDAY_0730 = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)


async def onboard(h: Harness, uid: int = ANN) -> None:
    """Finish onboarding through the chat: Berlin, reminders at 07:30."""
    await h.send(uid, "/start")
    await h.send(uid, "Berlin")
    await h.send(uid, "7:30")


async def _onboard(h: Harness, uid: int = REMINDER_ANN) -> None:
    """`onboard`, for the reminder tests' user by default."""
    await h.send(uid, "/start")
    await h.send(uid, "Berlin")
    await h.send(uid, "7:30")


async def add_onboarded_users(
    db: Database,
    fake: FakeTelegram,
    user_ids: range | list[int],
    now: datetime,
    *,
    zone: str = "Europe/Berlin",
    at: time = time(7, 30),
) -> None:
    """Users who finished onboarding earlier (their chats exist at the fake Telegram)."""
    async with db.transaction() as session:
        for uid in user_ids:
            user = User(id=uid, chat_id=uid, first_name="Ann", time_zone=zone, reminder_time=at)
            user.weekdays, user.blocked = 0b1111111, False
            session.add(user)
            await reminder_plan.reschedule(session, user, now)
            fake.chats.setdefault(uid, ChatState(chat_json(uid, "private", "Ann")))


def _set_rows(
    user_id: int, days: list[date], numbers: range, target: int, at: datetime | None = None
) -> list[LoggedSet]:
    """Sets `numbers` of every stretch × side on each of `days`, in session order, logged at
    `at` (default: 09:00 UTC that day)."""
    parts = [(s.key, side) for s in load_routine().stretches for side in SIDES]
    return [
        LoggedSet(
            user_id=user_id,
            stretch_day=day,
            stretch_key=key,
            side=side,
            set_number=number,
            sets_target=target,
            logged_at=at or datetime.combine(day, time(9), tzinfo=UTC),
        )
        for day in days
        for key, side in parts
        for number in numbers
    ]


async def log_sets(harness: Harness, day: date, count: int, user_id: int = ANN) -> None:
    """`count` sets on `day`, spread over stretches and sides the way a session logs them."""
    async with harness.services.db.transaction() as session:
        # Logged long before, so any set a test logs later is the day's latest.
        early = datetime(2026, 11, 1, tzinfo=UTC)
        session.add_all(_set_rows(user_id, [day], range(1, 4), 3, early)[:count])


async def seed_days(
    harness: Harness, days: list[date], per_side: int, *, target: int = 3, user_id: int = ANN
) -> None:
    """History as rows: sets 1…`per_side` of every stretch × side on each of `days`, logged
    under `target` sets per side (what a session on that day would have stored)."""
    async with harness.services.db.transaction() as session:
        session.add_all(_set_rows(user_id, days, range(1, per_side + 1), target))


async def log_in_session(h: Harness, per_side: int, uid: int = ANN) -> None:
    """Open /stretch and tick sets 1…`per_side` of every stretch × side in the Log sets grid."""
    await h.send(uid, "/stretch")
    labels = [label for row in h.last(uid).buttons() for label, _ in row]
    if ENGLISH.SESSION_BTN_LOG in labels:  # a session brought back may already show the grid
        await h.tap_button(uid, h.last(uid), ENGLISH.SESSION_BTN_LOG)
    while True:
        open_sets = [
            label
            for row in h.last(uid).buttons()
            for label, _ in row
            if label.startswith(ENGLISH.SESSION_MARK_OPEN) and int(label.split()[-1]) <= per_side
        ]
        if not open_sets:
            return
        await h.tap_button(uid, h.last(uid), open_sets[0])


async def choose_sets_per_side(h: Harness, n: int, uid: int = ANN) -> str:
    """Choose `n` in /settings; returns the toast."""
    await h.send(uid, "/settings")
    answer = await h.tap_button(uid, h.last(uid), f"{n}×")
    return str(answer["text"])


def photo_of_last_message(harness: Harness) -> Image.Image:
    """The calendar picture of Ann's last message, as RGB."""
    message = harness.last(ANN)
    assert message.photo_file_id is not None, "/progress sent no photo"
    stored = harness.fake.files.get(message.photo_file_id)
    assert stored is not None
    picture = Image.open(io.BytesIO(stored.data))
    picture.load()
    return picture.convert("RGB")


def centre_colour(picture: Image.Image, week: int, weekday: int) -> tuple[int, ...]:
    """The colour in the middle of one calendar cell (week 0 is the oldest column)."""
    left, top, right, bottom = cell_box(week, weekday)
    value = picture.getpixel(((left + right) // 2, (top + bottom) // 2))
    assert isinstance(value, tuple)
    return value


def downloaded_json(harness: Harness, user_id: int) -> dict[str, Any]:
    """The JSON document the user's last message carries (the /export file)."""
    document = harness.last(user_id).document
    assert document is not None, "the export was not sent as a document"
    stored = harness.fake.files.get(document["file_id"])
    assert stored is not None
    return dict(json.loads(stored.data))


def reminders_received(fake: FakeTelegram, chat_id: int) -> int:
    """How many reminder messages the user has in their chat."""
    return sum(1 for m in fake.bot_messages(chat_id) if (m.text or "").startswith(ENGLISH.REMINDER))


async def paused_rows(harness: Harness, user_id: int) -> list[date]:
    """The user's PausedDay rows, oldest first."""
    async with harness.services.db.transaction() as session:
        rows = await session.scalars(
            select(PausedDay.stretch_day)
            .where(PausedDay.user_id == user_id)
            .order_by(PausedDay.stretch_day)
        )
        return list(rows)
