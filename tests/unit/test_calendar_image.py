"""The /progress calendar: the computed day grid, the real PNG's pixels against the palette, and
its words measured as tall as a phone shows them."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from PIL import Image, ImageChops

from coach import i18n
from coach.calendar_image import (
    CALENDAR_COLORS,
    FEEL_COLORS,
    OUTLINE_OFFSET,
    OUTLINE_WIDTH,
    DayCell,
    build_grid,
    calendar_layout,
    cell_box,
    feel_box,
    feel_colour,
    month_labels,
    render_calendar,
)
from coach.calendar_layout import (
    GRID_TOP,
    MIN_TEXT_HEIGHT,
    TEXT_SIZE,
    CalendarLayout,
    LegendKey,
    PlacedText,
)
from coach.texts import ENGLISH, Texts, texts_for

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


def middle(box: tuple[int, int, int, int]) -> tuple[int, int]:
    left, top, right, bottom = box
    return (left + right) // 2, (top + bottom) // 2


def centre(picture: Image.Image, day: date) -> tuple[int, ...]:
    return pixel(picture, *middle(cell_box(*position(day))))


def test_png_decodes_at_phone_friendly_size(png: bytes) -> None:
    image = Image.open(io.BytesIO(png))

    assert image.format == "PNG"
    assert image.size == (1112, 894)
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


def test_a_long_subtitle_wraps_instead_of_shrinking(png: bytes) -> None:
    grid = build_grid(TODAY, DONE, TARGET, PAUSED)
    long = "Streak 123 days · best 456 · 12/12 sets today · 5 of 7 days met this week · 9,999 sets"
    image = Image.open(
        io.BytesIO(render_calendar(grid, title="Your last 12 weeks", subtitle=long, texts=ENGLISH))
    ).convert("RGB")
    layout = calendar_layout(grid, title="Your last 12 weeks", subtitle=long, texts=ENGLISH)

    lines = [text for text in layout.texts if text.role == "subtitle"]
    assert len(lines) > 1
    assert " ".join(line.text for line in lines) == long
    assert {line.size for line in lines} == {TEXT_SIZE}
    # The picture grows by the line, the grid moves down with it, and nothing runs off the side.
    normal = Image.open(io.BytesIO(png))
    assert image.width == normal.width
    assert image.height - normal.height == layout.grid_top - GRID_TOP > 0
    assert (
        pixel(image, *middle(cell_box(*position(date(2025, 3, 4)), layout.grid_top)))
        == (CALENDAR_COLORS.partial[1])
    )
    right_edge = image.crop((image.width - 30, 0, image.width, layout.grid_top))
    assert colour_counts(right_edge).keys() == {CALENDAR_COLORS.background}


# ── The words, as a phone shows them ──

READ_WIDTH = 390  # Telegram fits a photo to the chat: about this many CSS px on a phone
# Answered on five weeks; a perfect 10, and halves that round up.
FEEL = [None] * 7 + [2.5, 3.4, 6.5, 7.0, 10.0]
# A Wednesday whose week starts a month (1 December): a month label over the last column.
MONTH_IN_LAST_WEEK = date(2025, 12, 3)


def drawn(
    texts: Texts, today: date = TODAY, feel: list[float | None] = FEEL, subtitle: str = ""
) -> tuple[Image.Image, CalendarLayout]:
    grid = build_grid(today, DONE, TARGET, PAUSED)
    words = subtitle or texts.CALENDAR_SUBTITLE.format(current=123, best=456, total=12345)
    arguments: dict[str, Any] = {
        "texts": texts,
        "title": texts.CALENDAR_TITLE,
        "subtitle": words,
        "feel": feel,
    }
    png = render_calendar(grid, **arguments)
    return Image.open(io.BytesIO(png)).convert("RGB"), calendar_layout(grid, **arguments)


def letter_height(picture: Image.Image, text: PlacedText) -> int:
    """How tall the text's letters stand on its baseline, in the picture's pixels: from the
    first row, in the text's box, with a pixel at least half as far from the box's background
    as the text's own colour is, down to the baseline (descenders left out)."""
    left, top, right, _ = text.box
    crop = picture.crop((left - 2, top - 2, right + 2, text.baseline))
    counts = colour_counts(crop)
    background = max(counts, key=lambda colour: counts[colour])
    difference = ImageChops.difference(crop, Image.new("RGB", crop.size, background)).convert("L")
    darkest = difference.getextrema()[1]
    assert isinstance(darkest, int) and darkest > 0, f"no letters where {text.text!r} should be"
    ink = difference.point(lambda value: 255 if 2 * value >= darkest else 0).getbbox()
    assert ink is not None
    return crop.height - ink[1]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_word_is_at_least_12_px_tall_on_a_phone(language: str) -> None:
    texts = texts_for(language)
    picture, layout = drawn(texts)
    shown = READ_WIDTH / picture.width
    roles = {text.role for text in layout.all_texts()}
    assert roles == {
        "title",
        "subtitle",
        "month",
        "weekday",
        "feel_heading",
        "feel_number",
        "legend",
    }
    for text in layout.all_texts():
        height = letter_height(picture, text) * shown
        assert height >= MIN_TEXT_HEIGHT, f"{text.role} {text.text!r}: {height:.1f} px"


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("today", [TODAY, MONTH_IN_LAST_WEEK])
def test_words_stay_inside_the_picture_and_clear_of_each_other(language: str, today: date) -> None:
    picture, layout = drawn(texts_for(language), today)
    words = layout.all_texts()
    shapes = [cell_box(week, day, layout.grid_top) for week in range(12) for day in range(7)]
    shapes += [feel_box(week, layout.grid_top) for week, _ in layout.feel]
    shapes += [box for key in layout.legend for _, box in key.shapes]
    for index, text in enumerate(words):
        left, top, right, bottom = text.box
        assert 0 <= left < right <= picture.width, text.text
        assert 0 <= top < bottom <= picture.height, text.text
        others = [other.box for other in words[index + 1 :]]
        if text.role != "feel_number":  # the one text drawn on a shape: its circle
            others += shapes
        assert not any(overlap(text.box, other) for other in others), text.text


