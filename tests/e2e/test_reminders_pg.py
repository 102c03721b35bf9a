"""Two bot instances ticking on one PostgreSQL database deliver each reminder exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from coach.clock import ManualClock
from handlers.reminders import run_tick
from playground.fake_telegram import FakeTelegram
from storage import reminders
from storage.db import Database
from tests.harness import TOKEN, running_bot
from tests.helpers import WEDNESDAY_0730, add_onboarded_users, reminders_received

pytestmark = pytest.mark.postgres

USERS = range(10_000, 10_500)


async def test_two_instances_send_500_due_reminders_exactly_once(
    postgres_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 50, so the two instances claim again and again while the other is sending.
    monkeypatch.setattr(reminders, "BATCH_SIZE", 50)
    fake = FakeTelegram(TOKEN)
    db = Database(postgres_url)
    try:
        await add_onboarded_users(db, fake, USERS, clock.now())
    finally:
        await db.dispose()
    clock.set(WEDNESDAY_0730)
    async with (
        running_bot(postgres_url, clock, fake=fake) as first,
        running_bot(postgres_url, clock, fake=fake) as second,
    ):
        for _ in range(3):
            sent = await asyncio.gather(run_tick(first.app), run_tick(second.app))
            if _ == 0:
                # Both instances took part: SKIP LOCKED split the due rows between them.
                assert all(count > 0 for count in sent), sent
    sends = Counter(params["chat_id"] for method, params in fake.calls if method == "sendMessage")
    assert {int(chat) for chat in sends} == set(USERS)
    assert set(sends.values()) == {1}
    assert all(reminders_received(fake, uid) == 1 for uid in USERS)
