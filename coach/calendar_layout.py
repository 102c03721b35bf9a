"""Where everything in the /progress calendar picture goes, in output pixels: the title and
subtitle, the month and weekday labels, the day grid, the back-feel row and the legend.
`coach.calendar_image` draws what `lay_out` places; tests measure the PNG where it says.

Text size: Telegram shows a photo as wide as the chat, about READ_WIDTH (390) CSS pixels on a
phone, so this 1112 px picture is shown at about a third of its size. Every text is drawn so
that a capital letter (or a digit) is at least MIN_TEXT_HEIGHT (12) px tall there: TEXT_SIZE
48 px draws capitals 35 px tall, 12.3 px as shown. A title or subtitle too long for one line
wraps rather than shrinking below that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont

from coach.texts import Texts
from coach.tracker_image import font

Box = tuple[int, int, int, int]  # left, top, right, bottom; right and bottom exclusive

SCALE = 3  # shapes and text are drawn this many times larger, then box-reduced
READ_WIDTH = 390  # how wide a phone shows the picture, in CSS pixels
MIN_TEXT_HEIGHT = 12  # a capital letter's height there, in CSS pixels
TEXT_SIZE = 48  # labels, legend, subtitle, the feel numbers: capitals 35 px tall
TITLE_SIZE = 64

PITCH = 76  # cell + gap
CELL = 64
RADIUS = 12
MARGIN_X = 32
GRID_LEFT = 180  # the weekday labels end LABEL_GAP before it; the widest ("Seg.") is 128 px
LABEL_GAP = 14
RIGHT_MARGIN = 32  # 12 weeks → 1112 px wide
TOP_MARGIN = 28
BOTTOM_MARGIN = 32
OUTLINE_OFFSET = 6  # the today ring starts this far outside the cell …
OUTLINE_WIDTH = 4  # … and is this thick, so it sits in the gap and never covers the fill
FEEL_DIAMETER = PITCH - 4  # a back-feel circle: wider than a cell, so "10" fits inside
SWATCH = 40  # a legend key's square or circle
LEGEND_ITEM_GAP = 44  # between two keys on a legend line
LEGEND_LINE = 62
MONTH_GAP = 24  # the least room between two month names


def line_height(size: int) -> int:
    return round(size * 1.18)


def month_top(title_lines: int = 1, subtitle_lines: int = 1) -> int:
    """The top of the month labels, under the title's and the subtitle's lines (a title that
    had to be drawn smaller still takes TITLE_SIZE lines, so the grid stays put)."""
    titles = title_lines * line_height(TITLE_SIZE) + 4 + subtitle_lines * line_height(TEXT_SIZE)
    return TOP_MARGIN + titles + 16


def grid_top_for(title_lines: int = 1, subtitle_lines: int = 1) -> int:
    return month_top(title_lines, subtitle_lines) + line_height(TEXT_SIZE) + 6


# One title line and one subtitle line: where the grid starts in nearly every picture (wrapped
# lines move it down; `cell_box` and `feel_box` take the grid's top for those).
GRID_TOP = grid_top_for()


def grid_width(weeks: int) -> int:
    return weeks * PITCH - (PITCH - CELL)


def picture_width(weeks: int) -> int:
    return GRID_LEFT + grid_width(weeks) + RIGHT_MARGIN


def cell_box(week_index: int, weekday: int, grid_top: int = GRID_TOP) -> Box:
    """The cell's pixel box; `grid_top` is GRID_TOP unless the title or subtitle wrapped."""
    left = GRID_LEFT + week_index * PITCH
    top = grid_top + weekday * PITCH
    return left, top, left + CELL, top + CELL


def grid_bottom(grid_top: int = GRID_TOP) -> int:
    return cell_box(0, 6, grid_top)[3]


def feel_heading_y(grid_top: int = GRID_TOP) -> int:
    """The top of the back-feel row's heading, under the grid."""
    return grid_bottom(grid_top) + 26


def feel_box(week_index: int, grid_top: int = GRID_TOP) -> Box:
    """A week's back-feel circle, centred under that week's column, below the row's heading."""
    left, _, right, _ = cell_box(week_index, 6, grid_top)
    middle = (left + right) // 2
    top = feel_heading_y(grid_top) + line_height(TEXT_SIZE) + 6
    half = FEEL_DIAMETER // 2
    return middle - half, top, middle + half, top + FEEL_DIAMETER


