"""/settings end to end: each button changes what it should (the next reminder included),
the menu is edited in place and says so; forged values change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from coach import callbacks
from coach.schedule import ALL_WEEKDAYS
from coach.texts import ENGLISH
from playground.fake_types import ChatMessage
from storage.models import PausedDay, User
from tests.harness import Harness, button_data
from tests.helpers import log_sets, paused_rows

ANN = 7101
TODAY = date(2026, 11, 24)  # Tuesday; the clock says 08:00 UTC = 09:00 in Berlin
TOMORROW_0730_BERLIN = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)


async def make_user(harness: Harness, user_id: int = ANN) -> None:
    async with harness.services.db.transaction() as session:
        session.add(
            User(
                id=user_id,
                chat_id=user_id,
                first_name="Ann",
                time_zone="Europe/Berlin",
                reminder_time=time(7, 30),
                weekdays=ALL_WEEKDAYS,
                next_reminder_at=TOMORROW_0730_BERLIN,
            )
        )


async def open_menu(harness: Harness) -> ChatMessage:
    await harness.send(ANN, "/settings")
    menu = harness.last(ANN)
    assert (menu.text or "").startswith("⚙️ Settings")
    return menu


def menu_now(harness: Harness, menu: ChatMessage) -> ChatMessage:
    """The menu message as the user sees it now (edits applied)."""
    for message in harness.fake.bot_messages(ANN):
        if message.message_id == menu.message_id:
            return message
    raise AssertionError("the menu message is gone")


async def test_menu_shows_the_current_settings_and_next_reminder(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    text = menu.text or ""
    assert "Reminder: 07:30 on every day" in text
    assert "Time zone: Europe/Berlin (UTC+01:00)" in text
    assert "Sets per side: 3" in text
    assert "Hold: 30 s" in text
    assert "Next reminder: Tomorrow at 07:30 (Europe/Berlin)" in text
    labels = [label for row in menu.buttons() for label, _ in row]
    assert "•3×•" in labels
    assert "•30s•" in labels
    assert ENGLISH.SETTINGS_BUTTON_RESUME not in labels


async def test_weekday_toggle_moves_the_next_reminder(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    answer = await harness.tap_button(ANN, menu, "✓We")
    assert answer["text"] == ENGLISH.SETTINGS_DAY_OFF_TOAST.format(day="Wednesday")

    user = await harness.stored_user(ANN)
    assert user.weekdays == ALL_WEEKDAYS & ~(1 << 2)
    assert user.next_reminder_at == TOMORROW_0730_BERLIN + timedelta(days=1)  # Thursday
    edited = menu_now(harness, menu)
    assert edited.edits == 1
    assert "Next reminder: Thu 26 Nov at 07:30 (Europe/Berlin)" in (edited.text or "")
    assert "Mon, Tue, Thu, Fri, Sat, Sun" in (edited.text or "")
    # The button says what it sets: Wednesday on again.
    assert ("We", callbacks.encode("cfg", "wd", 2, 1)) in edited.buttons()[1]
    assert harness.last(ANN).message_id == menu.message_id  # no new message: edited in place

    await harness.tap_button(ANN, edited, "We")
    assert (await harness.stored_user(ANN)).next_reminder_at == TOMORROW_0730_BERLIN


async def test_sets_and_hold_change_and_forged_values_do_not(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    await harness.tap_button(ANN, menu, "4×")
    await harness.tap_button(ANN, menu_now(harness, menu), "45s")
    user = await harness.stored_user(ANN)
    assert (user.sets_per_side, user.hold_seconds) == (4, 45)
    text = menu_now(harness, menu).text or ""
    assert "Sets per side: 4" in text
    assert "Hold: 45 s" in text

    before = menu_now(harness, menu).snapshot()
    for forged in (("sets", 9), ("hold", 31), ("pause", 2), ("wd", 7), ("sets", "x")):
        answer = await harness.tap(ANN, menu.message_id, callbacks.encode("cfg", *forged))
        assert answer is not None
        assert answer["text"] == ENGLISH.SETTINGS_OUT_OF_RANGE
    user = await harness.stored_user(ANN)
    assert (user.sets_per_side, user.hold_seconds, user.weekdays) == (4, 45, ALL_WEEKDAYS)
    assert await paused_rows(harness, ANN) == []
    assert menu_now(harness, menu).edits == before.edits


async def test_a_pause_until_resumed_and_resuming(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    answer = await harness.tap_button(ANN, menu, ENGLISH.SETTINGS_BUTTON_PAUSE_OPEN)
    assert answer["text"] == "Paused until you resume"
    user = await harness.stored_user(ANN)
    assert (user.paused_since, user.next_reminder_at) == (TODAY, None)
    text = menu_now(harness, menu).text or ""
    assert "⏸ Paused until you resume" in text  # the menu's HTML, as the user reads it
    assert f"Next reminder: {ENGLISH.NEXT_PAUSED}" in text

    await harness.tap_button(ANN, menu_now(harness, menu), ENGLISH.SETTINGS_BUTTON_RESUME)
    user = await harness.stored_user(ANN)
    assert user.paused_since is None
    assert user.next_reminder_at == TOMORROW_0730_BERLIN


async def test_pause_and_resume_early(harness: Harness) -> None:
    await make_user(harness)
    async with harness.services.db.transaction() as session:
        session.add(PausedDay(user_id=ANN, stretch_day=date(2026, 11, 2)))  # an old pause
    menu = await open_menu(harness)
    answer = await harness.tap_button(ANN, menu, "⏸ 7d")
    assert answer["text"] == "Paused until Mon 30 Nov"

    assert await paused_rows(harness, ANN) == [date(2026, 11, 2)] + [
        TODAY + timedelta(days=n) for n in range(7)
    ]
    # The first reminder after the pause: Tuesday 1 December, 07:30 in Berlin.
    assert (await harness.stored_user(ANN)).next_reminder_at == datetime(
        2026, 12, 1, 6, 30, tzinfo=UTC
    )
    paused_menu = menu_now(harness, menu)
    assert "Paused until Mon 30 Nov" in (paused_menu.text or "")
    assert "Next reminder: Tue 1 Dec at 07:30 (Europe/Berlin)" in (paused_menu.text or "")
    assert paused_menu.buttons()[4] == [
        (ENGLISH.SETTINGS_BUTTON_RESUME, callbacks.encode("cfg", "resume"))
    ]

    answer = await harness.tap_button(ANN, paused_menu, ENGLISH.SETTINGS_BUTTON_RESUME)
    assert answer["text"] == ENGLISH.SETTINGS_RESUMED_TOAST
    assert await paused_rows(harness, ANN) == [date(2026, 11, 2)]  # the past stays paused
    assert (await harness.stored_user(ANN)).next_reminder_at == TOMORROW_0730_BERLIN
    assert "Paused until" not in (menu_now(harness, menu).text or "")


async def test_pausing_through_the_menu_keeps_the_streak(harness: Harness) -> None:
    await make_user(harness)
    harness.clock.set(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))  # Tuesday a week earlier
    await log_sets(harness, date(2026, 11, 16), 12, user_id=ANN)
    await harness.tap_button(ANN, await open_menu(harness), "⏸ 7d")  # Tue 17 … Mon 23

    harness.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    await log_sets(harness, TODAY, 12, user_id=ANN)
    await harness.send(ANN, "/progress")
    assert "Streak: 2 days (best 2)" in (harness.last(ANN).caption or "")


async def test_typed_time_brings_the_menu_back(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    await harness.tap_button(ANN, menu, ENGLISH.SETTINGS_BUTTON_TIME)
    assert harness.last(ANN).text == ENGLISH.ASK_TIME

    await harness.send(ANN, "6.45 am")
    user = await harness.stored_user(ANN)
    assert user.reminder_time == time(6, 45)
    assert user.awaiting is None
    assert user.next_reminder_at == datetime(2026, 11, 25, 5, 45, tzinfo=UTC)
    again = harness.last(ANN)
    assert again.message_id != menu.message_id
    assert "Reminder: 06:45 on every day" in (again.text or "")
    assert "Next reminder: Tomorrow at 06:45 (Europe/Berlin)" in (again.text or "")


async def test_a_tapped_time_brings_the_menu_back_too(harness: Harness) -> None:
    await make_user(harness)
    await harness.tap_button(ANN, await open_menu(harness), ENGLISH.SETTINGS_BUTTON_TIME)
    question = harness.last(ANN)
    assert question.text == ENGLISH.ASK_TIME

    await harness.tap_button(ANN, question, "18:00")
    user = await harness.stored_user(ANN)
    assert user.reminder_time == time(18, 0)
    assert user.awaiting is None
    again = harness.last(ANN)
    assert "Reminder: 18:00 on every day" in (again.text or "")
    assert "Next reminder: Today at 18:00 (Europe/Berlin)" in (again.text or "")


async def test_unreadable_time_gets_a_hint_and_keeps_asking(harness: Harness) -> None:
    await make_user(harness)
    await harness.tap_button(ANN, await open_menu(harness), ENGLISH.SETTINGS_BUTTON_TIME)
    await harness.send(ANN, "whenever")
    assert harness.last(ANN).text == ENGLISH.TIME_HINT
    assert (await harness.stored_user(ANN)).reminder_time == time(7, 30)
    await harness.send(ANN, "19:45")
    assert (await harness.stored_user(ANN)).reminder_time == time(19, 45)
    assert "Reminder: 19:45" in (harness.last(ANN).text or "")


async def test_typed_zone_reschedules_and_brings_the_menu_back(harness: Harness) -> None:
    await make_user(harness)
    await harness.tap_button(ANN, await open_menu(harness), ENGLISH.SETTINGS_BUTTON_ZONE)
    await harness.send(ANN, "Tokyo")
    user = await harness.stored_user(ANN)
    assert user.time_zone == "Asia/Tokyo"
    # 17:00 in Tokyo now, so the next 07:30 there is tomorrow morning: 22:30 UTC today.
    assert user.next_reminder_at == datetime(2026, 11, 24, 22, 30, tzinfo=UTC)
    text = harness.last(ANN).text or ""
    assert "Time zone: Asia/Tokyo (UTC+09:00)" in text
    assert "Next reminder: Tomorrow at 07:30 (Asia/Tokyo)" in text


async def test_done_closes_the_menu(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    await harness.tap_button(ANN, menu, ENGLISH.SETTINGS_BUTTON_DONE)
    closed = menu_now(harness, menu)
    assert closed.text == ENGLISH.SETTINGS_CLOSED
    assert closed.buttons() == []


async def test_only_the_newest_menu_acts(harness: Harness) -> None:
    await make_user(harness)
    older = await open_menu(harness)
    newer = await open_menu(harness)
    answer = await harness.tap_button(ANN, newer, "✓Sa")
    assert answer["text"] == ENGLISH.SETTINGS_DAY_OFF_TOAST.format(day="Saturday")
    # The older menu still shows Saturday on; its tap would have meant "Saturday off" too,
    # but it is stale: nothing changes and it loses its buttons.
    answer = await harness.tap_button(ANN, older, "✓Sa")
    assert answer["text"] == ENGLISH.SETTINGS_MENU_EXPIRED
    assert menu_now(harness, older).buttons() == []
    user = await harness.stored_user(ANN)
    assert user.weekdays == ALL_WEEKDAYS & ~(1 << 5)
    assert "Mon, Tue, Wed, Thu, Fri, Sun" in (menu_now(harness, newer).text or "")


async def test_a_value_already_set_is_answered_without_an_edit(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    answer = await harness.tap_button(ANN, menu, "•3×•")
    assert answer["text"] == ENGLISH.SETTINGS_UNCHANGED
    assert menu_now(harness, menu).edits == 0
    # A weekday "on" that is on already (a forged or raced tap): no change, no edit.
    on = callbacks.encode("cfg", "wd", 0, 1)
    raced = await harness.tap(ANN, menu.message_id, on)
    assert raced is not None and raced["text"] == ENGLISH.SETTINGS_UNCHANGED
    assert menu_now(harness, menu).edits == 0


async def test_a_menu_left_after_deleteme_re_creates_nobody(harness: Harness) -> None:
    await make_user(harness)
    menu = await open_menu(harness)
    await harness.send(ANN, "/deleteme")
    await harness.tap_button(ANN, harness.last(ANN), ENGLISH.DELETE_BUTTON_YES)
    for label in ("✓Sa", ENGLISH.SETTINGS_BUTTON_TIME, ENGLISH.SETTINGS_BUTTON_ZONE):
        answer = await harness.tap(ANN, menu.message_id, button_data(menu, label))
        assert answer is not None and answer["text"] == ENGLISH.SETTINGS_MENU_EXPIRED
    async with harness.services.db.transaction() as session:
        assert await session.get(User, ANN) is None
