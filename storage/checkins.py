"""How the back feels: one 0–10 answer per user and stretch day, and its weekly averages."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.batch import in_ids
from storage.db import Executor, upsert_insert
from storage.models import BackCheckIn


async def note(session: AsyncSession, user_id: int, day: date, score: int, now: datetime) -> None:
    """Store (or change) the day's answer."""
    statement = upsert_insert(session, BackCheckIn).values(
        user_id=user_id, stretch_day=day, score=score, noted_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[BackCheckIn.user_id, BackCheckIn.stretch_day],
            set_={"score": score, "noted_at": now},
        )
    )


async def score_on(session: AsyncSession, user_id: int, day: date) -> int | None:
    found = await session.scalar(
        select(BackCheckIn.score).where(
            BackCheckIn.user_id == user_id, BackCheckIn.stretch_day == day
        )
    )
    return int(found) if found is not None else None


async def weekly_averages(
    session: Executor, user_ids: list[int], first: date, weeks: int
) -> dict[int, list[float | None]]:
    """Per user, the average answer of each of `weeks` weeks starting on `first` (None for a
    week without any), oldest first."""
    last = first + timedelta(days=7 * weeks - 1)
    rows = await session.execute(
        select(BackCheckIn.user_id, BackCheckIn.stretch_day, BackCheckIn.score).where(
            in_ids(BackCheckIn.user_id, user_ids),
            BackCheckIn.stretch_day >= first,
            BackCheckIn.stretch_day <= last,
        )
    )
    scores: dict[tuple[int, int], list[int]] = defaultdict(list)
    for user_id, day, score in rows:
        scores[(user_id, (day - first).days // 7)].append(score)
    return {
        user_id: [
            sum(found) / len(found) if (found := scores.get((user_id, week))) else None
            for week in range(weeks)
        ]
        for user_id in user_ids
    }
