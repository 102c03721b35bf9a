"""The /progress calendar: the computed day grid, and the real PNG's pixels against the palette."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from coach.calendar_image import (
    CALENDAR_COLORS,
    OUTLINE_OFFSET,
    OUTLINE_WIDTH,
    DayCell,
    build_grid,
    cell_box,
    month_labels,
    render_calendar,
)
from coach.texts import ENGLISH

TODAY = date(2025, 3, 12)  # a Wednesday: weekday row 2, Thu–Sun of its week are future
TARGET = 12
FIRST_MONDAY = date(2024, 12, 23)  # 11 weeks before the Monday of TODAY's week


def at(grid: list[list[DayCell]], day: date) -> DayCell:
    week = (day - FIRST_MONDAY).days // 7
    return grid[week][day.weekday()]


def position(day: date) -> tuple[int, int]:
    return (day - FIRST_MONDAY).days // 7, day.weekday()


# ── The grid ──


def test_grid_is_twelve_monday_first_weeks_ending_with_today() -> None:
    grid = build_grid(TODAY, {}, TARGET, ())

    assert len(grid) == 12
    assert all(len(week) == 7 for week in grid)
    days = [cell.day for week in grid for cell in week]
    assert days[0] == FIRST_MONDAY
    assert days == [FIRST_MONDAY + timedelta(days=n) for n in range(84)]
    assert all(cell.day.weekday() == row for week in grid for row, cell in enumerate(week))
    assert grid[11][2].day == TODAY
    assert [cell.day for week in grid for cell in week if cell.today] == [TODAY]


def test_days_after_today_in_the_last_week_are_future() -> None:
    grid = build_grid(TODAY, {TODAY + timedelta(days=1): 12}, TARGET, ())

    future = [cell.day for week in grid for cell in week if cell.future]
    assert future == [date(2025, 3, 13), date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]
    assert not at(grid, TODAY).future
    assert at(grid, date(2025, 3, 13)).share == 0.0  # sets logged for a future day don't show


def test_shares_are_fraction_of_target_capped_at_one() -> None:
    done = {
        date(2025, 3, 3): 6,
        date(2025, 3, 4): 12,
        date(2025, 3, 5): 20,
        date(2025, 3, 6): 1,
    }
    grid = build_grid(TODAY, done, TARGET, ())

    assert at(grid, date(2025, 3, 2)).share == 0.0
    assert at(grid, date(2025, 3, 3)).share == 0.5
    assert at(grid, date(2025, 3, 4)).share == 1.0
    assert at(grid, date(2025, 3, 5)).share == 1.0
    assert at(grid, date(2025, 3, 6)).share == pytest.approx(1 / 12)


def test_a_day_with_its_own_target_keeps_its_share() -> None:
    # Logged at 3 sets per side (12 a day); the setting is 4 per side (16) now.
    done = {date(2025, 3, 3): 12, date(2025, 3, 4): 12}
    grid = build_grid(TODAY, done, 16, (), day_targets={date(2025, 3, 3): 12})

    assert at(grid, date(2025, 3, 3)).share == 1.0
    assert at(grid, date(2025, 3, 4)).share == 0.75


def test_paused_days_are_flagged_and_only_those() -> None:
    paused = {date(2025, 2, 10), date(2025, 2, 11), TODAY, date(2024, 6, 1)}
    grid = build_grid(TODAY, {}, TARGET, paused)

    flagged = {cell.day for week in grid for cell in week if cell.paused}
    assert flagged == {date(2025, 2, 10), date(2025, 2, 11), TODAY}


def test_month_labels_sit_over_the_column_holding_the_first() -> None:
    grid = build_grid(TODAY, {}, TARGET, ())

    assert position(date(2025, 1, 1)) == (1, 2)
    assert position(date(2025, 2, 1)) == (5, 5)
    assert position(date(2025, 3, 1)) == (9, 5)
    # Dec has only one column before Jan's label: no room to name it.
    assert month_labels(grid, ENGLISH) == [(1, "Jan"), (5, "Feb"), (9, "Mar")]


def test_first_column_is_named_when_the_next_month_starts_later() -> None:
    grid = build_grid(date(2025, 3, 31), {}, TARGET, ())

    assert grid[0][0].day == date(2025, 1, 13)
    assert month_labels(grid, ENGLISH) == [(0, "Jan"), (2, "Feb"), (6, "Mar"), (11, "Apr")]


def test_weeks_and_target_are_validated() -> None:
    assert len(build_grid(TODAY, {}, TARGET, (), weeks=4)) == 4
    with pytest.raises(ValueError, match="target_per_day"):
        build_grid(TODAY, {}, 0, ())


# ── The picture ──

DONE = {
    date(2025, 3, 3): 4,  # 1/3 → lightest green
    date(2025, 3, 4): 6,  # 1/2 → middle green
    date(2025, 3, 5): 10,  # 5/6 → dark partial green
    date(2025, 3, 6): 12,  # full
    date(2025, 3, 7): 30,  # over target: still just full
    TODAY: 12,
}
PAUSED = {date(2025, 3, 9), date(2025, 3, 14)}


@pytest.fixture(scope="module")
def png() -> bytes:
    grid = build_grid(TODAY, DONE, TARGET, PAUSED)
    return render_calendar(
        grid, title="Your last 12 weeks", subtitle="Streak 5 days · best 9", texts=ENGLISH
    )


@pytest.fixture(scope="module")
def picture(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def pixel(picture: Image.Image, x: int, y: int) -> tuple[int, ...]:
    value = picture.getpixel((x, y))
    assert isinstance(value, tuple)
    return value


def colour_counts(image: Image.Image) -> dict[tuple[int, ...], int]:
    """Colour → how many pixels have it (`getcolors` is the same on every Pillow version)."""
    counts = image.convert("RGB").getcolors(maxcolors=image.width * image.height)
    assert counts is not None
    return {colour: count for count, colour in counts if isinstance(colour, tuple)}


def centre(picture: Image.Image, day: date) -> tuple[int, ...]:
    left, top, right, bottom = cell_box(*position(day))
    return pixel(picture, (left + right) // 2, (top + bottom) // 2)


def test_png_decodes_at_phone_friendly_size(png: bytes) -> None:
    image = Image.open(io.BytesIO(png))

    assert image.format == "PNG"
    assert image.size == (1100, 852)
    assert cell_box(11, 6)[2] < image.width
    assert cell_box(11, 6)[3] < image.height


@pytest.mark.parametrize(
    ("day", "colour"),
    [
        (date(2025, 3, 2), CALENDAR_COLORS.empty),
        (date(2025, 3, 3), CALENDAR_COLORS.partial[0]),
        (date(2025, 3, 4), CALENDAR_COLORS.partial[1]),
        (date(2025, 3, 5), CALENDAR_COLORS.partial[2]),
        (date(2025, 3, 6), CALENDAR_COLORS.full),
        (date(2025, 3, 7), CALENDAR_COLORS.full),
        (date(2025, 3, 9), CALENDAR_COLORS.paused),
        (TODAY, CALENDAR_COLORS.full),
        (date(2025, 3, 13), CALENDAR_COLORS.future),
        (date(2025, 3, 14), CALENDAR_COLORS.future),  # a pause ahead is marked, not filled
    ],
)
def test_cell_centres_have_palette_colours(
    picture: Image.Image, day: date, colour: tuple[int, int, int]
) -> None:
    assert centre(picture, day) == colour


def test_the_shades_are_all_different(picture: Image.Image) -> None:
    colours = {centre(picture, date(2025, 3, n)) for n in (2, 3, 4, 5, 6, 9, 13)}
    assert len(colours) == 7


def test_only_today_is_outlined(picture: Image.Image) -> None:
    ring_x = OUTLINE_OFFSET - OUTLINE_WIDTH // 2  # how far left of a cell the ring's middle is

    def left_of(day: date) -> tuple[int, ...]:
        left, top, _, bottom = cell_box(*position(day))
        return pixel(picture, left - ring_x, (top + bottom) // 2)

    assert left_of(TODAY) == CALENDAR_COLORS.today_outline
    assert left_of(date(2025, 3, 11)) == CALENDAR_COLORS.background
    assert left_of(date(2025, 3, 6)) == CALENDAR_COLORS.background


def mark_pixels(picture: Image.Image, day: date) -> int:
    cell = picture.crop(cell_box(*position(day)))
    return colour_counts(cell).get(CALENDAR_COLORS.paused_mark, 0)


def test_paused_days_carry_a_pause_mark(picture: Image.Image) -> None:
    assert mark_pixels(picture, date(2025, 3, 9)) > 100
    assert mark_pixels(picture, date(2025, 3, 14)) > 100
    assert mark_pixels(picture, date(2025, 3, 8)) == 0
    assert mark_pixels(picture, TODAY) == 0


def test_legend_shows_every_shade_and_key(picture: Image.Image) -> None:
    grid_bottom = cell_box(0, 6)[3]
    legend = colour_counts(picture.crop((0, grid_bottom + 8, picture.width, picture.height)))
    expected = {
        CALENDAR_COLORS.empty,
        *CALENDAR_COLORS.partial,
        CALENDAR_COLORS.full,
        CALENDAR_COLORS.paused,
        CALENDAR_COLORS.paused_mark,
        CALENDAR_COLORS.today_outline,
        CALENDAR_COLORS.text,
    }
    assert expected <= legend.keys()


def test_same_input_gives_same_bytes(png: bytes) -> None:
    grid = build_grid(TODAY, DONE, TARGET, PAUSED)
    again = render_calendar(
        grid, title="Your last 12 weeks", subtitle="Streak 5 days · best 9", texts=ENGLISH
    )
    other = render_calendar(
        grid, title="Your last 12 weeks", subtitle="Streak 6 days · best 9", texts=ENGLISH
    )

    assert again == png
    assert other != png


def test_long_subtitle_still_fits(png: bytes) -> None:
    grid = build_grid(TODAY, DONE, TARGET, PAUSED)
    long = "Streak 123 days · best 456 · 12/12 sets today · 5 of 7 days met this week · 9,999 sets"
    image = Image.open(
        io.BytesIO(render_calendar(grid, title="Your last 12 weeks", subtitle=long, texts=ENGLISH))
    )

    assert image.size == Image.open(io.BytesIO(png)).size
    right_edge = image.convert("RGB").crop((image.width - 30, 0, image.width, 160))
    assert colour_counts(right_edge).keys() == {CALENDAR_COLORS.background}
