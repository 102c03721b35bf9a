"""The send pace's book (ops.pace) in PostgreSQL, shared by every instance of the bot.

Why a row in the database the instances already share, rather than one sender holding a lease or
a store of its own (Redis): every instance then sends its own interactive answers at once, in
its own process, with no hop to a leader; nothing new to run; and a dead instance holds nothing
back (a lease would, until it ran out). Each reservation is one short transaction that locks the
row, books the slots (`ops.pace.book_slots`) and writes the row back: a few hundred
microseconds, a few dozen times a second across the bot. Times are Unix seconds of each
instance's clock, read as it asks: every instance then spaces its sends on one time line, as far
as their clocks agree (NTP keeps servers within a millisecond or two), and a slow answer from
the database makes the slot no later (the database's own clock would be read somewhere between
asking and answering, off by up to the round trip).
"""

from __future__ import annotations

import time
from typing import cast

from sqlalchemy import Table, Update, select, update

from ops.pace import Grant, Lane, PaceState, Rates, book_slots, halt_state
from storage.db import Database
from storage.models import SendPace

_pace = cast(Table, SendPace.__table__)
_READ = (
    select(_pace.c.free_next, _pace.c.paid_next, _pace.c.paid_day, _pace.c.paid_used)
    .where(_pace.c.id == 1)
    .with_for_update()
)


class PostgresBook:
    """`ops.pace.Book` on the `send_pace` row."""

    def __init__(self, db: Database, rates: Rates) -> None:
        self.db, self.rates = db, rates

    async def reserve(self, lane: Lane, wanted: int, paid: bool) -> Grant:
        now = time.time()
        async with self.db.engine.begin() as connection:
            free_next, paid_next, day, used = (await connection.execute(_READ)).one()
            state = PaceState(free_next, paid_next, day, used)
            grant = book_slots(state, now, int(now // 86400), self.rates, lane, wanted, paid)
            if grant.count:
                await connection.execute(_write(state))
        return grant

    async def halt(self, seconds: float) -> None:
        now = time.time()
        async with self.db.engine.begin() as connection:
            free_next, paid_next, day, used = (await connection.execute(_READ)).one()
            state = PaceState(free_next, paid_next, day, used)
            halt_state(state, now, seconds)
            await connection.execute(_write(state))


def _write(state: PaceState) -> Update:
    return (
        update(_pace)
        .where(_pace.c.id == 1)
        .values(
            free_next=state.free_next,
            paid_next=state.paid_next,
            paid_day=state.paid_day,
            paid_used=state.paid_used,
        )
    )
