"""The summary's tracker picture: done sets filled, open ones visible rings, any language."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from coach.tracker_image import (
    BACKGROUND,
    DONE,
    MARK,
    OPEN_RING,
    RING,
    TrackerSide,
    TrackerStretch,
    font_file,
    mark_centre,
    render_tracker,
)

TODAY = [
    TrackerStretch("Lower back", [TrackerSide("Left", 3, 3), TrackerSide("Right", 1, 3)]),
    TrackerStretch("Mid trunk", [TrackerSide("Left", 0, 3), TrackerSide("Right", 2, 3)]),
]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_done_sets_are_filled_and_open_ones_are_rings_on_white() -> None:
    image = Image.open(io.BytesIO(render_tracker(TODAY, title="Today: 6 of 12 sets")))
    assert image.size == (1280, 800)
    rgb = image.convert("RGB")
    for i, stretch in enumerate(TODAY):
        for j, side in enumerate(stretch.sides):
            for n in range(side.target):
                cx, cy = mark_centre(TODAY, i, j, n)
                inside = rgb.getpixel((round(cx), round(cy - MARK * 0.35)))  # clear of the tick
                ring = rgb.getpixel((round(cx + MARK / 2 - RING / 2), round(cy)))
                if n < side.done:
                    assert inside == DONE and ring == DONE, (stretch.name, side.label, n)
                else:
                    assert inside == BACKGROUND and ring == OPEN_RING, (stretch.name, side.label, n)
    # Open rings are meant to be seen: at least 3:1 against white (WCAG's for graphics).
    contrast = (_luminance(BACKGROUND) + 0.05) / (_luminance(OPEN_RING) + 0.05)
    assert contrast >= 3


def test_the_same_sets_give_the_same_bytes_and_other_sets_other_bytes() -> None:
    first = render_tracker(TODAY, title="Today")
    assert render_tracker(TODAY, title="Today") == first
    more = [TODAY[0], TrackerStretch("Mid trunk", [TrackerSide("Left", 1, 3), TODAY[1].sides[1]])]
    assert render_tracker(more, title="Today") != first


def test_a_row_shows_its_target_or_more_sets_when_more_were_done() -> None:
    rows = [TrackerStretch("Lower back", [TrackerSide("Left", 4, 2)])]
    rgb = Image.open(io.BytesIO(render_tracker(rows, title="Today"))).convert("RGB")
    for n in range(4):  # sets logged before the setting was lowered still show
        cx, cy = mark_centre(rows, 0, 0, n)
        assert rgb.getpixel((round(cx), round(cy - MARK * 0.35))) == DONE
    cx, cy = mark_centre(rows, 0, 0, 4)
    assert rgb.getpixel((round(cx + MARK / 2 - RING / 2), round(cy))) == BACKGROUND


@pytest.mark.parametrize(
    "side", [TrackerSide("Left", 0, 0), TrackerSide("Left", -1, 3), TrackerSide("Left", 0, 6)]
)
def test_impossible_rows_are_refused(side: TrackerSide) -> None:
    with pytest.raises(ValueError, match="cannot draw"):
        render_tracker([TrackerStretch("Lower back", [side])], title="Today")


def test_the_font_covers_every_language_we_will_translate_to() -> None:
    # English, Spanish, Brazilian Portuguese, Russian, German (issue 16).
    sample = (
        "ÁÉÍÓÚÑÜ¿¡áéíóúñü ÀÂÃÇÊÔÕàâãçêôõ ÄÖÜäöüß·—"
        "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    )
    for bold in (False, True):
        cmap = TTFont(font_file(bold)).getBestCmap()
        missing = [c for c in sample if c != " " and ord(c) not in cmap]
        assert not missing, missing
