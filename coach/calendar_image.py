"""The /progress calendar picture: the last weeks as a GitHub-style grid of days (Pillow only).

`build_grid` turns per-day set counts into `DayCell`s (pure date math); `render_calendar`
draws them as a PNG sized for a phone. Shapes are drawn at SCALE× and box-reduced, which
anti-aliases rounded corners and text while keeping flat areas exactly the palette colours
(tests sample pixels against `CALENDAR_COLORS` via `cell_box`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from coach.texts import Texts
from coach.tracker_image import font

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

# Picture text that is not data. English only for now, like the rest of the bot; month
# names are spelled out here rather than taken from `calendar`, whose names follow the locale.

# Layout, in output pixels. Every coordinate is a whole output pixel, so after the
# SCALE× box reduction a cell's flat interior and the outline's straight sides stay exact.
SCALE = 3
PITCH = 76  # cell + gap
CELL = 64
RADIUS = 12
GRID_LEFT = 144
GRID_TOP = 222
OUTLINE_OFFSET = 6  # the today ring starts this far outside the cell …
OUTLINE_WIDTH = 4  # … and is this thick, so it sits in the gap and never covers the fill
MARGIN_X = 40
RIGHT_MARGIN = 56  # 12 weeks → 1100 px wide: narrow enough that a phone shows it large
TITLE_Y, SUBTITLE_Y, MONTH_Y = 34, 110, 184
TITLE_SIZE, SUBTITLE_SIZE, LABEL_SIZE = 56, 34, 28
LEGEND_GAP = 40  # grid bottom → legend swatches
FEEL_GAP = 28  # grid bottom → the back-feel row
# Weekly back-feel averages, bad → great: up to 3.5, up to 6.5, above.
FEEL_COLORS: tuple[RGB, RGB, RGB] = ((214, 84, 70), (226, 160, 40), (46, 150, 90))
SWATCH = 34
BOTTOM_MARGIN = 36


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


def cell_box(week_index: int, weekday: int) -> tuple[int, int, int, int]:
    """The cell's pixel box `(left, top, right, bottom)`, right/bottom exclusive."""
    left = GRID_LEFT + week_index * PITCH
    top = GRID_TOP + weekday * PITCH
    return left, top, left + CELL, top + CELL


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
    bad, middling, good = FEEL_COLORS
    return bad if score <= 3.5 else middling if score <= 6.5 else good


def feel_box(week_index: int) -> tuple[int, int, int, int]:
    """Where a week's back-feel average is drawn: a cell under that week's column."""
    left, _, right, bottom = cell_box(week_index, 6)
    top = bottom + FEEL_GAP
    return left, top, right, top + CELL


