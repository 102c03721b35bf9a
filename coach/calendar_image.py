"""The /progress calendar picture: the last weeks as a GitHub-style grid of days (Pillow only).

`build_grid` turns per-day set counts into `DayCell`s (pure date math); `render_calendar`
draws them as a PNG sized for a phone, where `coach.calendar_layout` places them (its text is
sized to read on a phone's screen). Shapes are drawn at SCALE× and box-reduced, which
anti-aliases rounded corners and text while keeping flat areas exactly the palette colours
(tests sample pixels against `CALENDAR_COLORS` via `cell_box`).
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image, ImageDraw

from coach.calendar_layout import (
    FEEL_DIAMETER,
    OUTLINE_OFFSET,
    OUTLINE_WIDTH,
    RADIUS,
    SCALE,
    Box,
    CalendarLayout,
    PlacedText,
    cell_box,
    drawing_font,
    feel_box,
    feel_number,
    lay_out,
)
from coach.texts import Texts

# Geometry lives in coach.calendar_layout; tests and callers find it here too.
__all__ = [
    "CALENDAR_COLORS",
    "FEEL_COLORS",
    "OUTLINE_OFFSET",
    "OUTLINE_WIDTH",
    "CalendarPalette",
    "DayCell",
    "build_grid",
    "calendar_layout",
    "cell_box",
    "cell_colour",
    "feel_box",
    "feel_colour",
    "month_labels",
    "render_calendar",
]

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class DayCell:
    """One day of the grid; `share` is the fraction of the day's target met, capped at 1.0."""

    day: date
    share: float
    paused: bool
    today: bool
    future: bool


@dataclass(frozen=True)
class CalendarPalette:
    """Every colour the picture uses; partial shades go light → dark as the share grows."""

    background: RGB
    title: RGB
    text: RGB
    empty: RGB
    partial: tuple[RGB, RGB, RGB]  # share in (0, 1/3], (1/3, 2/3], (2/3, 1)
    full: RGB
    paused: RGB
    paused_mark: RGB
    future: RGB
    future_border: RGB
    today_outline: RGB


CALENDAR_COLORS = CalendarPalette(
    background=(255, 255, 255),
    title=(31, 35, 40),
    text=(89, 99, 110),
    empty=(228, 231, 235),
    partial=((172, 230, 181), (105, 200, 124), (52, 160, 84)),
    full=(22, 110, 50),
    paused=(187, 199, 242),
    paused_mark=(72, 88, 196),
    future=(250, 251, 252),
    future_border=(222, 226, 231),
    today_outline=(234, 88, 12),
)

# Weekly back-feel averages, bad → great, by the number shown: 0–3, 4–6, 7–10.
FEEL_COLORS: tuple[RGB, RGB, RGB] = ((214, 84, 70), (226, 160, 40), (46, 150, 90))


def build_grid(
    today: date,
    done_by_day: Mapping[date, int],
    target_per_day: int,
    paused_days: Collection[date],
    weeks: int = 12,
    *,
    day_targets: Mapping[date, int] | None = None,
) -> list[list[DayCell]]:
    """Return `grid[week_index][weekday]`: `weeks` Monday-first columns, oldest first, ending
    with the week that holds `today`; later days of that week are marked `future`.

    A day in `day_targets` is measured against its own target (a day logged under another
    sets-per-side setting keeps the share it had); every other day against `target_per_day`.
    """
    day_targets = day_targets or {}
    if target_per_day <= 0 or any(t <= 0 for t in day_targets.values()):
        raise ValueError(f"target_per_day must be positive, got {target_per_day}")
    if weeks <= 0:
        raise ValueError(f"weeks must be positive, got {weeks}")
    paused = set(paused_days)
    first_monday = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    grid: list[list[DayCell]] = []
    for week in range(weeks):
        column = []
        for weekday in range(7):
            day = first_monday + timedelta(days=7 * week + weekday)
            future = day > today
            done = 0 if future else max(0, done_by_day.get(day, 0))
            share = min(1.0, done / day_targets.get(day, target_per_day))
            column.append(
                DayCell(
                    day=day,
                    share=share,
                    # A met day counts even when paused (bot.streaks), so it shows as met.
                    paused=day in paused and share < 1,
                    today=day == today,
                    future=future,
                )
            )
        grid.append(column)
    return grid


