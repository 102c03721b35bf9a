"""A tap whose instance dies while handling it (kill -9, after the set is stored and before the
session message is edited): the webhook request was never answered, so the update goes to
another instance, which stores nothing twice and brings the message up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.texts import ENGLISH
from playground.fake_telegram import ChatMessage
from playground.fake_types import Faults
from tests.harness import button_data
from tests.production.cluster import Cluster, cluster
from tests.production.session_walk import onboard, say, stored_sets, tap

pytestmark = pytest.mark.postgres

ANN = 7_101


async def test_a_tap_whose_instance_dies_is_handled_by_another(pg_url: str, tmp_path: Path) -> None:
    async with cluster(tmp_path, pg_url, instances=2) as c:
        await onboard(c, ANN)
        await tap_to_first_hold(c)
        hold = c.fake.last_bot_message(ANN)
        assert hold is not None
        # Set 1 is stored first, then the tap is answered: held up at Telegram long enough
        # for the test to kill the instance that answers before it edits the message.
        c.fake.faults = Faults(delay_seconds=2, methods={"answerCallbackQuery"})
        before = len(c.meter.calls)
        query = c.fake.tap(ANN, hold.message_id, button_data(hold, "Set 1"))

        def answering() -> int | None:
            calls = c.meter.calls[before:]
            return next((x.instance for x in calls if x.method == "answerCallbackQuery"), None)

        dying = await c.fake.wait_for(answering, timeout=30)
        c.kill(dying)
        await c.bots[dying].process.wait()
        c.fake.faults = Faults()

        def healed() -> bool:
            shown = c.fake.last_bot_message(ANN)
            return shown is not None and "Set 2" in str(shown.buttons())

        await c.fake.wait_for(healed, timeout=60)
        await c.settled()
        sets = await stored_sets(pg_url, ANN)
        others = {x.instance for x in c.meter.calls[before:] if x.method.startswith("edit")}

    assert c.fake.callback_answer(query) is not None  # the user saw the tap answered
    assert [(key, side, number) for _, key, side, number in sets] == [("lower_back", "left", 1)]
    assert others and dying not in others  # the other instance made the edit
    shown = c.fake.last_bot_message(ANN)
    assert shown is not None and shown.message_id == hold.message_id
    assert ENGLISH.TRACKER_DONE + ENGLISH.TRACKER_OPEN * 2 in (shown.caption or "")


async def tap_to_first_hold(c: Cluster) -> None:
    """/stretch, Start, then Next until the first hold."""
    await say(c, ANN, "/stretch", "")
    await tap(c, ANN, ENGLISH.SESSION_BTN_START)
    while "· hold" not in ((c.fake.last_bot_message(ANN) or _nothing()).caption or ""):
        await tap(c, ANN, ENGLISH.SESSION_BTN_NEXT)


def _nothing() -> ChatMessage:
    raise AssertionError("the bot has not written yet")
