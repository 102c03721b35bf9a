"""The guided /stretch session end to end: one message edited in place from intro to summary."""

from __future__ import annotations

from coach import callbacks
from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH
from tests.harness import Harness, button_data

USER = 5151


async def test_whole_session_reaches_twelve_of_twelve_and_streak_one(harness: Harness) -> None:
    routine = load_routine()
    await harness.send(USER, "/stretch")  # no /start first: the session still works
    intro = harness.last(USER)
    assert intro.photo_file_id is not None
    assert "Today: 0/12 sets" in (intro.caption or "")
    assert routine.safety in (intro.caption or "")
    session_id = intro.message_id

    await harness.tap_button(USER, intro, ENGLISH.SESSION_BTN_START)
    for stretch in routine.stretches:
        for side in SIDES:
            for number, step in enumerate(stretch.steps, start=1):
                shown = harness.last(USER)
                caption = shown.caption or ""
                assert step.title in caption
                assert f"step {number} of {len(stretch.steps)}" in caption
                assert stretch.side_label(side, ENGLISH) in caption
                await harness.tap_button(USER, shown, ENGLISH.SESSION_BTN_NEXT)
            hold = harness.last(USER)
            # A force cue only where the article gives one: the lower back's hands.
            force_cue = "lightest pull and push" in (hold.caption or "")
            assert force_cue == (stretch.key == "lower_back")
            assert stretch.between_sets(side, ENGLISH) in (hold.caption or "")
            assert "breathe slowly and evenly" in (hold.caption or "")
            for number in (1, 2, 3):
                answer = await harness.tap_button(USER, harness.last(USER), f"Set {number} done")
                assert answer["text"] == ENGLISH.SESSION_SET_LOGGED.format(number=number)
            tracker = "Left ●●●  Right ●●●" if side == "right" else "Left ●●●  Right ○○○"
            assert tracker in (harness.last(USER).caption or "")
            last_hold = stretch is routine.stretches[-1] and side == SIDES[-1]
            label = ENGLISH.SESSION_BTN_FINISH if last_hold else ENGLISH.SESSION_BTN_NEXT
            await harness.tap_button(USER, harness.last(USER), label)

    summary = harness.last(USER)
    assert "Today: <b>12/12</b> sets" not in (summary.caption or "")  # HTML is rendered
    assert "Today: 12/12 sets" in (summary.caption or "")
    assert "Streak: 1 day (best 1)" in (summary.caption or "")
    assert "All done for today" in (summary.caption or "")
    # One session message, edited in place all the way through.
    messages = harness.fake.bot_messages(USER)
    assert [m.message_id for m in messages] == [session_id]
    steps = sum(len(s.steps) + 1 for s in routine.stretches) * len(SIDES)
    assert summary.edits >= steps + 12


async def test_stretch_again_brings_the_open_session_back(harness: Harness) -> None:
    await harness.send(USER, "/stretch")
    first = harness.last(USER)
    await harness.tap_button(USER, first, ENGLISH.SESSION_BTN_START)
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_NEXT)
    where = harness.last(USER).caption or ""
    assert "step 2 of" in where
    old_next = button_data(harness.last(USER), ENGLISH.SESSION_BTN_NEXT)

    await harness.send(USER, "/stretch")
    again = harness.last(USER)
    assert again.message_id != first.message_id
    assert (again.caption or "") == where  # the same screen, now in a new message

    # The old message loses its buttons; a tap its client still sends is refused.
    before = harness.fake.bot_messages(USER)[0]  # a copy: the chat as the user sees it now
    assert before.message_id == first.message_id
    assert before.buttons() == []
    stale = await harness.tap(USER, first.message_id, old_next)
    assert stale is not None and stale["text"] == ENGLISH.BUTTON_EXPIRED
    assert harness.fake.bot_messages(USER)[0].caption == before.caption
    assert harness.fake.bot_messages(USER)[0].edits == before.edits
    await harness.tap_button(USER, again, ENGLISH.SESSION_BTN_NEXT)
    assert "step 3 of" in (harness.last(USER).caption or "")


async def test_start_button_on_a_reminder_opens_the_session(harness: Harness) -> None:
    await harness.send(USER, "/start")
    await harness.send(USER, "/help")
    other = harness.last(USER)
    answer = await harness.tap(USER, other.message_id, callbacks.encode("stretch"))
    assert answer is not None
    session = harness.last(USER)
    assert session.message_id != other.message_id
    assert ENGLISH.SESSION_INTRO_TITLE.replace("<b>", "").replace("</b>", "") in (
        session.caption or ""
    )
    # Tapping ▶ Start again later points to the open session rather than opening another.
    await harness.tap_button(USER, session, ENGLISH.SESSION_BTN_START)
    again = await harness.tap(USER, other.message_id, callbacks.encode("stretch"))
    assert again is not None and again["text"] == ENGLISH.SESSION_ALREADY_OPEN
    assert harness.last(USER).message_id == session.message_id
    assert "step 1 of" in (harness.last(USER).caption or "")
