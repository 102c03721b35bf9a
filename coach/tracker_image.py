"""Today's set tracker as a picture for the session summary: one row of set marks per stretch
and side, done sets filled, open ones as rings that stay clearly visible on white (Pillow only).

Text uses DejaVu Sans, kept in coach/content/fonts with its licence (`font`): it covers
accented Latin and Cyrillic and is the same file on every machine, so the pictures are
reproducible and every language we translate to renders. Shapes are drawn at SCALE× and
box-reduced, like coach/calendar_image.py.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS_DIR = Path(__file__).resolve().parent / "content" / "fonts"

RGB = tuple[int, int, int]

WIDTH, HEIGHT, SCALE = 1280, 800, 2  # the size of the step pictures: the message never jumps
BACKGROUND: RGB = (255, 255, 255)
INK: RGB = (31, 35, 40)
MUTED: RGB = (89, 99, 110)
DONE: RGB = (22, 110, 50)  # the calendar's "met" green
OPEN_RING: RGB = (120, 132, 146)  # 4.4:1 against white: an open set is never invisible
MARK, MARK_PITCH, RING = 76, 106, 6  # set mark diameter, centre to centre, open ring width
TITLE_SIZE, NAME_SIZE, SIDE_SIZE = 60, 46, 50
MAX_MARKS = 5  # the most sets per side a user can choose
LABEL_ROOM, MIN_LABEL = WIDTH - 96 - 80 - MAX_MARKS * MARK_PITCH, 200.0  # px for a side label


@dataclass(frozen=True)
class TrackerSide:
    """One row: a side's label (e.g. "Left") with its sets done and its target."""

    label: str
    done: int
    target: int


@dataclass(frozen=True)
class TrackerStretch:
    """A stretch's name and its rows, in session order."""

    name: str
    sides: Sequence[TrackerSide]


@cache
def font_file(bold: bool = False) -> Path:
    """DejaVu Sans (or its bold face), kept in coach/content/fonts with its licence: accented
    Latin and Cyrillic, the same glyphs on every machine (Pillow's own font is ASCII only)."""
    return FONTS_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The pictures' font at `size` pixels (on whatever canvas the caller draws)."""
    return ImageFont.truetype(str(font_file(bold)), size)


@dataclass(frozen=True)
class _Layout:
    side_size: int
    marks_x: float  # the first mark's centre
    pitch: float  # one text line


def _layout(stretches: Sequence[TrackerStretch]) -> _Layout:
    rows = [side for stretch in stretches for side in stretch.sides]
    side_size = SIDE_SIZE  # one size for every side label, the largest that fits them all
    while side_size > 20 and max(_width(s.label, side_size) for s in rows) > LABEL_ROOM:
        side_size -= 2
    longest = max(MIN_LABEL, max(_width(s.label, side_size) for s in rows))
    # Each stretch takes its name line and one line per side; lines share the height left.
    pitch = min(120.0, (HEIGHT - 150 - 40) / (len(stretches) + len(rows)))
    return _Layout(side_size, 96 + longest + 40 + MARK / 2, pitch)


def _baseline(layout: _Layout, line: int) -> float:
    return 150 + layout.pitch * (0.75 + line)


def mark_centre(
    stretches: Sequence[TrackerStretch], stretch_index: int, side_index: int, n: int
) -> tuple[float, float]:
    """Where set mark `n` (0-based) of a row is drawn, in output pixels (tests sample it)."""
    layout = _layout(stretches)
    line = sum(1 + len(s.sides) for s in stretches[:stretch_index]) + 1 + side_index
    return layout.marks_x + n * MARK_PITCH, _baseline(layout, line) - 18


def render_tracker(stretches: Sequence[TrackerStretch], *, title: str) -> bytes:
    """Draw the tracker (a title, then each stretch's name and its side rows); PNG bytes."""
    rows = [side for stretch in stretches for side in stretch.sides]
    if not rows:
        raise ValueError("a tracker needs at least one row")
    for side in rows:
        if side.target < 1 or side.done < 0 or max(side.done, side.target) > MAX_MARKS:
            raise ValueError(f"cannot draw {side.done} of {side.target} sets")
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image)

    def text(xy: tuple[float, float], value: str, size: int, fill: RGB, bold: bool) -> None:
        draw.text((xy[0] * SCALE, xy[1] * SCALE), value, fill, font(size * SCALE, bold), "ls")

    layout = _layout(stretches)
    text((64, 100), title, _fitting(title, TITLE_SIZE, WIDTH - 128, True), INK, True)
    line = 0
    for i, stretch in enumerate(stretches):
        name_size = _fitting(stretch.name, NAME_SIZE, WIDTH - 128, True)
        text((64, _baseline(layout, line)), stretch.name, name_size, MUTED, True)
        line += 1
        for j, side in enumerate(stretch.sides):
            text((96, _baseline(layout, line)), side.label, layout.side_size, INK, False)
            line += 1
            for n in range(max(side.target, side.done)):
                cx, cy = mark_centre(stretches, i, j, n)
                box = [(cx - MARK / 2) * SCALE, (cy - MARK / 2) * SCALE]
                box += [(cx + MARK / 2) * SCALE, (cy + MARK / 2) * SCALE]
                if n < side.done:
                    draw.ellipse(box, fill=DONE)
                    _check(draw, cx, cy)
                else:
                    draw.ellipse(box, fill=BACKGROUND, outline=OPEN_RING, width=RING * SCALE)
    out = io.BytesIO()
    # No metadata and a fixed compression level: the same sets always give the same bytes.
    image.reduce(SCALE).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _width(value: str, size: int, bold: bool = False) -> float:
    return font(size * SCALE, bold).getlength(value) / SCALE


def _fitting(value: str, size: int, room: float, bold: bool = False) -> int:
    """Shrink a long title or name (another language's, say) until it fits."""
    while size > 20 and _width(value, size, bold) > room:
        size -= 2
    return size


def _check(draw: ImageDraw.ImageDraw, cx: float, cy: float) -> None:
    """A white tick inside a done mark, so done and open differ in shape, not colour alone."""
    points = [(cx - 20, cy + 1), (cx - 6, cy + 15), (cx + 21, cy - 14)]
    scaled = [(x * SCALE, y * SCALE) for x, y in points]
    draw.line(scaled, fill=BACKGROUND, width=9 * SCALE, joint="curve")
