"""The weekly recap's batch queries, for the reminder tick: who gets one with today's reminder,
what it says (grouped reads over the claimed users), and that it went (once per week)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, select

from coach.recap import WEEK, WeekRecap, is_recap_day, week_start
from coach.streaks import compute_streak
from storage import pauses, progress
from storage.batch import fetch, in_ids
from storage.db import Executor, upsert_insert
from storage.models import BackCheckIn, WeeklyRecap

# (user id, the stretch day of the reminder, the user's weekdays)
Candidate = tuple[int, date, int]
# The recaps already sent to a list of users since a week's start (`batch.fetch`).
_SENT = select(WeeklyRecap.user_id, WeeklyRecap.week_start).where(
    in_ids(WeeklyRecap.user_id, "ids"), WeeklyRecap.week_start >= bindparam("since")
)


async def recaps_for(session: Executor, candidates: Sequence[Candidate]) -> dict[int, WeekRecap]:
    """The recap for each candidate whose reminder today is the week's first and who has had
    none this week; keyed by user. Candidates are users who want one (`User.weekly_recap`)."""
    due = {uid: day for uid, day, weekdays in candidates if is_recap_day(day, weekdays)}
    if not due:
        return {}
    since = min(week_start(day) for day in due.values())
    for uid, start in await fetch(session, _SENT, ids=due, since=since):
        if uid in due and week_start(due[uid]) == start:
            del due[uid]
    if not due:
        return {}
    ids, last = list(due), max(due.values())
    tallies = await progress.day_tallies(session, ids, until=last)
    paused = await pauses.paused_by_user(session, ids, None, last)
    feel = await _feel(session, ids, min(due.values()) - 2 * WEEK, last)
    met: dict[int, set[date]] = defaultdict(set)
    sets: dict[int, int] = defaultdict(int)
    for (uid, day), tally in tallies.items():
        if tally.met:
            met[uid].add(day)  # today too: the streak is the one /progress shows now
        if due[uid] - WEEK <= day < due[uid]:
            sets[uid] += tally.done  # the week just ended, before today
    found = {}
    for uid, today in due.items():
        streak = compute_streak(met[uid], paused.get(uid, set()), today)
        week = {day for day in met[uid] if today - WEEK <= day < today}
        found[uid] = WeekRecap(
            days_met=len(week),
            sets=sets[uid],
            current=streak.current,
            best=streak.best,
            feel=_average(feel[uid], today - WEEK, today),
            feel_before=_average(feel[uid], today - 2 * WEEK, today - WEEK),
        )
    return found


async def record(session: Executor, sent: Sequence[tuple[int, date]], now: datetime) -> None:
    """The recaps that went out: (user, stretch day). A second record of a week is not written."""
    if not sent:
        return
    rows = [{"user_id": uid, "week_start": week_start(day), "sent_at": now} for uid, day in sent]
    statement = upsert_insert(session, WeeklyRecap).values(rows)
    await session.execute(
        statement.on_conflict_do_nothing(index_elements=["user_id", "week_start"])
    )


async def _feel(
    session: Executor, ids: list[int], since: date, until: date
) -> dict[int, dict[date, int]]:
    rows = await session.execute(
        select(BackCheckIn.user_id, BackCheckIn.stretch_day, BackCheckIn.score).where(
            in_ids(BackCheckIn.user_id, ids),
            BackCheckIn.stretch_day >= since,
            BackCheckIn.stretch_day <= until,
        )
    )
    found: dict[int, dict[date, int]] = defaultdict(dict)
    for uid, day, score in rows:
        found[uid][day] = score
    return found


def _average(scores: dict[date, int], since: date, before: date) -> float | None:
    """The average of the scores of the days in [since, before)."""
    chosen = [score for day, score in scores.items() if since <= day < before]
    return sum(chosen) / len(chosen) if chosen else None
