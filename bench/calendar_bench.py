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
from coach.texts import ENGLISH, Texts

# A fixed Wednesday, so the samples span a year boundary and four month labels.
SAMPLE_TODAY = date(2025, 3, 12)
TARGET = 12  # 2 stretches × 2 sides × 3 sets
DOCS = Path(__file__).resolve().parent.parent / "docs"
RUNS = 50


def _days_back(count: int) -> list[date]:
    return [SAMPLE_TODAY - timedelta(days=n) for n in range(count)]


Feel = list[float | None]


def subtitle(current: int, best: int, total: int, texts: Texts = ENGLISH) -> str:
    return texts.CALENDAR_SUBTITLE.format(current=current, best=best, total=total)


def sample_grids() -> dict[str, tuple[list[list[DayCell]], str, Feel]]:
    """Name → (grid, subtitle, weekly back feel) for the empty, partial, full and paused
    sample histories, drawn with the title and subtitle the bot uses."""
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
    # Back feel, answered on some weeks: getting better, one bad week, a perfect 10 lately.
    partial_feel: Feel = [None, None, 4.0, 3.0, None, 5.5, 6.0, None, 7.0, 2.5, 8.0, 9.6]
    full_feel: Feel = [6.5, 7.0, 7.0, 7.5, 8.0, 8.0, 8.5, 9.0, 9.0, 9.5, 10.0, 10.0]
    paused_feel: Feel = [None, None, None, None, None, None, None, None, 7.0, None, 8.0, None]
    return {
        "empty": (build_grid(SAMPLE_TODAY, {}, TARGET, ()), subtitle(0, 0, 0), []),
        "partial": (
            build_grid(SAMPLE_TODAY, partial, TARGET, ()),
            subtitle(4, 9, 612),
            partial_feel,
        ),
        "full": (build_grid(SAMPLE_TODAY, full, TARGET, ()), subtitle(120, 120, 1440), full_feel),
        "paused": (
            build_grid(SAMPLE_TODAY, paused_done, TARGET, paused_days),
            subtitle(49, 49, 588),
            paused_feel,
        ),
    }


def write_samples(directory: Path = DOCS) -> list[Path]:
    """Render each sample history to `directory/calendar-<name>.png`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (grid, words, feel) in sample_grids().items():
        path = directory / f"calendar-{name}.png"
        path.write_bytes(
            render_calendar(
                grid, title=ENGLISH.CALENDAR_TITLE, subtitle=words, feel=feel, texts=ENGLISH
            )
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
    grid, words, feel = sample_grids()["partial"]
    done = {day: 6 for day in _days_back(84)}
    build = _median_ms(lambda: build_grid(SAMPLE_TODAY, done, TARGET, ()))
    render = _median_ms(
        lambda: render_calendar(
            grid, title=ENGLISH.CALENDAR_TITLE, subtitle=words, feel=feel, texts=ENGLISH
        )
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