def cell_colour(cell: DayCell) -> RGB:
    """The fill of a cell. A paused day that was not met shows as paused even if some sets
    were logged, because it neither counts towards nor breaks the streak."""
    if cell.future:
        return CALENDAR_COLORS.future
    if cell.paused:
        return CALENDAR_COLORS.paused
    if cell.share <= 0:
        return CALENDAR_COLORS.empty
    if cell.share >= 1:
        return CALENDAR_COLORS.full
    if cell.share <= 1 / 3:
        return CALENDAR_COLORS.partial[0]
    if cell.share <= 2 / 3:
        return CALENDAR_COLORS.partial[1]
    return CALENDAR_COLORS.partial[2]


def month_labels(grid: list[list[DayCell]], texts: Texts) -> list[tuple[int, str]]:
    """`(week_index, label)` for each column where a month begins, plus the first column
    when there is room before the next label (so the oldest month is named too)."""
    labels = [
        (index, texts.MONTH_SHORT[cell.day.month - 1])
        for index, column in enumerate(grid)
        for cell in column
        if cell.day.day == 1
    ]
    if grid and (not labels or labels[0][0] >= 2):
        labels.insert(0, (0, texts.MONTH_SHORT[grid[0][0].day.month - 1]))
    return labels


def feel_colour(score: float) -> RGB:
    """By the number the circle shows: 0–3 bad, 4–6 middling, 7–10 good, so two circles
    showing the same number always have the same colour."""
    bad, middling, good = FEEL_COLORS
    shown = feel_number(score)
    return bad if shown <= 3 else middling if shown <= 6 else good


def calendar_layout(
    grid: list[list[DayCell]],
    *,
    texts: Texts,
    title: str,
    subtitle: str,
    feel: Sequence[float | None] = (),
) -> CalendarLayout:
    """Where `render_calendar` puts everything, given the same arguments."""
    months = month_labels(grid, texts)
    return lay_out(len(grid), texts=texts, title=title, subtitle=subtitle, months=months, feel=feel)


