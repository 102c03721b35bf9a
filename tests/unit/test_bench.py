"""`make bench` keeps working: the reminder benchmark, scaled down, runs end to end."""

from __future__ import annotations

import pytest

from bench import reminders


def test_reminder_benchmark_runs_on_a_small_population(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reminders, "USERS", 2000)
    monkeypatch.setattr(reminders, "DUE", 40)
    monkeypatch.setattr(reminders, "TICK_RUNS", 1)
    rows = dict(reminders.run())

    assert rows["reminders: users"] == "2,000"
    tick = rows["reminders: one tick, 40 due, SQLite (ms, median of 1)"]
    # Every due user was claimed and completed (others may happen to be due at NOW too).
    claimed = int(tick.split("(")[1].split()[0])
    assert claimed >= 40
    replayed = rows["reminders: the same SQL alone, stdlib sqlite3 (ms, median of 1)"]
    assert int(replayed.split("(")[1].split()[0]) >= 6  # claim, reads, completion, commits
    by_driver = rows["reminders: that SQL over aiosqlite + schedule math (ms, median of 1)"]
    assert float(by_driver.split()[0]) > 0
    # The job-per-user design pays for its jobs; ours schedules one job.
    naive = rows["reminders: peak RSS, run_daily per user (MB)"]
    ours = rows["reminders: peak RSS, tick design (MB)"]
    assert float(naive.split("+")[1].split()[0]) > float(ours.split("+")[1].split()[0])
