"""One run of the reminder tick as a flow: claim a little, send in due order, record in groups.

A few senders share one queue of claimed users, earliest due first; each waits for a slot of
the bot's pace and then takes the user first in line. When the queue runs low
the next claim is made while the last sends are still going out; a claim takes about a
second of this instance's sends (`claim_size`), under a short lease that the run renews
while it holds the claim (so a slow send never outlives it, and a dead instance's claims
come free one lease after it died). Outcomes are written back
in groups: one flush at a time writes every outcome that finished meanwhile. The run ends
when a claim finds no one and the queue is empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from handlers.context import Services
from ops.pace import Lane
from storage import reminders
from storage.reminders import Due, Outcome

# A claim holds about this much of this instance's sending.
CLAIM_SECONDS = 1.0
# The smallest claim (a slow spell of this instance's share must not mean a claim per send).
MIN_CLAIM = 4
# Sends in flight at once at the free pace; the pace, not this, keeps us within Telegram's
# limits. At a paid pace, enough for a quarter of a second's sends.
SEND_CONCURRENCY = 16
MAX_CONCURRENCY = 128
# No reminder is sent once less than this share of the claim's lease is left: a send that
# started later could still be in flight when another instance may claim the user again.
LEASE_RESERVE = 0.25
# Claims are renewed this many times a lease: a live instance loses its claims only when
# its renewals fail for most of a lease (the database unreachable, its loop stalled).
RENEWALS_PER_LEASE = 6
# The whole backlog (every instance's) is counted at most this often by each instance.
BACKLOG_EVERY = timedelta(seconds=5)

Attempt = Callable[[Due], Awaitable[Outcome]]

log = logging.getLogger(__name__)


class LeaseEnding(Exception):
    """The claim's lease would end before this send could be over: give the user back."""


def claim_size(services: Services) -> int:
    """How many due users one claim takes: about a second of what this instance sends, from
    the pace and what the bulk lane got lately; a whole batch when nothing paces the sends."""
    pacer = services.pacer
    if pacer is None:
        return reminders.BATCH_SIZE
    rates = pacer.rates
    rate = rates.paid if pacer.want_paid and rates.paid_extra else rates.free
    recent = pacer.bulk_rate()
    if recent is not None:
        rate = min(rate, max(recent * 1.5, 1.0))
    return max(MIN_CLAIM, min(reminders.BATCH_SIZE, math.ceil(rate * CLAIM_SECONDS)))


async def bulk_slot(services: Services) -> bool:
    """Wait for a bulk slot of the bot's pace (at once without a pace); whether it is paid."""
    pacer = services.pacer
    if pacer is None:
        return False
    return (await pacer.slot(Lane.BULK)).paid


def concurrency(services: Services) -> int:
    pacer = services.pacer
    if pacer is None or not pacer.want_paid:
        return SEND_CONCURRENCY
    return max(SEND_CONCURRENCY, min(MAX_CONCURRENCY, math.ceil(pacer.rates.paid / 4)))