def render_calendar(
    grid: list[list[DayCell]],
    *,
    texts: Texts,
    title: str,
    subtitle: str,
    feel: Sequence[float | None] = (),
) -> bytes:
    """Draw the grid with title, subtitle, weekday and month labels and a legend; PNG bytes.

    `feel`, one value per week (0–10, or None), adds a row under the grid, under its own
    heading: how the back felt, on average, each week the user answered, keyed in the legend."""
    layout = calendar_layout(grid, texts=texts, title=title, subtitle=subtitle, feel=feel)
    canvas = _Canvas(layout.width, layout.height)
    for week_index, column in enumerate(grid):
        for weekday, cell in enumerate(column):
            box = cell_box(week_index, weekday, layout.grid_top)
            border = CALENDAR_COLORS.future_border if cell.future else None
            canvas.rounded(box, RADIUS, cell_colour(cell), border)
            # A pause that runs into the coming days is shown there too: when it ends matters.
            if cell.paused:
                canvas.pause_mark(box)
            if cell.today:
                canvas.ring(box)
    for week_index, value in layout.feel:
        box = feel_box(week_index, layout.grid_top)
        canvas.rounded(box, FEEL_DIAMETER // 2, feel_colour(value), None)
    for key in layout.legend:
        for kind, box in key.shapes:
            _key_shape(canvas, kind, box)
    for text in layout.all_texts():
        canvas.text(text, TEXT_COLOURS[text.role])
    return canvas.png()


# The colour of each kind of text (`PlacedText.role`).
TEXT_COLOURS: dict[str, RGB] = {
    "title": CALENDAR_COLORS.title,
    "subtitle": CALENDAR_COLORS.text,
    "month": CALENDAR_COLORS.text,
    "weekday": CALENDAR_COLORS.text,
    "feel_heading": CALENDAR_COLORS.title,
    "feel_number": CALENDAR_COLORS.background,
    "legend": CALENDAR_COLORS.text,
}


def _key_shape(canvas: _Canvas, kind: str, box: Box) -> None:
    """A legend key's shape: a shade of the ramp, a paused or today cell, a feel circle."""
    ramp = (CALENDAR_COLORS.empty, *CALENDAR_COLORS.partial, CALENDAR_COLORS.full)
    if kind.startswith("ramp"):
        canvas.rounded(box, 7, ramp[int(kind.removeprefix("ramp"))], None)
    elif kind == "paused":
        canvas.rounded(box, 7, CALENDAR_COLORS.paused, None)
        canvas.pause_mark(box)
    elif kind == "today":
        canvas.rounded(box, 7, CALENDAR_COLORS.empty, None)
        canvas.ring(box, offset=4, width=3)
    elif kind.startswith("feel"):
        colour = FEEL_COLORS[int(kind.removeprefix("feel"))]
        canvas.rounded(box, (box[2] - box[0]) // 2, colour, None)
    else:
        raise ValueError(f"unknown legend key {kind!r}")


class _Canvas:
    """A SCALE× drawing surface that takes output-pixel coordinates."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), CALENDAR_COLORS.background)
        self.draw = ImageDraw.Draw(self.image)

    def rounded(self, box: Box, radius: int, fill: RGB, border: RGB | None) -> None:
        left, top, right, bottom = (v * SCALE for v in box)
        self.draw.rounded_rectangle(
            (left, top, right - 1, bottom - 1),
            radius * SCALE,
            fill=fill,
            outline=border,
            width=2 * SCALE if border else 0,
        )

    def ring(
        self,
        box: Box,
        offset: int = OUTLINE_OFFSET,
        width: int = OUTLINE_WIDTH,
    ) -> None:
        left, top, right, bottom = box
        outer = (left - offset, top - offset, right + offset, bottom + offset)
        scaled = tuple(v * SCALE for v in outer)
        self.draw.rounded_rectangle(
            (scaled[0], scaled[1], scaled[2] - 1, scaled[3] - 1),
            (RADIUS + offset) * SCALE,
            outline=CALENDAR_COLORS.today_outline,
            width=width * SCALE,
        )

    def pause_mark(self, box: Box) -> None:
        """Two bars "❚❚" either side of the centre, so the centre pixel keeps the fill."""
        left, top, right, bottom = box
        size = right - left
        cx, cy = (left + right) // 2, (top + bottom) // 2
        bar_w, gap, bar_h = max(4, size // 7), max(4, size // 7), size * 2 // 5
        for bar_left in (cx - gap // 2 - bar_w, cx + (gap - gap // 2)):
            bar = (bar_left, cy - bar_h // 2, bar_left + bar_w, cy + bar_h - bar_h // 2)
            scaled = tuple(v * SCALE for v in bar)
            self.draw.rounded_rectangle(
                (scaled[0], scaled[1], scaled[2] - 1, scaled[3] - 1),
                bar_w * SCALE // 3,
                fill=CALENDAR_COLORS.paused_mark,
            )

    def text(self, placed: PlacedText, fill: RGB) -> None:
        position = (placed.xy[0] * SCALE, placed.xy[1] * SCALE)
        face = drawing_font(placed.size, placed.bold)
        self.draw.text(position, placed.text, fill=fill, font=face, anchor=placed.anchor)

    def png(self) -> bytes:
        small = self.image.reduce(SCALE)
        out = io.BytesIO()
        # No metadata and a fixed compression level: the same grid always gives the same bytes.
        small.save(out, format="PNG", compress_level=6)
        return out.getvalue()
