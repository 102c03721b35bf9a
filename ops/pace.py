"""One send pace for the whole bot, in lanes: what a user is waiting for first, bulk sends
(reminders, recaps) next, tidying up (taking away stale buttons) last.

The pace is a book of send slots (a generic cell rate algorithm: the time the next free slot
starts, advanced by 1/rate for each slot taken). Every Bot API call that Telegram counts takes a
slot before it goes, so the sends of every instance sharing one book are spaced 1/rate apart:
no one-second window holds more than `rate` of them, whoever sent them. Priority lives in how
far ahead a lane may book: an interactive call may book any slot, however far ahead; a bulk
call only slots starting within `bulk_horizon` from now; a sweep only a slot free right now. So
an answer or an edit waits at most `bulk_horizon` behind bulk sends already booked, and bulk
sends take only what interactive traffic leaves.

Paid broadcasts (Bot API 7.11, `allow_paid_broadcast`): when the operator allows them and the
bulk lane wants them, bulk sends the free pace cannot take soon go on a second book, paced at
the paid rate less the free one (so both together stay within the paid rate), up to a daily
number of paid messages (the Stars cap).

The arithmetic (`book_slots`) is pure; where the book is kept is the `Book`'s business: in
memory for one process (`MemoryBook`), or in the database for several (storage.send_pace).
`Pacer` is one process's side: it queues its callers by lane and asks the book for slots.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

log = logging.getLogger(__name__)

# How far ahead the bulk lane may book: an answer or an edit waits at most this behind
# reminders already booked. Short, yet long enough that a claim of ~1 s of work books its
# slots in a few round trips.
BULK_HORIZON = 0.2
# Slots are booked at least this far ahead: a shared book answers after a round trip, and a
# slot that started before the answer came would be sent late (crowding the next second).
LEAD = 0.02
# Telegram charges 0.1 Star for each paid-broadcast message.
STARS_PER_PAID_MESSAGE = 0.1
# A waiter refused by the book asks again after this long at most (a slot may come free).
RETRY_SECONDS = 0.05
# A free slot whose start this process overslept by more than this (a busy event loop) is let
# go and another booked: sent late, it would crowd the second after it, where the slots that
# other senders booked go on time (at 29/s, 10 ms late still leaves 30 in any second). Paid
# slots, 1 ms apart, are not let go: their pace is the operator's, with a margin of their own.
LATE_TOLERANCE = 0.01
# The window over which the bulk lane's recent rate is measured (`Pacer.bulk_rate`).
RATE_WINDOW = 2.0


class Lane(IntEnum):
    """Lanes in order of priority: a lower value is served first."""

    INTERACTIVE = 0
    BULK = 1
    SWEEP = 2


@dataclass(frozen=True)
class Send:
    """What a Bot API call is, for the pace (PTB's `rate_limit_args`): its lane, its kind on
    /metrics, and whether its caller already holds its slot (`Pacer.slot`)."""

    lane: Lane
    kind: str
    paced: bool = False
    retries: int | None = None


@dataclass(frozen=True)
class Rates:
    """The whole bot's pace: free messages a second; with paid broadcasts, the total a second
    and the paid messages a day at most (0: none)."""

    free: float
    paid: float = 0.0
    paid_per_day: int = 0
    bulk_horizon: float = BULK_HORIZON

    @property
    def paid_extra(self) -> float:
        """Paid messages a second on top of the free ones."""
        return max(self.paid - self.free, 0.0) if self.paid_per_day > 0 else 0.0


@dataclass
class PaceState:
    """A book's state: when the next free and paid slots start (seconds on the book's clock),
    and the paid messages of the current day (days since the epoch)."""

    free_next: float = 0.0
    paid_next: float = 0.0
    paid_day: int = 0
    paid_used: int = 0


@dataclass(frozen=True)
class Grant:
    """Slots granted: `count` of them, the first `delay` seconds from now, `interval` apart;
    with none, `wait` says when asking again may succeed."""

    count: int
    delay: float = 0.0
    interval: float = 0.0
    paid: bool = False
    wait: float = 0.0


def book_slots(
    state: PaceState, now: float, day: int, rates: Rates, lane: Lane, wanted: int, paid: bool
) -> Grant:
    """Take up to `wanted` slots for `lane` from `state` (changed in place) at time `now`."""
    free_interval = 1.0 / rates.free
    earliest = now + LEAD  # lanes' horizons count from here
    start = max(state.free_next, earliest)
    horizon = {Lane.INTERACTIVE: math.inf, Lane.BULK: rates.bulk_horizon, Lane.SWEEP: 0.0}[lane]
    if start - earliest <= horizon:
        count = wanted
        if lane != Lane.INTERACTIVE:  # only the slots that start within the horizon
            count = min(wanted, int((earliest + horizon - start) / free_interval) + 1)
        state.free_next = start + count * free_interval
        return Grant(count, start - now, free_interval)
    wait = start - earliest - horizon
    extra = rates.paid_extra
    if lane == Lane.BULK and paid and extra > 0:
        if state.paid_day != day:
            state.paid_day, state.paid_used = day, 0
        left = rates.paid_per_day - state.paid_used
        paid_interval = 1.0 / extra
        paid_start = max(state.paid_next, earliest)
        if left > 0 and paid_start - earliest <= horizon:
            fit = int((earliest + horizon - paid_start) / paid_interval) + 1
            count = max(1, min(wanted, left, fit))
            state.paid_next = paid_start + count * paid_interval
            state.paid_used += count
            return Grant(count, paid_start - now, paid_interval, paid=True)
        if left > 0:
            wait = min(wait, paid_start - earliest - horizon)
    return Grant(0, wait=max(wait, 0.0))


def halt_state(state: PaceState, now: float, seconds: float) -> None:
    """A 429: no slot, free or paid, starts in the next `seconds`."""
    state.free_next = max(state.free_next, now + seconds)
    state.paid_next = max(state.paid_next, now + seconds)


@dataclass(frozen=True)
class Slot:
    """A slot given to one caller: when it starts (loop time) and whether it is paid."""

    at: float
    paid: bool


class Book(Protocol):
    """Where the slots are booked: one process's memory, or the database all instances share."""

    rates: Rates

    async def reserve(self, lane: Lane, wanted: int, paid: bool) -> Grant: ...

    async def halt(self, seconds: float) -> None: ...