class Flow:
    """One run of the tick (see the module docstring)."""

    def __init__(self, services: Services, attempt: Attempt) -> None:
        self.services, self.attempt = services, attempt
        self.queue: deque[Due] = deque()
        self.pending: list[Outcome] = []  # finished, not yet recorded
        self.sent = 0
        self.in_flight = 0
        self.slotting = 0  # senders waiting for a slot, each for one of the queued users
        self.more = True  # a claim may find more users due
        self.low_water = 0
        # Claimed and not yet recorded (queued, in flight or finished): renewed until recorded.
        self.held: dict[int, Due] = {}
        self._claiming: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()  # the queue, the slotting or the claiming changed
        self._flushing = False
        # Renewing the claims and recording outcomes take turns: an outcome recorded with the
        # lease it had before a renewal would no longer match it.
        self._writing = asyncio.Lock()

    async def run(self) -> int:
        await self._claim()
        renewing = asyncio.get_running_loop().create_task(self._renew())
        senders = concurrency(self.services)
        try:
            await asyncio.gather(*(self._sender() for _ in range(senders)))
            if self._claiming is not None:
                await self._claiming
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing
        self._give_back()
        await self._flush()  # the skipped, the given back, and any stragglers
        self._gauge()
        return self.sent

    async def _sender(self) -> None:
        stopping = self.services.stopping
        while not stopping.is_set():
            if len(self.queue) <= self.low_water:
                self._claim_soon()
            if len(self.queue) <= self.slotting:
                # Every queued user has a sender waiting for a slot already.
                if self._claiming is not None:
                    await self._claiming
                elif self.slotting == 0:
                    return  # none queued, none being claimed: this run is over
                else:  # until a claim or another sender changes that
                    self._changed.clear()
                    await self._changed.wait()
                continue
            # The slot first, then the user: whoever is due earliest when the slot starts
            # (a dead instance's users, taken over meanwhile, go ahead of those queued).
            self.slotting += 1
            try:
                paid = await bulk_slot(self.services)
            finally:
                self.slotting -= 1
                self._changed.set()
            if stopping.is_set():
                return
            due = self.queue.popleft()
            due.paid = paid
            if due.send_until is not None and self.services.clock.now() >= due.send_until:
                self.held.pop(due.user_id, None)
                self.pending.append(Outcome(due, retry=True, given_back=True))
                continue
            self.in_flight += 1
            try:
                outcome = await self.attempt(due)
            finally:
                self.in_flight -= 1
            self.pending.append(outcome)
            if outcome.sent:
                self.sent += 1
            if outcome.retry and not outcome.given_back:
                # After a failure, wait for the next tick: a failing network would otherwise
                # have us claim and fail again at once.
                self.more = False
            await self._flush()

    def _claim_soon(self) -> None:
        if self.more and self._claiming is None and not self.services.stopping.is_set():
            self._claiming = asyncio.get_running_loop().create_task(self._claim_ahead())

    async def _claim_ahead(self) -> None:
        """A claim made while sends go on: a failure (the database away) ends the claiming
        of this run, and the sends already claimed go on."""
        try:
            await self._claim()
        except Exception:
            log.exception("Claiming due reminders failed; the next tick tries again")
            self.more = False

    async def _claim(self) -> None:
        try:
            await self._flush()  # users skipped last time must show their next time first
            services = self.services
            now = services.clock.now()
            size = claim_size(services)
            lease = services.reminder_lease
            # Claim and plan share one short transaction: planning only reads, and on SQLite
            # a second BEGIN IMMEDIATE would cost more than the few ms it holds the lock.
            async with services.db.connection() as connection:
                claimed = await reminders.claim_due(connection, now, limit=size, lease=lease)
                await reminders.plan(connection, claimed, now)
            send_until = now + lease * (1 - LEASE_RESERVE)
            fresh = []
            for due in claimed:
                mine = self.held.get(due.user_id)
                if mine is None:
                    fresh.append(due)
                else:  # ours already: its lease ran out before its outcome was recorded
                    mine.lease = due.lease
            claimed = fresh
            # A met day sends no reminder, but the week's recap still goes.
            skipped = [Outcome(d) for d in claimed if not d.send and d.recap is None]
            self.pending.extend(skipped)
            sending = [d for d in claimed if d.send or d.recap is not None]
            for due in sending:
                due.send_until = send_until
                self.held[due.user_id] = due
            # The queue stays in due order: users a dead instance held (due earlier than those
            # claimed since) go next, not after what this instance had queued meanwhile.
            self.queue = deque(sorted([*self.queue, *sending], key=reminders.due_order))
            # Claims go on while they find anyone: more may have fallen due meanwhile (one
            # claim finds none at the end), and a reminder skipped for being too late may be
            # followed by one due already.
            self.more = self.more and bool(claimed)
            self.low_water = size // 2
            await self._count_backlog(now)
            self._gauge()
        finally:
            self._claiming = None
            self._changed.set()

    async def _count_backlog(self, now: datetime) -> None:
        """The whole bot's backlog for /metrics, and whether it calls for paid broadcasts: when
        at the free pace it would make the last of them later than the operator allows."""
        services = self.services
        counted = services.backlog_counted_at
        if counted is not None and now - counted < BACKLOG_EVERY and now >= counted:
            return
        services.backlog_counted_at = now
        async with services.db.read() as session:
            backlog = await reminders.count_due(session, now)
        services.metrics.waiting_all.set(backlog)
        pacer = services.pacer
        if pacer is not None and pacer.rates.paid_extra:
            late = backlog / pacer.rates.free
            pacer.want_paid = late > services.paid_after.total_seconds()

    async def _renew(self) -> None:
        """Several times a lease, extend the claims this run still holds (queued or in
        flight), so a slow send never outlives its lease while this instance is alive."""
        services = self.services
        lease = services.reminder_lease
        every = lease.total_seconds() / RENEWALS_PER_LEASE
        while True:
            await asyncio.sleep(every)
            async with self._writing:
                held = list(self.held.values())
                if not held:
                    continue
                now = services.clock.now()
                async with services.db.connection() as connection:
                    await reminders.renew(connection, held, now, lease)
            send_until = now + lease * (1 - LEASE_RESERVE)
            for due in held:
                if due.lease is not None and due.lease > now + lease / 2:
                    due.send_until = send_until

    def _give_back(self) -> None:
        # Not sent (shutting down): the claim is given back, unchanged.
        self.pending.extend(Outcome(due, retry=True, given_back=True) for due in self.queue)
        self.queue.clear()
        self.held.clear()

    def _gauge(self) -> None:
        self.services.metrics.waiting_here.set(len(self.queue) + self.in_flight)

    async def _flush(self) -> None:
        # Group commit: one flush at a time writes every outcome that finished meanwhile, and
        # keeps going until none is left; only the sender that started it waits for it.
        if self._flushing:
            return
        self._flushing = True
        try:
            # One turn of the loop first, so sends finishing together share one transaction.
            await asyncio.sleep(0)
            while self.pending:
                async with self._writing:
                    batch = self.pending.copy()
                    self.pending.clear()
                    _count(self.services, batch)
                    async with self.services.db.connection() as connection:
                        now = self.services.clock.now()
                        await reminders.complete(connection, batch, now)
                    for outcome in batch:
                        self.held.pop(outcome.due.user_id, None)
            self._gauge()
        finally:
            self._flushing = False


def _count(services: Services, outcomes: list[Outcome]) -> None:
    """Count outcomes on /metrics; a sent reminder's lateness is from its time to its send."""
    services.metrics.count_reminders(
        skipped=sum(1 for o in outcomes if not o.due.send and not o.given_back),
        failed=sum(1 for o in outcomes if o.due.send and not o.sent and not o.given_back),
        lateness=[
            (o.sent_at - o.due.due_at).total_seconds()
            for o in outcomes
            if o.sent and o.sent_at is not None
        ],
    )
