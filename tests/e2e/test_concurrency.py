"""Updates of different users run at once; one user's updates run in the order they came.

Asserted by the order of events at the fake Telegram, never by wall-clock time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC

import httpx

from coach import callbacks, schedule, session_flow
from coach.routine import load_routine
from coach.texts import ENGLISH
from playground.fake_telegram import ChatEvent, FakeTelegram, Faults
from storage import guided
from tests.harness import Harness, button_data

ANN, BOB, CAT, WARM_UP = 7101, 7102, 7103, 7104


@asynccontextmanager
async def recorded(fake: FakeTelegram) -> AsyncIterator[list[ChatEvent]]:
    """Every chat event at the fake, in the order it happened, while the block runs."""
    events: list[ChatEvent] = []

    async def pump() -> None:
        async for event in fake.subscribe():
            events.append(event)

    task = asyncio.create_task(pump())
    await asyncio.sleep(0)  # let it subscribe before anything happens
    try:
        yield events
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _open_session(h: Harness, user_id: int) -> int:
    await h.send(user_id, "/stretch")
    return h.last(user_id).message_id


async def test_a_slow_chat_does_not_hold_up_another_user(harness: Harness) -> None:
    h = harness
    # Someone else has started a session before: step 1's picture is uploaded already. (A
    # picture's first upload goes alone and the others wait for its file_id, once per bot.)
    await _open_session(h, WARM_UP)
    await h.tap_button(WARM_UP, h.last(WARM_UP), ENGLISH.SESSION_BTN_START)
    ann_session, bob_session = await _open_session(h, ANN), await _open_session(h, BOB)
    start_ann = button_data(h.last(ANN), ENGLISH.SESSION_BTN_START)
    start_bob = button_data(h.last(BOB), ENGLISH.SESSION_BTN_START)
    # Everything the bot sends to Ann's chat is held for a while; button answers carry no
    # chat, so hers is not.
    h.fake.faults = Faults(delay_seconds=1.5, chats={ANN})
    async with recorded(h.fake) as events:
        ann_tap = h.fake.tap(ANN, ann_session, start_ann)
        await h.tap(BOB, bob_session, start_bob)  # Ann's tap was queued first
        await h.fake.wait_for(lambda: h.last(ANN).edits > 0)
    edits = [(e.kind, e.chat_id) for e in events if e.kind in ("edit", "callback_answer")]
    # Bob's tap was answered and his session edited while Ann's edit was still held.
    assert edits.index(("edit", BOB)) < edits.index(("edit", ANN))
    assert ("callback_answer", BOB) in edits[: edits.index(("edit", ANN))]
    assert h.fake.callback_answer(ann_tap) is not None


async def test_three_quick_taps_are_applied_in_order(harness: Harness) -> None:
    h = harness
    routine = load_routine()
    session = await _open_session(h, ANN)
    day = schedule.stretch_day(h.clock.now(), UTC)  # no time zone yet: UTC
    screens = session_flow.flow(routine)[1:4]  # the first stretch's steps 1, 2 and 3
    taps = [callbacks.GoTo(session_flow.day_code(day), s.token).encode() for s in screens]
    # The first answer takes longest and the last is quickest: handled concurrently, the
    # third edit would land first and the message would end on the first screen.
    h.fake.faults = Faults(delay_sequence=[0.6, 0.3, 0.0], methods={"answerCallbackQuery"})
    async with recorded(h.fake) as events:
        answers = await h.tap_all(ANN, session, taps)
    assert [a is not None and a["text"] != ENGLISH.BUTTON_EXPIRED for a in answers] == [True] * 3
    titles = [routine.stretch(s.stretch_key).steps[s.step - 1].title for s in screens]
    edited = [e.message.caption or "" for e in events if e.kind == "edit" and e.message]
    assert len(edited) == 3
    for caption, title in zip(edited, titles, strict=True):
        assert title in caption
    assert titles[-1] in (h.last(ANN).caption or "")
    async with h.services.db.transaction() as db:
        row = await guided.get_session(db, ANN)
    assert row is not None and row.screen == screens[-1].token


async def test_undecodable_text_is_refused_and_the_bot_keeps_answering(harness: Harness) -> None:
    h = harness
    async with httpx.AsyncClient(base_url=f"{h.api_url}/control") as control:
        for body in (b'{"text": "\\ud83d"}', b'{"text": "\xff\xfe"}'):
            refused = await control.post(
                f"/users/{ANN}/text", content=body, headers={"content-type": "application/json"}
            )
            assert refused.status_code == 400
    await h.send(CAT, "/help")
    assert h.last(CAT).text is not None
    await h.send(BOB, "/stretch")
    assert h.last(BOB).photo_file_id is not None
    assert ANN not in h.fake.chats or h.fake.bot_messages(ANN) == []
