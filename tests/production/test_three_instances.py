"""Three `python -m bot` processes in webhook mode on one PostgreSQL, behind a round-robin
balancer: one user's whole guided session tapped across all three, and 1,000 due reminders
delivered exactly once between them."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach import schedule
from coach.texts import ENGLISH
from tests.production.cluster import add_due_users, cluster, reminders_by_chat, until_reminded
from tests.production.session_walk import (
    every_set,
    guided_session,
    onboard,
    stored_sets,
)

pytestmark = pytest.mark.postgres

ANN = 7_001
DUE = range(20_000, 21_000)


async def test_a_session_across_three_instances_and_1000_reminders_once(
    pg_url: str, tmp_path: Path
) -> None:
    async with cluster(tmp_path, pg_url, instances=3) as c:
        await onboard(c, ANN)
        toasts = await guided_session(c, ANN)
        took = dict(c.balancer.taken)

        due = await add_due_users(pg_url, c.fake, DUE)
        started = time.monotonic()
        await until_reminded(pg_url, due, len(DUE), timeout=60)
        elapsed = time.monotonic() - started
        sends = c.meter.sends()

    # Every instance took part in the session; round robin gave them turns one by one.
    assert set(took) == {1, 2, 3} and min(took.values()) >= 10, took
    # Each "Set done" was logged once, in order, whichever instance handled it.
    assert toasts == [ENGLISH.SESSION_SET_LOGGED.format(number=n) for n in (1, 2, 3)] * 4
    day = schedule.user_stretch_day("Europe/Berlin", datetime.now(UTC))
    assert await stored_sets(pg_url, ANN) == every_set(day)
    # One session message, edited in place to its summary.
    session = [m for m in c.fake.bot_messages(ANN) if m.photo_file_id is not None]
    assert len(session) == 1
    summary = session[0].caption or ""
    assert "Today: 12/12 sets" in summary and "Streak: 1 day (best 1)" in summary

    received = reminders_by_chat(c.fake, DUE)
    assert set(received.values()) == {1}, {k: v for k, v in received.items() if v != 1}
    # One batch (storage.reminders.BATCH_SIZE) may hold them all: whoever claims first sends.
    by_instance = Counter(call.instance for call in sends if call.chat_id in DUE)
    print(f"\n1,000 reminders: {elapsed:.1f} s, 0 lost, 0 twice, by instance {by_instance}")
