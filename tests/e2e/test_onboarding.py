"""Onboarding on /start, and /time, /timezone, /pause, /resume, through the fake Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, time

from coach.texts import ENGLISH
from tests.harness import Harness, button_data

ANN = 5001

# The clock fixture: Tuesday 2026-11-24 08:00 UTC (09:00 in Berlin).


def _texts(h: Harness, uid: int = ANN) -> list[str]:
    return [m.text or "" for m in h.fake.bot_messages(uid)]


async def test_onboarding_by_location(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    welcome, question = _texts(h)
    assert ENGLISH.SAFETY in welcome
    assert "time zone" in question
    keyboard = h.fake.reply_keyboard(ANN)
    assert keyboard is not None
    first = keyboard["keyboard"][0][0]
    assert first["text"] == ENGLISH.SHARE_LOCATION_BUTTON and first["request_location"] is True

    await h.send_location(ANN, 52.52, 13.405)  # Berlin
    zone_set, ask_time = _texts(h)[-2:]
    assert "Europe/Berlin" in zone_set and "09:00" in zone_set  # local time shown back
    assert h.fake.reply_keyboard(ANN) is None  # the location keyboard is gone
    assert ask_time == ENGLISH.ASK_TIME.replace("<b>", "").replace("</b>", "")

    await h.tap_button(ANN, h.last(ANN), "07:00")
    done = h.last(ANN)
    assert "Tomorrow at 07:00 (Europe/Berlin)" in (done.text or "")
    assert done.buttons()[0][0][0] == ENGLISH.START_NOW_BUTTON
    user = await h.stored_user(ANN)
    assert user.awaiting is None
    # 07:00 in Berlin on Wednesday 25 November is 06:00 UTC.
    assert user.next_reminder_at == datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


async def test_onboarding_by_city_with_a_typed_time(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "new york")
    assert "America/New_York" in _texts(h)[-2]
    await h.send(ANN, "7.30 pm")
    assert "Today at 19:30 (America/New_York)" in _texts(h)[-1]
    user = await h.stored_user(ANN)
    assert (user.time_zone, user.reminder_time) == ("America/New_York", time(19, 30))


async def test_onboarding_by_offset_with_hints_for_nonsense(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "Atlantis")
    assert _texts(h)[-1] == ENGLISH.ZONE_HINT.format(examples=ENGLISH.ZONE_EXAMPLES)
    assert (
        await h.stored_user(ANN)
    ).awaiting == "onboarding_zone"  # still asking the same question

    await h.send(ANN, "UTC+5:45")
    assert "UTC+05:45" in _texts(h)[-2]
    await h.send(ANN, "25:99")
    assert _texts(h)[-1] == ENGLISH.TIME_HINT
    await h.send(ANN, "1930")
    assert "Today at 19:30 (UTC+05:45)" in _texts(h)[-1]


async def test_restart_mid_onboarding_keeps_the_question(harness: Harness) -> None:
    from tests.harness import running_bot

    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "Berlin")
    async with running_bot(h.services.db.url, h.clock) as again:
        await again.send(ANN, "8am")
        assert "Tomorrow at 08:00 (Europe/Berlin)" in (again.last(ANN).text or "")


async def test_start_again_greets_and_changes_nothing(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "Berlin")
    await h.send(ANN, "7:30")
    before = await h.stored_user(ANN)
    await h.send(ANN, "/start")
    assert "Welcome back" in _texts(h)[-1] and "Tomorrow at 07:30" in _texts(h)[-1]
    after = await h.stored_user(ANN)
    assert (after.time_zone, after.reminder_time, after.next_reminder_at) == (
        before.time_zone,
        before.reminder_time,
        before.next_reminder_at,
    )


async def test_start_with_deep_link_payload_onboards(harness: Harness) -> None:
    await harness.send(ANN, "/start group")
    assert "time zone" in _texts(harness)[-1]


async def test_text_when_nothing_is_asked_reaches_the_catch_all(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "Berlin")
    await h.send(ANN, "7:30")
    await h.send(ANN, "hello there")
    assert _texts(h)[-1] == ENGLISH.UNKNOWN_TEXT


async def test_shortcuts_change_time_zone_and_pause(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "Berlin")
    await h.send(ANN, "7:30")

    await h.send(ANN, "/time 21:00")
    assert "21:00" in _texts(h)[-1] and "Today at 21:00 (Europe/Berlin)" in _texts(h)[-1]
    await h.send(ANN, "/time")
    await h.tap_button(ANN, h.last(ANN), "12:30")
    assert "Today at 12:30 (Europe/Berlin)" in _texts(h)[-1]
    await h.send(ANN, "/time soonish")
    assert _texts(h)[-1] == ENGLISH.TIME_HINT

    await h.send(ANN, "/timezone Tokyo")
    # 12:30 in Tokyo has passed at 17:00 local: tomorrow.
    assert "Tomorrow at 12:30 (Asia/Tokyo)" in _texts(h)[-1]
    await h.send(ANN, "/timezone")
    await h.send(ANN, "GMT-7")
    assert "Today at 12:30 (UTC-07:00)" in _texts(h)[-1]

    await h.send(ANN, "/pause")
    assert _texts(h)[-1] == ENGLISH.PAUSE_ASK.replace("<b>", "").replace("</b>", "")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.PAUSE_BUTTON_OPEN)
    assert _texts(h)[-1] == ENGLISH.PAUSED_OPEN
    assert (await h.stored_user(ANN)).next_reminder_at is None
    await h.send(ANN, "/resume")
    assert "Today at 12:30 (UTC-07:00)" in _texts(h)[-1]
    assert (await h.stored_user(ANN)).next_reminder_at == datetime(2026, 11, 24, 19, 30, tzinfo=UTC)


async def test_time_buttons_expire_once_the_time_is_typed(harness: Harness) -> None:
    await harness.send(USER_TIME_STALE, "/start")
    await harness.send(USER_TIME_STALE, "Berlin")
    question = harness.last(USER_TIME_STALE).snapshot()
    await harness.send(USER_TIME_STALE, "7:30")
    stored = (await harness.stored_user(USER_TIME_STALE)).reminder_time
    answer = await harness.tap_button(USER_TIME_STALE, question, "19:00")
    assert answer["text"] == ENGLISH.TIME_EXPIRED
    assert (await harness.stored_user(USER_TIME_STALE)).reminder_time == stored


USER_TIME_STALE = 6402


async def test_time_buttons_act_only_on_the_newest_open_question(harness: Harness) -> None:
    user = USER_TIME_STALE + 1
    await harness.send(user, "/start")
    await harness.send(user, "Berlin")
    await harness.send(user, "7:30")
    await harness.send(user, "/time")
    first = harness.last(user).snapshot()
    await harness.send(user, "/time")  # asked again: the first question is stale now
    second = harness.last(user).snapshot()
    await harness.send(user, "/help")
    elsewhere = harness.last(user).message_id
    nineteen = button_data(second, "19:00")
    for message_id in (first.message_id, elsewhere):
        answer = await harness.tap(user, message_id, nineteen)
        assert answer is not None and answer["text"] == ENGLISH.TIME_EXPIRED
        assert (await harness.stored_user(user)).reminder_time == time(7, 30)
    await harness.tap_button(user, second, "19:00")
    assert (await harness.stored_user(user)).reminder_time == time(19, 0)
