"""The step pictures: reproducible, committed up to date, and mirrored for the other side."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageChops, ImageOps

from coach.routine import SIDES, Routine, load_routine

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "draw_figures.py"


@pytest.fixture(scope="module")
def figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("draw_figures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def routine() -> Routine:
    return load_routine()


@pytest.fixture(scope="module")
def rendered(figures: ModuleType, routine: Routine) -> dict[tuple[str, str], Image.Image]:
    """Every picture drawn once, by (picture key, side): drawing is the slow part."""
    return {
        (screen.picture_key, side): figures.render(routine, screen.picture_key, side)
        for stretch in routine.stretches
        for screen in stretch.screens
        for side in SIDES
    }


def test_drawing_twice_gives_the_same_bytes(
    figures: ModuleType, routine: Routine, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    figures.write(routine, "lower_back/2", "right", first)
    figures.write(routine, "lower_back/2", "right", second)
    assert first.read_bytes() == second.read_bytes()
    with Image.open(first) as image:
        assert image.size == (1280, 800)


def test_committed_pictures_match_the_script(
    routine: Routine, rendered: dict[tuple[str, str], Image.Image]
) -> None:
    # Compared pixel by pixel, not byte by byte, so another zlib build does not fail it.
    for screen in (s for stretch in routine.stretches for s in stretch.screens):
        for side in SIDES:
            path = screen.picture_path(side)
            expected = (
                rendered[screen.picture_key, side]
                .quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
                .convert("RGB")
            )
            with Image.open(path) as committed:
                difference = ImageChops.difference(committed.convert("RGB"), expected)
            assert difference.getbbox() is None, f"{path.name} is stale: run `make figures`"


def test_the_other_side_is_the_mirror_image(
    rendered: dict[tuple[str, str], Image.Image],
) -> None:
    for key in {key for key, _ in rendered}:
        left, right = rendered[key, "left"], rendered[key, "right"]
        assert left.tobytes() != right.tobytes(), key
        # Apart from the labels, which are written the right way round, the drawing flips.
        diff = ImageChops.difference(ImageOps.mirror(left), right).convert("L")
        changed = sum(diff.point(lambda v: 255 if v > 40 else 0).histogram()[255:])
        assert changed < 0.1 * 1280 * 800, key
        assert changed > 0, key
