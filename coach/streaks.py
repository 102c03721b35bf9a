"""Daily targets and streaks, as pure functions of the logged sets and paused days.

The rules, stated once (the README repeats them):

- A stretch day whose target was met always counts, paused or not.
- A pause protects only the days it covers that were *not* met: they neither count nor break
  a run. A day that was neither met nor paused breaks the run once it is over; today is
  still open, so it never breaks one.
- Each day is judged by its own target: the sets per side it started with (see
  `storage.progress`). A change of the setting applies from the next stretch day once today
  has a logged set, so it never un-finishes a day.

So pausing, resuming or changing a setting never lowers the streak or the best of days that
are over or met: a pause only adds protection, resuming removes it only from today on.

Because nothing is stored but the sets themselves, an undone set lowers today's progress and
the streak at once, with no counter to fix up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# A part of the routine: (stretch key, side), e.g. ("lower_back", "right").
Part = tuple[str, str]


@dataclass(frozen=True)
class DayProgress:
    """One stretch day at a glance: sets counted toward the target, e.g. 7 of 12."""

    day: date
    done: int
    target: int
    paused: bool

    @property
    def met(self) -> bool:
        return self.target > 0 and self.done >= self.target


@dataclass(frozen=True)
class Pause:
    """A pause as the user sees it: from `first` to `last`, or until they resume (None)."""

    first: date
    last: date | None


@dataclass(frozen=True)
class Streak:
    current: int
    best: int


def day_done(sets_by_part: Mapping[Part, int], parts: Iterable[Part], sets_per_side: int) -> int:
    """Sets that count toward the day's target: extra sets on one side do not make up another."""
    return sum(min(sets_by_part.get(part, 0), sets_per_side) for part in parts)


def target_met(sets_by_part: Mapping[Part, int], parts: Iterable[Part], sets_per_side: int) -> bool:
    """Whether every stretch × side reached `sets_per_side` (an empty routine is never met)."""
    parts = list(parts)
    return bool(parts) and all(sets_by_part.get(part, 0) >= sets_per_side for part in parts)


def compute_streak(
    met_days: Collection[date], paused_days: Collection[date], today: date
) -> Streak:
    """Current and best run of met stretch days; a met day counts even when paused, a paused
    day that was not met neither counts nor breaks a run.

    The current run ends today or, while today is not met yet, yesterday. Days after `today`
    are ignored.
    """
    paused = {day for day in paused_days if day <= today}
    met = {day for day in met_days if day <= today}
    if not met:
        return Streak(current=0, best=0)

    # Walk every day from the first met one to today once; paused days leave the run alone.
    best = run = 0
    day = min(met)
    while day <= today:
        if day in met:
            run += 1
            best = max(best, run)
        elif day not in paused and day != today:
            run = 0  # a missed day breaks the run; today is still open
        day += timedelta(days=1)
    return Streak(current=run, best=best)


def run_known_since(
    met_days: Collection[date], paused_days: Collection[date], today: date, since: date
) -> bool:
    """Whether days from `since` on settle the current streak as of `today`: some day in
    [since, today) was neither met nor paused, so the run cannot reach further back.

    Lets a caller read a short window of history first and go further only for the users
    whose current run is longer than the window."""
    met, paused = set(met_days), set(paused_days)
    day = since
    while day < today:
        if day not in met and day not in paused:
            return True
        day += timedelta(days=1)
    return False
