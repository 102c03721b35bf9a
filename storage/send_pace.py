"""The send pace's book (ops.pace) in PostgreSQL, shared by every instance of the bot.

Why a row in the database the instances already share, rather than one sender holding a lease
or a store of its own (Redis): every instance then sends its own interactive answers at once,
in its own process, with no hop to a leader; nothing new to run; and a dead instance holds
nothing back (a lease would, until it ran out). Each reservation is one short transaction that
locks the row, reads the database's clock, books the slots (`ops.pace.book_slots`) and writes
the row back: a few hundred microseconds, a few dozen times a second across the bot. Times are
the database's clock, so instances on machines whose clocks differ still space their sends
right: each turns a slot into a delay from the moment it got the answer.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, Update, func, select, update

from ops.pace import Grant, Lane, PaceState, Rates, book_slots, halt_state
from storage.db import Database
from storage.models import SendPace

_pace = cast(Table, SendPace.__table__)
_NOW = func.extract("epoch", func.clock_timestamp())
_READ = (
    select(_pace.c.free_next, _pace.c.paid_next, _pace.c.paid_day, _pace.c.paid_used, _NOW)
    .where(_pace.c.id == 1)
    .with_for_update()
)


class PostgresBook:
    """`ops.pace.Book` on the `send_pace` row."""

    def __init__(self, db: Database, rates: Rates) -> None:
        self.db, self.rates = db, rates

    async def reserve(self, lane: Lane, wanted: int, paid: bool) -> Grant:
        async with self.db.engine.begin() as connection:
            free_next, paid_next, day, used, now = (await connection.execute(_READ)).one()
            now = float(now)
            state = PaceState(free_next, paid_next, day, used)
            grant = book_slots(state, now, int(now // 86400), self.rates, lane, wanted, paid)
            if grant.count:
                await connection.execute(_write(state))
        return grant

    async def halt(self, seconds: float) -> None:
        async with self.db.engine.begin() as connection:
            free_next, paid_next, day, used, now = (await connection.execute(_READ)).one()
            state = PaceState(free_next, paid_next, day, used)
            halt_state(state, float(now), seconds)
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
