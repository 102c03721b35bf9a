"""What a reader must see in the holds: nothing moving (no arc sweeping a limb, no faint ghost
of where it started), only the end pose, with at most short arrows pressing into the hands at
work; and the hand that rests on the knee stands out from the leg under it."""

from __future__ import annotations

import importlib
import math
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from PIL import Image

from coach.routine import SIDES, Routine

PRESS_REACH = 125  # px on the 1280-px picture: how far from a hand a press arrow may reach


def drawn_over_the_pose(figures: ModuleType, routine: Routine, key: str, still: Any) -> np.ndarray:
    """The picture's pixels (1280 × 800, left side) that are not the plain pose on its mat,
    leaving out the text (labels, their leaders, the badge, the step count): what the picture
    draws over the body (arrows) or into it (a ghost)."""
    stretch_key = key.partition("/")[0]
    saved = figures.STILLS[key]
    figures.STILLS[key] = still
    try:
        boxes: dict[str, list[tuple[float, float, float, float]]] = {}
        picture = figures.render(routine, key, SIDES[0], boxes)
    finally:
        figures.STILLS[key] = saved
    plain_frame = figures.scene_frame(
        stretch_key, still.pose, still.active, 1280, 800, halos=still.halos
    )
    plain = Image.fromarray(plain_frame.image).resize((1280, 800), Image.Resampling.LANCZOS)
    change = np.abs(np.asarray(picture, dtype=int) - np.asarray(plain, dtype=int)).sum(axis=-1)
    differs = np.asarray(change > 24)
    for x0, y0, x1, y1 in boxes["label"] + boxes["badge"] + boxes["count"]:
        differs[max(0, int(y0) - 6) : int(y1) + 7, max(0, int(x0) - 6) : int(x1) + 7] = False
    assert not boxes["leader"]  # a hold names no part: nothing else to leave out
    return differs


def hands_at_work(figures: ModuleType, key: str) -> list[np.ndarray]:
    """Where, on the picture, the hands that press in a hold are."""
    body = importlib.import_module("figures.body")
    still = figures.STILLS[key]
    joints = body.joints(still.pose)
    points = []
    for limb in still.active:
        side = limb.partition("_")[2]
        way = np.array(still.pose[f"hand_{side}"], dtype=float)
        centre = joints[f"wrist_{side}"] + way / np.linalg.norm(way) * 0.075
        [xy] = figures.project(key.partition("/")[0], [tuple(float(v) for v in centre)])
        points.append(np.array(xy))
    return points


@pytest.mark.parametrize("key", ["lower_back/hold", "mid_trunk/hold"])
def test_a_hold_draws_nothing_moving(figures: ModuleType, routine: Routine, key: str) -> None:
    """No ghost and no arc: whatever is drawn over the pose lies right by a hand at work (the
    lower back's hand on the knee and palm on the hip), and the mid trunk's hold, whose arm
    simply rests where the trunk stops it, is the bare pose."""
    drawn = drawn_over_the_pose(figures, routine, key, figures.STILLS[key])
    ys, xs = np.nonzero(drawn)
    if key == "mid_trunk/hold":
        assert drawn.sum() == 0, drawn.sum()
        return
    hands = hands_at_work(figures, key)
    assert len(hands) == 2 and drawn.sum() > 1500  # the two presses are there
    reach = np.min([np.hypot(xs - x, ys - y) for x, y in hands], axis=0)
    assert reach.max() < PRESS_REACH, reach.max()
    for x, y in hands:  # an arrow at each hand
        assert (np.hypot(xs - x, ys - y) < PRESS_REACH).sum() > 500


def test_the_hold_check_sees_an_arc_and_a_ghost(figures: ModuleType, routine: Routine) -> None:
    """The check above fails on a hold that repeats its step's sweep and ghost."""
    swept = figures.STILLS["mid_trunk/3"]
    hold = figures.STILLS["mid_trunk/hold"]
    moving = type(hold)(hold.pose, hold.active, hold.notes, swept.arrows, swept.ghost)
    assert drawn_over_the_pose(figures, routine, "mid_trunk/hold", moving).sum() > 20_000
    eased, pushed = figures.STILLS["lower_back/4"], figures.STILLS["lower_back/5"]
    hold = figures.STILLS["lower_back/hold"]
    moving = type(hold)(hold.pose, hold.active, hold.notes, (*eased.arrows, *pushed.arrows))
    drawn = drawn_over_the_pose(figures, routine, "lower_back/hold", moving)
    ys, xs = np.nonzero(drawn)
    hands = hands_at_work(figures, "lower_back/hold")
    reach = np.min([np.hypot(xs - x, ys - y) for x, y in hands], axis=0)
    assert reach.max() > PRESS_REACH  # the knee's sweep reaches well past the hand


def _grown(mask: np.ndarray, width: int) -> np.ndarray:
    grown = mask.copy()
    for dy in range(-width, width + 1):
        for dx in range(-width, width + 1):
            if dx * dx + dy * dy <= width * width:
                grown |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return grown


@pytest.mark.parametrize("key", ["lower_back/4", "lower_back/hold"])
def test_the_hand_on_the_knee_is_ringed_apart_from_the_leg(figures: ModuleType, key: str) -> None:
    """Just outside the hand's outline, wherever it does not join its own forearm, a light ring
    (the background's colour) sets the hand off from the knee and the mat around it."""
    still = figures.STILLS[key]
    frame = figures.scene_frame(
        "lower_back", still.pose, still.active, 1280, 800, halos=still.halos
    )
    hand = frame.group == 3 + frame.groups.index("hand_R")
    forearm = frame.group == 3 + frame.groups.index("arm_R")
    ink = math.ceil(2560 / 560) + 2  # the outline's half width at this size, and a margin
    ring = _grown(hand, ink + 4) & ~_grown(hand, ink) & ~_grown(forearm, ink + 6)
    light = np.abs(frame.image.astype(int) - figures.BACKGROUND).sum(axis=-1) < 12
    assert ring.sum() > 400
    assert light[ring].mean() > 0.8, light[ring].mean()