def feel_number(score: float) -> int:
    """The whole number a week's back-feel average shows as (a half rounds up)."""
    return int(score + 0.5)


# ---- text --------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def drawing_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The font at SCALE× `size`, as the picture draws it (DejaVu Sans, coach/content/fonts)."""
    return font(size * SCALE, bold)


@dataclass(frozen=True)
class PlacedText:
    """One text of the picture: what, where (Pillow anchor point, output px), how big, and
    the box its letters cover (capitals and descenders included), with its baseline."""

    role: str  # title, subtitle, month, weekday, feel_heading, feel_number, legend
    text: str
    xy: tuple[int, int]
    anchor: str
    size: int
    bold: bool
    box: Box
    baseline: int


def place_text(
    role: str, text: str, xy: tuple[int, int], size: int, anchor: str = "la", bold: bool = False
) -> PlacedText:
    face = drawing_font(size, bold)
    scaled = (xy[0] * SCALE, xy[1] * SCALE)
    left, top, right, bottom = face.getbbox(text, anchor=anchor)
    # How far below the anchor point the baseline is: where a capital's top lands with this
    # anchor, less where it lands when the anchor is the baseline itself ("…s").
    capital_top = face.getbbox("H", anchor=anchor)[1]
    baseline = scaled[1] + capital_top - face.getbbox("H", anchor=anchor[0] + "s")[1]
    box = (
        math.floor((scaled[0] + left) / SCALE),
        math.floor((scaled[1] + top) / SCALE),
        math.ceil((scaled[0] + right) / SCALE),
        math.ceil((scaled[1] + bottom) / SCALE),
    )
    return PlacedText(role, text, xy, anchor, size, bold, box, round(baseline / SCALE))


def text_width(text: str, size: int, bold: bool = False) -> int:
    return math.ceil(drawing_font(size, bold).getlength(text) / SCALE)


def fit_lines(text: str, size: int, room: int, bold: bool = False) -> tuple[int, list[str]]:
    """The size (from `size` down to TEXT_SIZE) and lines that fit `room`: smaller first,
    then wrapped at spaces, never smaller than TEXT_SIZE. A single word wider than the room
    (none of ours is) stays on its own line."""
    while size > TEXT_SIZE and text_width(text, size, bold) > room:
        size -= 2
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return size, lines


# ---- the legend --------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendKey:
    """One key of the legend: its shapes (kind, box) and its words."""

    shapes: tuple[tuple[str, Box], ...]  # kind: ramp0-4, paused, today, feel0-2
    texts: tuple[PlacedText, ...]


def _key_parts(texts: Texts, show_feel: bool) -> list[list[tuple[str, str]]]:
    """Each key as parts in reading order: ("text", words) or ("shape", kind)."""
    ramp = [("shape", f"ramp{n}") for n in range(5)]
    keys = [
        [("text", texts.CALENDAR_LESS), *ramp, ("text", texts.CALENDAR_MORE)],
        [("shape", "paused"), ("text", texts.CALENDAR_PAUSED)],
        [("shape", "today"), ("text", texts.CALENDAR_TODAY)],
    ]
    if show_feel:
        keys.append([*(("shape", f"feel{n}") for n in range(3)), ("text", texts.CALENDAR_FEEL_KEY)])
    return keys


def _part_width(part: tuple[str, str]) -> int:
    kind, value = part
    return text_width(value, TEXT_SIZE) if kind == "text" else SWATCH


def _gap(before: tuple[str, str], after: tuple[str, str]) -> int:
    """Shapes of one key sit close together; words keep a little more room from shapes, and
    from the today key's ring, which reaches 7 px outside its square."""
    if before[0] == after[0] == "shape":
        return 6
    return 20 if before == ("shape", "today") else 12


def lay_out_legend(
    texts: Texts, top: int, right: int, show_feel: bool
) -> tuple[list[LegendKey], int]:
    """The keys left to right from MARGIN_X, wrapped onto a new line when one would pass
    `right`, and how many lines that takes; a line is LEGEND_LINE tall, its shapes and words
    centred on its middle."""
    keys: list[LegendKey] = []
    x, line = MARGIN_X, 0
    for parts in _key_parts(texts, show_feel):
        width = sum(map(_part_width, parts)) + sum(map(_gap, parts, parts[1:]))
        if x > MARGIN_X and x + width > right:
            x, line = MARGIN_X, line + 1
        middle = top + line * LEGEND_LINE + LEGEND_LINE // 2
        shapes: list[tuple[str, Box]] = []
        words: list[PlacedText] = []
        for index, part in enumerate(parts):
            if index:
                x += _gap(parts[index - 1], part)
            kind, value = part
            if kind == "text":
                words.append(place_text("legend", value, (x, middle), TEXT_SIZE, "lm"))
            else:
                half = SWATCH // 2
                shapes.append((value, (x, middle - half, x + SWATCH, middle + half)))
            x += _part_width(part)
        keys.append(LegendKey(tuple(shapes), tuple(words)))
        x += LEGEND_ITEM_GAP
    return keys, line + 1