class MemoryBook:
    """The book in this process's memory: one instance (SQLite), or a test's own pace. Its
    clock is the one `Pacer` turns grants into waits with (the event loop's)."""

    def __init__(
        self,
        rates: Rates,
        clock: Callable[[], float] = time.monotonic,
        day: Callable[[], int] = lambda: int(time.time() // 86400),
    ) -> None:
        self.rates, self.clock, self.day = rates, clock, day
        self.state = PaceState()

    async def reserve(self, lane: Lane, wanted: int, paid: bool) -> Grant:
        return book_slots(self.state, self.clock(), self.day(), self.rates, lane, wanted, paid)

    async def halt(self, seconds: float) -> None:
        halt_state(self.state, self.clock(), seconds)


class Pacer:
    """One process's callers, queued by lane and given the book's slots in order of priority
    (within a lane, in order of arrival): `await pacer.slot(lane)` returns when the caller may
    send, and whether that send is a paid broadcast."""

    def __init__(self, book: Book) -> None:
        self.book = book
        # Where slots come from while the shared book is out of reach (the database is down).
        self._alone = MemoryBook(book.rates)
        # Per lane, a heap of (arrival number, waiter): a caller who overslept its slot goes
        # back to its place, not to the end of the line.
        self._waiting: dict[Lane, list[tuple[int, asyncio.Future[Slot]]]] = {
            lane: [] for lane in Lane
        }
        self._arrivals = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._bulk_granted: deque[tuple[float, int]] = deque()
        # Set by the reminder tick while its backlog would make reminders too late.
        self.want_paid = False
        # Paid-broadcast slots granted, and slots let go because this process overslept them.
        self.paid_granted = 0
        self.overslept = 0

    @property
    def rates(self) -> Rates:
        return self.book.rates

    def waiting(self, lane: Lane) -> int:
        return sum(1 for _, waiter in self._waiting[lane] if not waiter.done())

    async def slot(self, lane: Lane) -> Slot:
        """Wait for a slot in `lane` and return it once it starts; only bulk sends get paid
        slots, while `want_paid` is set."""
        loop = asyncio.get_running_loop()
        self._arrivals += 1
        place = self._arrivals
        while True:
            waiter: asyncio.Future[Slot] = loop.create_future()
            heapq.heappush(self._waiting[lane], (place, waiter))
            self._wake.set()
            if self._task is None or self._task.done():
                self._task = loop.create_task(self._dispatch())
            try:
                slot = await waiter
            finally:
                if not waiter.done():
                    waiter.cancel()  # the dispatcher passes over it
            delay = slot.at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if slot.paid or loop.time() - slot.at <= LATE_TOLERANCE:
                return slot
            self.overslept += 1

    def busy(self) -> bool:
        """Whether bulk sends wait for slots here (a wave of reminders is going out)."""
        return self.waiting(Lane.BULK) > 0

    def bulk_rate(self) -> float | None:
        """Bulk slots this process got per second lately; None before it got any."""
        now = asyncio.get_running_loop().time()
        while self._bulk_granted and self._bulk_granted[0][0] < now - RATE_WINDOW:
            self._bulk_granted.popleft()
        if not self._bulk_granted:
            return None
        return sum(count for _, count in self._bulk_granted) / RATE_WINDOW

    async def halt(self, seconds: float) -> None:
        """A 429 from Telegram: the whole book waits (every instance, when it is shared)."""
        try:
            await self.book.halt(seconds)
        except Exception:
            log.warning("Could not halt the shared send pace", exc_info=True)

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            lane = self._first_lane()
            if lane is None:
                return
            waiters = self._waiting[lane]
            self._wake.clear()
            # A grant counts from the moment it was asked for: the book reads its clock then.
            asked = loop.time()
            try:
                paid = lane == Lane.BULK and self.want_paid
                grant = await self.book.reserve(lane, len(waiters), paid)
            except Exception:
                # The shared book is out of reach (the database is down): pace this process
                # alone for a moment rather than stop talking to users.
                log.warning("Send pace unavailable; pacing this process alone", exc_info=True)
                grant = await self._alone.reserve(lane, len(waiters), paid=False)
            if grant.count == 0:
                # Ask again when a slot may be free, or at once when a more urgent caller comes.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(grant.wait, RETRY_SECONDS))
                continue
            now = asked
            if lane == Lane.BULK:
                self._bulk_granted.append((loop.time(), grant.count))
            if grant.paid:
                self.paid_granted += grant.count
            given = 0
            while given < grant.count and waiters:
                _, waiter = heapq.heappop(waiters)
                if waiter.done():
                    continue  # its caller went away: the slot goes unused
                waiter.set_result(Slot(now + grant.delay + given * grant.interval, grant.paid))
                given += 1

    def _first_lane(self) -> Lane | None:
        for lane in Lane:
            waiters = self._waiting[lane]
            while waiters and waiters[0][1].done():
                heapq.heappop(waiters)
            if waiters:
                return lane
        return None
