"""A set logged or undone, with what follows from it: shared by the chat's set buttons
(handlers.session) and the Mini App (miniapp.api), so both keep one truth.

The set is a unique row (`storage.sets`), logged under the day's recorded sets per side; when
the day's target becomes met (or unmet again) the reminder plan moves with it, so a met day
gets no reminder (`reminder_plan.reschedule`); a set that meets the target names the day's
reminder message, for the caller to turn into a ✓ line once its transaction is committed; and
any group board the user is on is marked due a redraw (`storage.together`), which the caller
draws after the commit, with a nudge to buddies when the day is done (`handlers.together`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coach import session_flow
from coach.callbacks import LogSet
from coach.routine import load_routine
from storage import reminder_plan, sets, users
from storage.sets import DaySets
from storage.together import touch_boards_of


@dataclass(frozen=True)
class SetChange:
    """What logging or undoing one set did to its day."""

    number: int
    done: bool  # True: the set was to be logged; False: undone
    changed: bool  # False: it was logged (or not logged) already, nothing stored
    after: DaySets  # the day's sets now
    reminder: int | None  # the day's reminder message, when this set met the day's target
    completed: bool  # this set finished the day
    on_boards: bool  # the user is on a group's board, now due a redraw


async def change_set(
    session: AsyncSession,
    user_id: int,
    day: date,
    data: LogSet,
    now: datetime,
    *,
    sets_per_side: int,
) -> SetChange | None:
    """Log (or undo, `data.done == 0`) one set of stretch day `day`, reading the day's sets
    once; `sets_per_side` is the user's setting (a day with sets keeps its own). None for a
    set the day cannot have (an unknown stretch or side, a number past the day's target)."""
    routine = load_routine()
    logged = await sets.day_sets(session, user_id, day)
    target = logged.sets_per_side(sets_per_side)
    tap = session_flow.parse_set(routine, data, target)
    if tap is None:
        return None
    where = (user_id, day, tap.stretch_key, tap.side, tap.number)
    reminder = None
    completed = False
    if tap.done:
        changed = await sets.log_set(session, *where, now, sets_target=target)
        completed = changed and session_flow.completes_day(routine, logged.numbers, target, tap)
        if completed:
            # The day's reminder has done its job: the caller makes it a ✓ line.
            reminder = await reminder_plan.reminder_message(session, user_id, day)
    else:
        changed = await sets.undo_set(session, *where)
    part = (tap.stretch_key, tap.side)
    after = logged.after(part, tap.number, logged=tap.done, target=target) if changed else logged
    met_before = session_flow.day_met(routine, logged.numbers, target)
    if session_flow.day_met(routine, after.numbers, target) != met_before:
        # A met day gets no reminder, an unmet one may again: the next one is moved to be true.
        user = await users.get_user(session, user_id)
        if user is not None:
            await reminder_plan.reschedule(session, user, now)
    # Any board they are on is redrawn, in this transaction's light (storage.boards).
    on_boards = changed and await touch_boards_of(session, user_id) > 0
    return SetChange(tap.number, tap.done, changed, after, reminder, completed, on_boards)
