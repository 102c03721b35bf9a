"""Benchmark the /progress calendar picture and (re)draw the sample PNGs in docs/.

Run: `.venv/bin/python -m bench.calendar_bench` (prints the timings);
`... -m bench.calendar_bench --samples` also rewrites docs/calendar-*.png.
The goal from issue 5: one picture renders in under 200 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from coach.calendar_image import DayCell, build_grid, render_calendar
from coach.texts import ENGLISH

# A fixed Wednesday, so the samples span a year boundary and four month labels.
SAMPLE_TODAY = date(2025, 3, 12)
TARGET = 12  # 2 stretches × 2 sides × 3 sets
DOCS = Path(__file__).resolve().parent.parent / "docs"
RUNS = 50


def _days_back(count: int) -> list[date]:
    return [SAMPLE_TODAY - timedelta(days=n) for n in range(count)]


def sample_grids() -> dict[str, tuple[list[list[DayCell]], str]]:
    """Name → (grid, subtitle) for the empty, partial, full and paused sample histories."""
    # Partial: a realistic mix — some full days, some half-done, some missed, a recent run.
    partial: dict[date, int] = {}
    for n, day in enumerate(_days_back(84)):
        pattern = (n * 7 + n // 5) % 10
        partial[day] = (12, 12, 0, 6, 12, 3, 9, 12, 0, 12)[pattern]
    for day in _days_back(5):
        partial[day] = 12
    partial[SAMPLE_TODAY] = 6
    full = {day: 12 for day in _days_back(120)}
    # Paused: a steady habit with a 7-day holiday pause two weeks ago and a pause running now.
    running = {SAMPLE_TODAY + timedelta(days=n) for n in range(-1, 3)}
    paused_days = set(_days_back(21)[14:21]) | running
    paused_done = {day: 12 for day in _days_back(60) if day not in paused_days}
    return {
        "empty": (build_grid(SAMPLE_TODAY, {}, TARGET, ()), "No stretches yet · today 0/12 sets"),
        "partial": (build_grid(SAMPLE_TODAY, partial, TARGET, ()), "Streak 4 days · best 9"),
        "full": (build_grid(SAMPLE_TODAY, full, TARGET, ()), "Streak 120 days · best 120"),
        "paused": (
            build_grid(SAMPLE_TODAY, paused_done, TARGET, paused_days),
            "Paused until Mar 14 · streak 49 days kept",
        ),
    }


def write_samples(directory: Path = DOCS) -> list[Path]:
    """Render each sample history to `directory/calendar-<name>.png`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (grid, subtitle) in sample_grids().items():
        path = directory / f"calendar-{name}.png"
        path.write_bytes(
            render_calendar(grid, title="Your last 12 weeks", subtitle=subtitle, texts=ENGLISH)
        )
        written.append(path)
    return written


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    action()  # warm up: font loading is cached after the first call
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def run() -> list[tuple[str, str]]:
    """Rows (name, figure): grid building and full PNG rendering, median of RUNS."""
    grid, subtitle = sample_grids()["partial"]
    done = {day: 6 for day in _days_back(84)}
    build = _median_ms(lambda: build_grid(SAMPLE_TODAY, done, TARGET, ()))
    render = _median_ms(
        lambda: render_calendar(grid, title="Your last 12 weeks", subtitle=subtitle, texts=ENGLISH)
    )
    return [
        (f"calendar build_grid, median of {RUNS}", f"{build:.2f} ms"),
        (f"calendar render (PNG), median of {RUNS}", f"{render:.0f} ms (goal < 200 ms)"),
    ]


def main(argv: list[str]) -> None:
    if "--samples" in argv:
        for path in write_samples():
            print(f"wrote {path}")
    rows = run()
    width = max(len(name) for name, _ in rows)
    for name, figure in rows:
        print(f"{name:<{width}}  {figure}")


if __name__ == "__main__":
    main(sys.argv[1:])