def test_the_feel_row_has_a_heading_and_a_key() -> None:
    picture, layout = drawn(ENGLISH)
    [heading] = [text for text in layout.texts if text.role == "feel_heading"]
    numbers = [text for text in layout.texts if text.role == "feel_number"]
    # A heading over the row, in words, on the picture's background: a label, not a button.
    assert heading.text == ENGLISH.CALENDAR_FEEL == "Back feel"
    assert heading.box[3] < min(feel_box(week, layout.grid_top)[1] for week, _ in layout.feel)
    assert heading.box[0] == min(text.box[0] for text in layout.all_texts())
    label = picture.crop(heading.box)
    counts = colour_counts(label)
    assert max(counts, key=lambda colour: counts[colour]) == CALENDAR_COLORS.background
    assert [text.text for text in numbers] == ["3", "3", "7", "7", "10"]

    # The legend explains the circles: one of each colour, then the key's words.
    [key] = [key for key in layout.legend if ENGLISH.CALENDAR_FEEL_KEY in key_words(key)]
    assert [kind for kind, _ in key.shapes] == ["feel0", "feel1", "feel2"]
    for (_, box), colour in zip(key.shapes, FEEL_COLORS, strict=True):
        assert pixel(picture, *middle(box)) == colour


def test_without_answers_there_is_no_feel_row_or_key() -> None:
    picture, layout = drawn(ENGLISH, feel=[None] * 12)
    assert layout.feel == ()
    words = [text.text for text in layout.all_texts()]
    assert ENGLISH.CALENDAR_FEEL not in words and ENGLISH.CALENDAR_FEEL_KEY not in words
    assert not set(FEEL_COLORS) & colour_counts(picture).keys()


def key_words(key: LegendKey) -> list[str]:
    return [text.text for text in key.texts]


def test_a_circle_has_the_colour_of_the_number_it_shows() -> None:
    bad, middling, good = FEEL_COLORS
    assert [feel_colour(score) for score in (0, 3.4, 3.5, 6.4, 6.5, 7, 10)] == [
        bad,
        bad,
        middling,
        middling,
        good,
        good,
        good,
    ]