# ---- the whole picture -------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarLayout:
    width: int
    height: int
    grid_top: int
    texts: tuple[PlacedText, ...]
    feel: tuple[tuple[int, float], ...]  # (week index, average) of each back-feel circle
    legend: tuple[LegendKey, ...]

    def all_texts(self) -> tuple[PlacedText, ...]:
        return self.texts + tuple(text for key in self.legend for text in key.texts)


def _month_labels(
    weeks: int, months: Sequence[tuple[int, str]], top: int, grid_top: int
) -> list[PlacedText]:
    """Each month's name over its first column (one starting in the last column ends with the
    grid); a name that would come closer than MONTH_GAP to the next is left out (the oldest
    month's, named over the first column only when there is room)."""
    grid_right = GRID_LEFT + grid_width(weeks)
    lefts = [
        min(cell_box(week_index, 0, grid_top)[0], grid_right - text_width(label, TEXT_SIZE))
        for week_index, label in months
    ]
    return [
        place_text("month", label, (left, top), TEXT_SIZE)
        for (_, label), left, after in zip(months, lefts, [*lefts[1:], None], strict=True)
        if after is None or left + text_width(label, TEXT_SIZE) + MONTH_GAP <= after
    ]


def lay_out(
    weeks: int,
    *,
    texts: Texts,
    title: str,
    subtitle: str,
    months: Sequence[tuple[int, str]],
    feel: Sequence[float | None] = (),
) -> CalendarLayout:
    """Place every part of a `weeks`-column calendar; `months` are (week index, label)."""
    width = picture_width(weeks)
    room = width - MARGIN_X - RIGHT_MARGIN
    placed: list[PlacedText] = []

    y = TOP_MARGIN
    title_size, title_lines = fit_lines(title, TITLE_SIZE, room, bold=True)
    for line in title_lines:
        placed.append(place_text("title", line, (MARGIN_X, y), title_size, bold=True))
        y += line_height(TITLE_SIZE)
    y += 4
    _, subtitle_lines = fit_lines(subtitle, TEXT_SIZE, room)
    for line in subtitle_lines:
        placed.append(place_text("subtitle", line, (MARGIN_X, y), TEXT_SIZE))
        y += line_height(TEXT_SIZE)
    month_y = month_top(len(title_lines), len(subtitle_lines))
    grid_top = grid_top_for(len(title_lines), len(subtitle_lines))

    placed += _month_labels(weeks, months, month_y, grid_top)
    for weekday, label in enumerate(texts.WEEKDAY_SHORT):
        _, top, _, bottom = cell_box(0, weekday, grid_top)
        xy = (GRID_LEFT - LABEL_GAP, (top + bottom) // 2)
        placed.append(place_text("weekday", label, xy, TEXT_SIZE, "rm"))

    # The back-feel row, under a heading of its own (a label, not a button): a circle with
    # the week's average, rounded, for each week the user answered.
    answered = [(index, value) for index, value in enumerate(feel[:weeks]) if value is not None]
    above_legend = grid_bottom(grid_top)
    if answered:
        heading = (MARGIN_X, feel_heading_y(grid_top))
        placed.append(place_text("feel_heading", texts.CALENDAR_FEEL, heading, TEXT_SIZE))
        for week_index, value in answered:
            left, top, right, bottom = feel_box(week_index, grid_top)
            middle = ((left + right) // 2, (top + bottom) // 2)
            number = str(feel_number(value))
            placed.append(place_text("feel_number", number, middle, TEXT_SIZE, "mm"))
        above_legend = feel_box(0, grid_top)[3]

    legend_top = above_legend + 36
    legend, lines = lay_out_legend(texts, legend_top, width - RIGHT_MARGIN, bool(answered))
    height = legend_top + lines * LEGEND_LINE + BOTTOM_MARGIN
    return CalendarLayout(width, height, grid_top, tuple(placed), tuple(answered), tuple(legend))