def render_calendar(
    grid: list[list[DayCell]],
    *,
    texts: Texts,
    title: str,
    subtitle: str,
    feel: Sequence[float | None] = (),
) -> bytes:
    """Draw the grid with title, subtitle, weekday and month labels and a legend; PNG bytes.

    `feel`, one value per week (0–10, or None), adds a row under the grid: how the back felt,
    on average, each week the user answered."""
    weeks = len(grid)
    width = GRID_LEFT + weeks * PITCH - (PITCH - CELL) + RIGHT_MARGIN
    grid_bottom = GRID_TOP + 7 * PITCH - (PITCH - CELL)
    show_feel = any(value is not None for value in feel)
    legend_top = (feel_box(0)[3] if show_feel else grid_bottom) + LEGEND_GAP
    height = legend_top + SWATCH + BOTTOM_MARGIN
    canvas = _Canvas(width, height)

    room = width - 2 * MARGIN_X
    title_size = _fitting_size(title, TITLE_SIZE, room)
    canvas.text((MARGIN_X, TITLE_Y), title, title_size, CALENDAR_COLORS.title, bold=True)
    subtitle_size = _fitting_size(subtitle, SUBTITLE_SIZE, room)
    canvas.text((MARGIN_X, SUBTITLE_Y), subtitle, subtitle_size, CALENDAR_COLORS.text)
    for week_index, label in month_labels(grid, texts):
        canvas.text((cell_box(week_index, 0)[0], MONTH_Y), label, LABEL_SIZE, CALENDAR_COLORS.text)
    for weekday, label in enumerate(texts.WEEKDAY_SHORT):
        _, top, _, bottom = cell_box(0, weekday)
        canvas.text(
            (GRID_LEFT - 16, (top + bottom) // 2), label, LABEL_SIZE, CALENDAR_COLORS.text, "rm"
        )

    for week_index, column in enumerate(grid):
        for weekday, cell in enumerate(column):
            box = cell_box(week_index, weekday)
            border = CALENDAR_COLORS.future_border if cell.future else None
            canvas.rounded(box, RADIUS, cell_colour(cell), border)
            # A pause that runs into the coming days is shown there too: when it ends matters.
            if cell.paused:
                canvas.pause_mark(box)
            if cell.today:
                canvas.ring(box)

    if show_feel:
        _, top, _, bottom = feel_box(0)
        label_y = (top + bottom) // 2
        canvas.text(
            (GRID_LEFT - 16, label_y), texts.CALENDAR_FEEL, LABEL_SIZE, CALENDAR_COLORS.text, "rm"
        )
        for week_index, value in enumerate(feel[:weeks]):
            if value is None:
                continue
            box = feel_box(week_index)
            canvas.rounded(box, CELL // 2, feel_colour(value), None)
            middle = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
            canvas.text(
                middle, str(int(value + 0.5)), LABEL_SIZE, CALENDAR_COLORS.background, "mm", True
            )

    _draw_legend(canvas, legend_top, texts)
    return canvas.png()


def _draw_legend(canvas: _Canvas, top: int, texts: Texts) -> None:
    """Bottom row: "Less ▢▢▢▢▢ More", then the paused and today keys, left-aligned to the grid."""
    middle = top + SWATCH // 2
    x = GRID_LEFT
    x = canvas.text((x, middle), texts.CALENDAR_LESS, LABEL_SIZE, CALENDAR_COLORS.text, "lm") + 12
    ramp = (CALENDAR_COLORS.empty, *CALENDAR_COLORS.partial, CALENDAR_COLORS.full)
    for colour in ramp:
        canvas.rounded((x, top, x + SWATCH, top + SWATCH), 7, colour, None)
        x += SWATCH + 6
    x = (
        canvas.text((x + 6, middle), texts.CALENDAR_MORE, LABEL_SIZE, CALENDAR_COLORS.text, "lm")
        + 48
    )

    paused_box = (x, top, x + SWATCH, top + SWATCH)
    canvas.rounded(paused_box, 7, CALENDAR_COLORS.paused, None)
    canvas.pause_mark(paused_box)
    x = canvas.text(
        (x + SWATCH + 12, middle), texts.CALENDAR_PAUSED, LABEL_SIZE, CALENDAR_COLORS.text, "lm"
    )
    x += 48

    today_box = (x, top, x + SWATCH, top + SWATCH)
    canvas.rounded(today_box, 7, CALENDAR_COLORS.empty, None)
    canvas.ring(today_box, offset=4, width=3)
    canvas.text(
        (x + SWATCH + 14, middle), texts.CALENDAR_TODAY, LABEL_SIZE, CALENDAR_COLORS.text, "lm"
    )


def _fitting_size(text: str, size: int, room: int) -> int:
    """Shrink a caller's long title or subtitle until it fits the picture's width."""
    while size > 12 and _font(size).getlength(text) > room:
        size -= 2
    return size


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # DejaVu Sans from coach/content/fonts: the same glyphs on every machine, and the accents
    # and Cyrillic of every language we speak (Pillow's bundled font is ASCII only).
    return font(size, bold)


class _Canvas:
    """A SCALE× drawing surface that takes output-pixel coordinates."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), CALENDAR_COLORS.background)
        self.draw = ImageDraw.Draw(self.image)

    def rounded(
        self, box: tuple[int, int, int, int], radius: int, fill: RGB, border: RGB | None
    ) -> None:
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
        box: tuple[int, int, int, int],
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

    def pause_mark(self, box: tuple[int, int, int, int]) -> None:
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

    def text(
        self,
        xy: tuple[int, int],
        text: str,
        size: int,
        fill: RGB,
        anchor: str = "la",
        bold: bool = False,
    ) -> int:
        """Draw text; return the output-pixel x where it ends, for laying out a row."""
        position = (xy[0] * SCALE, xy[1] * SCALE)
        face = _font(size * SCALE, bold)
        self.draw.text(position, text, fill=fill, font=face, anchor=anchor)
        right = self.draw.textbbox(position, text, font=face, anchor=anchor)[2]
        return math.ceil(right / SCALE)

    def png(self) -> bytes:
        small = self.image.reduce(SCALE)
        out = io.BytesIO()
        # No metadata and a fixed compression level: the same grid always gives the same bytes.
        small.save(out, format="PNG", compress_level=6)
        return out.getvalue()
