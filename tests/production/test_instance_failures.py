"""An instance that dies (kill -9) or is stopped (SIGTERM) in the middle of sending reminders:
no reminder is lost, and none is sent twice beyond the sends the dead one had in flight."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.reminder_flow import SEND_CONCURRENCY
from playground.fake_types import Faults
from storage.db import Database
from storage.models import ReminderSent
from tests.production.cluster import (
    add_due_users,
    cluster,
    reminders_by_chat,
    standing,
    until_reminded,
)

pytestmark = pytest.mark.postgres

KILLED = range(30_000, 35_000)
STOPPED = range(40_000, 40_600)


async def _reminded(database_url: str) -> set[int]:
    db = Database(database_url)
    try:
        async with db.read() as session:
            return set(await session.scalars(select(ReminderSent.user_id)))
    finally:
        await db.dispose()


async def test_kill_9_mid_batch_loses_nothing_and_repeats_only_what_was_in_flight(
    pg_url: str, tmp_path: Path
) -> None:
    # A short lease, so the dead instance's claims come free within the test.
    async with cluster(tmp_path, pg_url, instances=3, REMINDER_LEASE_SECONDS="3") as c:
        # Slow enough that every instance is mid-batch for seconds: 16 sends in flight each.
        c.fake.faults = Faults(delay_seconds=0.05, methods={"sendMessage"})
        due = await add_due_users(pg_url, c.fake, KILLED)
        started = time.monotonic()

        def sent_by_first() -> int:
            return sum(1 for s in c.meter.sends() if s.instance == 1 and s.status == 200)

        await c.fake.wait_for(lambda: sent_by_first() >= 200, timeout=30)
        c.kill(1)
        await c.bots[1].process.wait()
        killed_at = time.monotonic()
        recorded = await _reminded(pg_url)
        # Sent by the dead instance, not recorded as reminded: the sends it had in flight.
        at_risk = {s.chat_id for s in c.meter.sends() if s.instance == 1} - recorded
        answered = {s.chat_id for s in c.meter.sends() if s.instance == 1 and s.status == 200}

        final = await until_reminded(pg_url, due, len(KILLED), timeout=60)
        elapsed = time.monotonic() - started
        await c.after_ticks(2)  # two more ticks on every instance: nothing else goes out
        received = reminders_by_chat(c.fake, KILLED)

    lost = [chat for chat in KILLED if received[chat] == 0]
    twice = {chat for chat, count in received.items() if count > 1}
    assert lost == []
    assert final.reminded == len(KILLED)
    # A repeat only where the dead instance's send had reached Telegram unrecorded.
    assert twice <= at_risk & answered, twice - at_risk
    assert len(at_risk) <= 2 * SEND_CONCURRENCY
    print(
        f"\nkill -9 mid-batch: {len(KILLED)} reminders in {elapsed:.1f} s "
        f"({time.monotonic() - killed_at:.1f} s after the kill); instance 1 had sent "
        f"{len(answered)}, {len(at_risk)} in flight at the kill; lost 0, twice {len(twice)}"
    )


async def test_sigterm_mid_batch_exits_0_and_gives_its_claims_back(
    pg_url: str, tmp_path: Path
) -> None:
    # A claim left held stays in lease_until until another tick takes it, expired or not: right
    # after the stop none may be there.
    async with cluster(tmp_path, pg_url, instances=1) as c:
        c.fake.faults = Faults(delay_seconds=0.3, methods={"sendMessage"})
        due = await add_due_users(pg_url, c.fake, STOPPED)
        await c.fake.wait_for(
            lambda: sum(1 for s in c.meter.sends() if s.status == 200) >= 50, timeout=30
        )
        c.terminate(1)
        asked = time.monotonic()
        code = await c.bots[1].stopped(timeout=15)
        took = time.monotonic() - asked
        after_stop = await standing(pg_url, due)
        in_flight = [
            s for s in c.meter.sends() if s.started < asked and (s.answered or asked) >= asked
        ]

        c.fake.faults = Faults()
        await c.start(1)
        final = await until_reminded(pg_url, due, len(STOPPED), timeout=30)
        received = reminders_by_chat(c.fake, STOPPED)

    assert code == 0, c.bots[1].output()
    assert took < 10
    assert after_stop.leased == 0  # nothing claimed and unsent stays held
    assert 0 < after_stop.reminded < len(STOPPED)  # it did stop mid-batch
    assert final.reminded == len(STOPPED)
    assert set(received.values()) == {1}, {k: v for k, v in received.items() if v != 1}
    print(
        f"\nSIGTERM mid-batch: exit {code} after {took:.1f} s, {after_stop.reminded} sent before "
        f"(the {len(in_flight)} in flight finished), 0 leases held, the rest after a restart"
    )
