"""Set buttons: idempotent under a burst of taps, the Log sets grid toggles, and stale, forged or
malformed buttons answer "expired" and change nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from coach.callbacks import LogSet
from coach.session_flow import day_code
from coach.texts import ENGLISH
from playground.fake_types import ChatMessage
from storage.models import LoggedSet
from tests.harness import Harness, button_data

USER = 6262


async def _sets_logged(harness: Harness, user_id: int = USER) -> int:
    async with harness.services.db.transaction() as session:
        count = await session.scalar(
            select(func.count()).select_from(LoggedSet).where(LoggedSet.user_id == user_id)
        )
    return int(count or 0)


async def _open_hold(harness: Harness) -> ChatMessage:
    await harness.send(USER, "/stretch")
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_START)
    while "· hold" not in (harness.last(USER).caption or ""):
        await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_NEXT)
    return harness.last(USER)


async def test_fifty_concurrent_taps_on_one_set_count_once(harness: Harness) -> None:
    hold = await _open_hold(harness)
    data = button_data(hold, "Set 1 done")
    queries = [harness.fake.tap(USER, hold.message_id, data) for _ in range(50)]
    await harness.fake.wait_for(
        lambda: all(harness.fake.callback_answer(q) is not None for q in queries), timeout=60
    )
    toasts = [(harness.fake.callback_answer(q) or {}).get("text") for q in queries]
    assert toasts.count(ENGLISH.SESSION_SET_LOGGED.format(number=1)) == 1
    assert toasts.count(ENGLISH.SESSION_SET_ALREADY.format(number=1)) == 49
    assert await _sets_logged(harness) == 1
    shown = harness.last(USER)
    assert "Left ●○○  Right ○○○" in (shown.caption or "")
    assert any("Set 2 done" in text for row in shown.buttons() for text, _ in row)


async def test_log_sets_grid_toggles_and_never_double_counts(harness: Harness) -> None:
    await harness.send(USER, "/stretch")
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_LOG)
    grid = harness.last(USER)
    assert ENGLISH.SESSION_LOG_HELP in (grid.caption or "")
    answer = await harness.tap_button(USER, grid, f"{ENGLISH.SESSION_MARK_OPEN} Left 2")
    assert answer["text"] == ENGLISH.SESSION_SET_LOGGED.format(number=2)
    grid = harness.last(USER)
    assert "Today: 1/12 sets" in (grid.caption or "")
    undo = button_data(
        grid, "✅ Left 2"
    )  # the same set's button now says it is done, and undoes it
    answer = await harness.tap_button(USER, grid, "✅ Left 2")
    assert answer["text"] == ENGLISH.SESSION_SET_UNDONE.format(number=2)
    assert "Today: 0/12 sets" in (harness.last(USER).caption or "")
    assert await _sets_logged(harness) == 0
    # A second tap on the old ✅ button finds nothing to undo and changes nothing.
    again = await harness.tap(USER, grid.message_id, undo)
    assert again is not None and again["text"] == ENGLISH.SESSION_SET_NOT_LOGGED.format(number=2)
    assert await _sets_logged(harness) == 0


async def test_a_button_from_yesterday_has_expired(harness: Harness) -> None:
    hold = await _open_hold(harness)
    data = button_data(hold, "Set 1 done")
    # 08:00 UTC (no zone set: UTC) → past 03:00 the next day: a new stretch day.
    harness.clock.advance(timedelta(hours=19, minutes=5))
    before = harness.fake.bot_messages(USER)[-1]
    answer = await harness.tap(USER, hold.message_id, data)
    assert answer is not None and answer["text"] == ENGLISH.BUTTON_EXPIRED
    assert await _sets_logged(harness) == 0
    assert harness.fake.bot_messages(USER)[-1].edits == before.edits
    # /stretch on the new day starts fresh, at the intro.
    await harness.send(USER, "/stretch")
    assert ENGLISH.SESSION_BTN_START in str(harness.last(USER).buttons())


FORGED = (
    "v1:sset:{day}:lower_back:left:9:1",  # set number beyond sets per side
    "v1:sset:{day}:lower_back:left:0:1",
    "v1:sset:{day}:upper_back:left:1:1",  # no such stretch
    "v1:sset:{day}:lower_back:middle:1:1",  # no such side
    "v1:sset:{day}:lower_back:left:1:7",  # neither log nor undo
    "v1:sset:{day}:lower_back:left:1",  # an argument missing
    "v1:sset:{other}:lower_back:left:1:1",  # another day
    "v1:sgo:{day}:nowhere",
    "v1:sgo:{day}",
    "v1:stimer:{day}:lower_back:right",  # a timer for a hold the session is not on
    "v1:sset:x:lower_back:left:1:1",
    "v2:sset:{day}:lower_back:left:1:1",  # another codec version
    "v1:sset:{day}:lower_back:left:1:1:",  # malformed: empty argument
    "v1:sset:{day}:lower back:left:1:1",
    "sset {day} lower_back left 1",
    "v1:" + "x" * 70,  # over 64 bytes
)


async def test_forged_and_malformed_buttons_change_nothing(harness: Harness) -> None:
    hold = await _open_hold(harness)
    today = day_code(harness.clock.now().date())
    before = harness.fake.bot_messages(USER)[-1]
    for forge in FORGED:
        data = forge.format(day=today, other=today - 1)
        answer = await harness.tap(USER, hold.message_id, data)
        assert answer is not None and answer["text"] == ENGLISH.BUTTON_EXPIRED, data
    assert await _sets_logged(harness) == 0
    after = harness.fake.bot_messages(USER)[-1]
    assert (after.caption, after.edits) == (before.caption, before.edits)


async def test_a_set_button_on_a_message_that_is_not_the_session_is_expired(
    harness: Harness,
) -> None:
    await harness.send(USER, "/help")
    help_message = harness.last(USER)
    await _open_hold(harness)
    data = LogSet(day_code(harness.clock.now().date()), "lower_back", "left", 1, 1).encode()
    answer = await harness.tap(USER, help_message.message_id, data)
    assert answer is not None and answer["text"] == ENGLISH.BUTTON_EXPIRED
    assert await _sets_logged(harness) == 0
