"""Daily targets and streaks: named cases, and a property against a brute-force reference."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.streaks import DayProgress, Streak, compute_streak, day_done, run_known_since, target_met

PARTS = [("lower_back", "right"), ("lower_back", "left"), ("mid_trunk", "right"),
         ("mid_trunk", "left")]  # fmt: skip
TODAY = date(2026, 6, 10)


def days_ago(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


# ── The daily target ──


def test_target_needs_every_stretch_and_side() -> None:
    full = dict.fromkeys(PARTS, 3)
    assert target_met(full, PARTS, 3)
    assert day_done(full, PARTS, 3) == 12
    missing_one = {**full, ("mid_trunk", "left"): 2}
    assert not target_met(missing_one, PARTS, 3)
    assert day_done(missing_one, PARTS, 3) == 11


def test_extra_sets_on_one_side_do_not_make_up_for_another() -> None:
    lopsided = {("lower_back", "right"): 9, ("lower_back", "left"): 1}
    assert day_done(lopsided, PARTS, 3) == 4
    assert not target_met(lopsided, PARTS, 3)


def test_sets_per_side_comes_from_preferences() -> None:
    one_each = dict.fromkeys(PARTS, 1)
    assert target_met(one_each, PARTS, 1)
    assert not target_met(one_each, PARTS, 2)
    assert day_done(one_each, PARTS, 5) == 4


def test_nothing_logged_and_an_empty_routine_are_not_met() -> None:
    assert not target_met({}, PARTS, 3)
    assert day_done({}, PARTS, 3) == 0
    assert not target_met({("lower_back", "right"): 3}, [], 3)


def test_day_progress_knows_when_it_is_met() -> None:
    assert DayProgress(TODAY, done=12, target=12, paused=False).met
    assert not DayProgress(TODAY, done=7, target=12, paused=False).met


# ── Streaks ──


def test_no_days_no_streak() -> None:
    assert compute_streak(set(), set(), TODAY) == Streak(current=0, best=0)


def test_today_only() -> None:
    assert compute_streak(days_ago(0), set(), TODAY) == Streak(current=1, best=1)


def test_yesterday_only_still_counts_while_today_is_open() -> None:
    assert compute_streak(days_ago(1), set(), TODAY) == Streak(current=1, best=1)


def test_a_missed_day_breaks_the_streak() -> None:
    assert compute_streak(days_ago(2, 3, 4), set(), TODAY) == Streak(current=0, best=3)
    assert compute_streak(days_ago(0, 2, 3), set(), TODAY) == Streak(current=1, best=2)


def test_a_paused_day_bridges_without_counting() -> None:
    assert compute_streak(days_ago(0, 2, 3), days_ago(1), TODAY) == Streak(current=3, best=3)
    # A paused yesterday bridges to the day before, even while today is still open.
    assert compute_streak(days_ago(2, 3), days_ago(1), TODAY) == Streak(current=2, best=2)


def test_a_met_day_counts_even_when_paused() -> None:
    assert compute_streak(days_ago(0, 1, 2), days_ago(1), TODAY) == Streak(current=3, best=3)
    assert compute_streak(days_ago(0), days_ago(0), TODAY) == Streak(current=1, best=1)


def test_a_pause_bridges_only_the_days_that_were_not_met() -> None:
    # 3 and 4 days ago met, 1 and 2 paused and missed, yesterday met: one run of three.
    met, paused = days_ago(1, 3, 4), days_ago(1, 2)
    assert compute_streak(met, paused, TODAY) == Streak(current=3, best=3)
    # Without the pause, the missed day 2 breaks the run.
    assert compute_streak(met, days_ago(1), TODAY) == Streak(current=1, best=2)


def test_undo_lowers_the_streak_and_keeps_the_best() -> None:
    met = days_ago(0, 1, 2, 3)
    assert compute_streak(met, set(), TODAY) == Streak(current=4, best=4)
    # Undoing a set yesterday makes yesterday no longer met: the run breaks there.
    assert compute_streak(met - days_ago(1), set(), TODAY) == Streak(current=1, best=2)
    # Undoing today's last set only leaves today open.
    assert compute_streak(met - days_ago(0), set(), TODAY) == Streak(current=3, best=3)


def test_best_is_kept_from_long_ago() -> None:
    met = days_ago(*range(30, 40)) | days_ago(0, 1)
    assert compute_streak(met, set(), TODAY) == Streak(current=2, best=10)


def test_days_after_today_are_ignored() -> None:
    tomorrow = TODAY + timedelta(days=1)
    assert compute_streak({tomorrow}, set(), TODAY) == Streak(current=0, best=0)


def reference_streak(met: set[date], paused: set[date], today: date) -> Streak:
    """Brute force: try every run length ending at every day and keep what holds."""
    if not met | paused:
        return Streak(0, 0)
    start = min(met | paused) - timedelta(days=1)
    all_days = [start + timedelta(days=i) for i in range((today - start).days + 1)]

    def run_ending(end: date, allow_open_end: bool) -> int:
        # Days that count up to `end` (met, or not paused), newest last; an open today may be
        # dropped.
        counted = [d for d in all_days if d <= end and (d in met or d not in paused)]
        if allow_open_end and counted and counted[-1] == today and today not in met:
            counted.pop()
        best = 0
        for length in range(len(counted) + 1):
            tail = counted[len(counted) - length :]
            if all(d in met for d in tail):
                best = length
        return best

    current = run_ending(today, allow_open_end=True)
    best = max(run_ending(end, allow_open_end=False) for end in all_days)
    return Streak(current=current, best=max(best, current))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["met", "paused", "missed", "met+paused"]), max_size=40))
def test_streak_matches_brute_force(history: list[str]) -> None:
    # history[i] is what happened i days before today.
    met = {TODAY - timedelta(days=i) for i, kind in enumerate(history) if "met" in kind}
    paused = {TODAY - timedelta(days=i) for i, kind in enumerate(history) if "paused" in kind}
    streak = compute_streak(met, paused, TODAY)
    assert streak == reference_streak(met, paused, TODAY)
    assert 0 <= streak.current <= streak.best <= len(met)


def test_a_window_settles_the_run_only_when_it_holds_a_break() -> None:
    today = date(2026, 11, 25)
    since = today - timedelta(days=3)  # the window: 22, 23, 24 November (and today)
    every_day = {today - timedelta(days=n) for n in range(1, 4)}
    assert not run_known_since(every_day, set(), today, since)  # the run may go further back
    with_break = every_day - {date(2026, 11, 22)}
    assert run_known_since(with_break, set(), today, since)
    # A paused day is no break: the run may still go further back.
    assert not run_known_since(with_break, {date(2026, 11, 22)}, today, since)
    # Today does not count: it is still open.
    assert not run_known_since(every_day - {today}, set(), today, since)
