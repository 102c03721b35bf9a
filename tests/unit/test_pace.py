"""The send pace (ops.pace): slots evenly spaced whoever books them, interactive calls ahead of
bulk sends ahead of the sweep, paid broadcasts only beyond the free pace and up to the cap."""

from __future__ import annotations

import asyncio
import bisect

import pytest

from ops import pace
from ops.pace import Lane, MemoryBook, Pacer, PaceState, Rates, book_slots

RATE = 29.0


def most_in_one_second(times: list[float]) -> int:
    ordered = sorted(times)
    return max(bisect.bisect_left(ordered, t + 1.0) - i for i, t in enumerate(ordered))


def test_three_instances_booking_at_once_never_put_more_than_the_pace_in_a_second() -> None:
    state, rates, slots = PaceState(), Rates(free=RATE), []
    now = 100.0
    # Three instances ask in turns for bulk and interactive slots while time goes by.
    for step in range(600):
        lane = Lane.INTERACTIVE if step % 7 == 0 else Lane.BULK
        grant = book_slots(state, now, 0, rates, lane, 5, paid=False)
        slots += [now + grant.delay + i * grant.interval for i in range(grant.count)]
        now += 0.01
    # Telegram's limit: at 29/s the 30th slot comes a whole second after the first.
    assert most_in_one_second(slots) <= 30
    # ...and together they use the pace: 6 s of asking got about 6 s worth of slots.
    assert len(slots) >= RATE * 5.5


def test_bulk_books_only_a_moment_ahead_and_the_sweep_only_what_is_free_now() -> None:
    state, rates = PaceState(), Rates(free=RATE)
    now = 10.0
    bulk = book_slots(state, now, 0, rates, Lane.BULK, 100, paid=False)
    assert bulk.count == int(rates.bulk_horizon * RATE) + 1  # not all 100: a moment's worth
    assert book_slots(state, now, 0, rates, Lane.BULK, 100, paid=False).count == 0
    assert book_slots(state, now, 0, rates, Lane.SWEEP, 1, paid=False).count == 0
    # An interactive call books behind what bulk has booked, however far ahead that goes.
    tap = book_slots(state, now, 0, rates, Lane.INTERACTIVE, 50, paid=False)
    assert tap.count == 50 and tap.delay <= rates.bulk_horizon + 1 / RATE
    later = now + 50 / RATE + 1.0
    assert book_slots(state, later, 0, rates, Lane.SWEEP, 10, paid=False).count == 1


def test_paid_slots_only_beyond_the_free_pace_and_up_to_the_daily_cap() -> None:
    # 1,000 a second in all; Stars for 300 paid messages a day.
    rates = Rates(free=RATE, paid=1000.0, paid_per_day=300)
    state = PaceState()
    free = book_slots(state, 0.0, 7, rates, Lane.BULK, 1000, paid=True)
    assert not free.paid  # the free pace first
    paid = book_slots(state, 0.0, 7, rates, Lane.BULK, 1000, paid=True)
    assert paid.paid and paid.interval == 1 / (1000.0 - RATE)
    taken, now = paid.count, 0.0
    for _ in range(20):
        now += 0.1
        for _ in range(2):  # a free grant, then a paid one while there is any
            grant = book_slots(state, now, 7, rates, Lane.BULK, 1000, paid=True)
            taken += grant.count if grant.paid else 0
    assert taken == 300  # stopped at the cap; only free slots after it
    assert not book_slots(state, now + 1, 7, rates, Lane.BULK, 1000, paid=True).paid
    # A new day, a new allowance; and nothing paid unless the bulk lane asks for it.
    assert book_slots(state, now + 2, 8, rates, Lane.BULK, 1000, paid=True).count > 0
    assert not book_slots(PaceState(), 0.0, 7, rates, Lane.BULK, 1000, paid=False).paid


async def test_taps_are_given_slots_ahead_of_reminders_queued_before_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On a busy machine a waiter may oversleep its slot and take a later one: not this test's
    # concern (the order of lanes is).
    monkeypatch.setattr(pace, "LATE_TOLERANCE", 60.0)
    pacer = Pacer(MemoryBook(Rates(free=200.0)))
    order: list[str] = []

    async def take(lane: Lane, name: str) -> None:
        await pacer.slot(lane)
        order.append(name)

    bulk = [asyncio.create_task(take(Lane.BULK, f"reminder {n}")) for n in range(100)]
    sweep = [asyncio.create_task(take(Lane.SWEEP, f"sweep {n}")) for n in range(5)]
    await asyncio.sleep(0.01)  # the reminders are queued, the first moment's worth booked
    booked_first = len(bulk) - pacer.waiting(Lane.BULK)
    taps = [asyncio.create_task(take(Lane.INTERACTIVE, f"tap {n}")) for n in range(10)]
    await asyncio.gather(*bulk, *sweep, *taps)
    last_tap = max(order.index(f"tap {n}") for n in range(10))
    # Every tap went before the reminders that were still waiting when it came (all but the
    # first moment's worth), and the sweep went last of all.
    assert booked_first < 60
    assert last_tap < booked_first + 10
    assert order[-5:] == [f"sweep {n}" for n in range(5)]
    assert [name for name in order if name.startswith("reminder")] == [
        f"reminder {n}" for n in range(100)
    ]
