"""What a reader who has not seen the texts must read off the step pictures (the facts blind
readers misread): an arrow belongs to the part that moves, each label points at its own part
and no leader runs through an arrow, the hold colours only the hands at work, a hand rests on
the knee and a palm on the hip, and the mid-trunk arm opens behind the back, level with the
shoulders, never along the body towards the head."""

from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from coach import i18n
from coach.routine import SIDES, Routine

Point = tuple[float, float]


@pytest.fixture(scope="module")
def poses(figures: ModuleType) -> ModuleType:
    return importlib.import_module("figures.poses")


@pytest.fixture(scope="module")
def body(figures: ModuleType) -> ModuleType:
    return importlib.import_module("figures.body")


def _px(figures: ModuleType, stretch_key: str, point: Any) -> np.ndarray:
    [xy] = figures.project(stretch_key, [tuple(float(v) for v in point)])
    return np.array(xy)


def _hand(joints: Any, pose: Any, side: str) -> np.ndarray:
    """The centre of a hand (body.py puts it 7.5 cm from the wrist, along the hand)."""
    way = np.array(pose[f"hand_{side}"], dtype=float)
    return np.asarray(joints[f"wrist_{side}"] + way / np.linalg.norm(way) * 0.075)


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ab = b - a
    t = float(np.clip((p - a) @ ab / max(float(ab @ ab), 1e-9), 0.0, 1.0))
    return float(np.linalg.norm(p - a - t * ab))


def _polyline_gap(a: Sequence[Point], b: Sequence[Point]) -> float:
    """The least distance (px) between two polylines, sampled finely along the first."""
    pa, pb = np.array(a, dtype=float), np.array(b, dtype=float)
    samples = [
        pa[i] + (pa[i + 1] - pa[i]) * t for i in range(len(pa) - 1) for t in np.linspace(0, 1, 12)
    ]
    if len(pb) == 1:
        return min(float(np.linalg.norm(s - pb[0])) for s in samples)
    return min(_segment_distance(s, pb[i], pb[i + 1]) for s in samples for i in range(len(pb) - 1))


# ── Lower back, step 3: the arrow is the knees', each label points at its own part ──


def test_the_knees_arrow_starts_at_the_knees_and_falls_right_to_the_floor(
    figures: ModuleType, poses: ModuleType, body: ModuleType
) -> None:
    still = figures.STILLS["lower_back/3"]
    dropped = body.joints(poses.DROPPED)
    [fall] = still.arrows
    start, end = np.array(fall[0]), np.array(fall[-1])
    assert np.linalg.norm(start - dropped["knee_L"]) < 0.12  # m: on the knee, not in the air
    assert end[2] < start[2] - 0.15  # down, towards the floor
    tail, head = _px(figures, "lower_back", start), _px(figures, "lower_back", end)
    knee = _px(figures, "lower_back", dropped["knee_L"])
    assert np.linalg.norm(tail - knee) < 45  # px on the 1280-px picture
    assert head[0] > tail[0] + 60  # to the picture's right, as the person's right is
    # "Knees drop to the right" leads to the arrow's tail, the foot's label to the left foot.
    knees_note, foot_note = (
        next(n for n in still.notes if n.label_id == label_id)
        for label_id in ("lower_back/3", "lower_back/3.foot")
    )
    assert knees_note.pointer is not None and foot_note.pointer is not None
    assert np.linalg.norm(np.array(knees_note.pointer) - start) < 0.01
    foot = np.array(foot_note.pointer)
    nearest = min(
        ("ankle_L", "ankle_R", "knee_L", "knee_R"),
        key=lambda j: float(np.linalg.norm(foot - dropped[j])),
    )
    assert nearest == "ankle_L" and foot[2] < 0.1  # on the left foot, down on the floor


def test_no_leader_runs_through_an_arrow_and_no_label_hides_one(
    figures: ModuleType, routine: Routine
) -> None:
    """A leader may end where an arrow starts (the part that moves), but never crosses one,
    and a label's frame never covers an arrow: each reads as belonging to its own part."""
    for key, still in figures.STILLS.items():
        stretch_key = key.partition("/")[0]
        boxes: dict[str, list[Any]] = {}
        figures.render(routine, key, SIDES[0], boxes)
        arrows = [figures.project(stretch_key, path) for path in still.arrows]
        for x0, y0, x1, y1 in boxes["leader"]:
            for arrow in arrows:
                gap = _polyline_gap([(x0, y0), (x1, y1)], arrow)
                tail_here = math.dist((x1, y1), arrow[0]) < 15
                assert gap > 16 or tail_here, (key, gap)
        for x0, y0, x1, y1 in boxes["label"]:
            for arrow in arrows:
                inside = [p for p in arrow if x0 - 8 <= p[0] <= x1 + 8 and y0 - 8 <= p[1] <= y1 + 8]
                assert not inside, (key, inside[:2])


# ── Lower back, steps 4, 5 and the hold: the hands at work ──


def test_the_hold_colours_the_hands_at_work_and_leaves_the_legs_in_trousers(
    figures: ModuleType,
) -> None:
    still = figures.STILLS["lower_back/hold"]
    assert set(still.active) == {"arm_R", "arm_L"}
    frame = figures.scene_frame("lower_back", still.pose, still.active, 1280, 800)
    trousers = np.array(figures.TROUSERS, dtype=float)
    tones = (trousers, trousers * figures.LOOK.shade)
    pixels = frame.image.astype(float)
    for leg in ("leg_L", "leg_R"):
        area = frame.group == 3 + frame.groups.index(leg)
        near = np.zeros(area.sum(), dtype=bool)
        for tone in tones:
            near |= np.abs(pixels[area] - tone).sum(axis=-1) < 30
        assert near.mean() > 0.6, (leg, near.mean())


def test_the_right_hand_rests_on_the_left_knee_with_a_bent_elbow(
    figures: ModuleType, poses: ModuleType, body: ModuleType
) -> None:
    """A hand, not a pole: the elbow bends, the hand lies on the thigh by the knee, and the
    picture shows it."""
    j = body.joints(poses.PULLED)
    upper, fore = j["elbow_R"] - j["shoulder_R"], j["wrist_R"] - j["elbow_R"]
    bend = math.degrees(
        math.acos(float(upper @ fore / np.linalg.norm(upper) / np.linalg.norm(fore)))
    )
    assert bend > 25, bend
    hand = _hand(j, poses.PULLED, "R")
    thigh = _segment_distance(hand, j["hip_L"], j["knee_L"])
    assert thigh < body.R_THIGH + 0.05  # on the thigh's surface, not in the air
    assert np.linalg.norm(hand - j["knee_L"]) < 0.2  # by the knee
    for key in ("lower_back/4", "lower_back/hold"):
        still = figures.STILLS[key]
        frame = figures.scene_frame("lower_back", still.pose, still.active, 1280, 800)
        assert (frame.group == 3 + frame.groups.index("hand_R")).sum() > 1500, key


def test_the_left_palm_lies_on_the_hip_above_the_floor_and_the_push_starts_by_it(
    figures: ModuleType, poses: ModuleType, body: ModuleType
) -> None:
    scene = importlib.import_module("figures.scene")
    j = body.joints(poses.PUSHED)
    hand = _hand(j, poses.PUSHED, "L")
    trunk = next(p for p in figures.primitives(poses.PUSHED) if isinstance(p, scene.Blob))
    assert 0.01 < scene.signed_distance(trunk, hand[None, :])[0] < 0.04  # flat against it
    assert hand[2] > 0.1  # up on the hip, not down on the floor
    still = figures.STILLS["lower_back/5"]
    frame = figures.scene_frame("lower_back", still.pose, still.active, 1280, 800)
    palm = frame.group == 3 + frame.groups.index("hand_L")
    assert palm.sum() > 1500
    # Seen against the body: most of the ground right around the hand is the body's, not mat.
    around = np.zeros_like(palm)
    for dy in (-10, 0, 10):
        for dx in (-10, 0, 10):
            around |= np.roll(np.roll(palm, dy, axis=0), dx, axis=1)
    ring = around & ~palm
    assert (frame.group[ring] >= 3).mean() > 0.6
    [push] = still.arrows
    assert np.linalg.norm(np.array(push[0]) - hand) < 0.32  # m: starts by the hand
    tail, palm_px = _px(figures, "lower_back", push[0]), _px(figures, "lower_back", hand)
    assert np.linalg.norm(tail - palm_px) < 130


# ── Mid trunk: the arm opens behind the back, square to the body ──


def test_the_open_arm_points_away_from_the_head_in_the_picture(
    figures: ModuleType, poses: ModuleType, body: ModuleType
) -> None:
    """Level with the shoulders, square to the body: in the picture the arm points at least
    a right angle away from the head and stands square to the line from the head to the hips
    (not tilted towards the head), so it cannot read as reaching overhead."""
    j = body.joints(poses.ARM_OPEN)
    shoulder = _px(figures, "mid_trunk", j["shoulder_L"])
    arm = _px(figures, "mid_trunk", j["wrist_L"]) - shoulder
    head = _px(figures, "mid_trunk", j["head"])
    hips = _px(figures, "mid_trunk", (j["hip_L"] + j["hip_R"]) / 2)

    def angle(a: np.ndarray, b: np.ndarray) -> float:
        return math.degrees(math.acos(float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))))

    assert angle(arm, head - shoulder) > 88
    assert abs(angle(arm, hips - head) - 90) < 8  # square to the body, as drawn
    scene = importlib.import_module("figures.scene")
    trunk = next(p for p in figures.primitives(poses.ARM_OPEN) if isinstance(p, scene.Blob))
    assert j["wrist_L"][1] > trunk.bounds()[1][1] + 0.2  # behind the back, well clear of it


def test_the_arm_opening_shows_where_it_started_and_its_way_over_the_top(
    figures: ModuleType, poses: ModuleType, body: ModuleType
) -> None:
    start, opened = body.joints(poses.ARMS_TOGETHER), body.joints(poses.ARM_OPEN)
    for key in ("mid_trunk/3",):  # the hold shows the end pose only (test_figure_holds)
        still = figures.STILLS[key]
        assert still.ghost == poses.ARMS_TOGETHER, key  # a faint arm where it started
        [arc] = still.arrows
        points = np.array(arc)
        assert np.linalg.norm(points[0] - _hand(start, poses.ARMS_TOGETHER, "L")) < 0.2, key
        assert np.linalg.norm(points[-1] - opened["wrist_L"]) < 0.3, key
        assert points[:, 2].max() > opened["shoulder_L"][2] + 0.4, key  # over the top
        assert np.ptp(points[:, 0]) < 0.01, key  # in the plane of the shoulders
        with_ghost = figures.scene_frame(
            "mid_trunk", still.pose, still.active, 1280, 800, ghost=still.ghost
        )
        plain = figures.scene_frame("mid_trunk", still.pose, still.active, 1280, 800)
        changed = (with_ghost.image != plain.image).any(axis=-1)
        assert changed.sum() > 20_000, key  # the ghost is there
        coral = np.abs(with_ghost.image[changed].astype(float) - figures.ACTIVE).sum(axis=-1)
        assert (coral < 30).mean() < 0.01, key  # and faint: never the full coral
        # So faint that the trunk it lies across stays the trunk's colour: no muddy patch.
        shift = np.abs(with_ghost.image[changed].astype(float) - plain.image[changed]).sum(axis=-1)
        assert np.median(shift) < 80, (key, np.median(shift))


def test_the_arms_together_in_front_read_as_two(figures: ModuleType) -> None:
    """Each arm shows well, and a light gap parts the top arm from the one below it."""
    still = figures.STILLS["mid_trunk/1"]
    frame = figures.scene_frame("mid_trunk", still.pose, still.active, 1280, 800)
    top, bottom = (frame.group == 3 + frame.groups.index(arm) for arm in ("arm_L", "arm_R"))
    assert top.sum() > 0.5 * bottom.sum() > 10_000
    near_top = np.zeros_like(top)
    for dy in range(-12, 13, 3):
        for dx in range(-12, 13, 3):
            near_top |= np.roll(np.roll(top, dy, axis=0), dx, axis=1)
    light = (np.abs(frame.image.astype(float) - figures.BACKGROUND).sum(axis=-1) < 12) & (
        frame.group >= 3
    )
    assert (light & near_top).sum() > 1000


def test_a_part_in_front_of_another_is_parted_by_a_light_gap(figures: ModuleType) -> None:
    """The ray caster's gap: a rod lying across another, higher, leaves a light line on the
    lower one along its edge; two rods meeting at the same depth are not parted."""
    scene = figures.scene
    look = figures.LOOK
    camera = scene.Camera(eye=(0.0, -0.01, 3.0), target=(0.0, 0.0, 0.0), lens=1.2)
    mat = scene.Mat((0.0, 0.0), (4.0, 4.0))
    low = scene.Capsule((-0.5, 0.0, 0.05), (0.5, 0.0, 0.05), 0.05, "sleeve", "arm_R")

    def light_pixels(high: float, gap: float = look.gap) -> int:
        rod = scene.Capsule((0.0, -0.5, high), (0.0, 0.5, high), 0.05, "active", "arm_L")
        parted = dataclasses.replace(look, gap=gap)
        frame = scene.render([low, rod], figures.MATERIALS, camera, mat, parted, 400, 400)
        on_body = frame.group >= 3
        light = np.abs(frame.image.astype(float) - look.background).sum(axis=-1) < 12
        return int((light & on_body).sum())

    assert light_pixels(0.3) > 40  # across, above: parted
    assert light_pixels(0.05) == 0  # crossing at the same height: one joint, no gap
    assert light_pixels(0.3, gap=0.0) == 0  # the light line is the gap, nothing else


# ── The intro: one plain motion per stretch, on cards that fill the picture ──


def test_the_intro_shows_the_legs_falling_and_the_arm_opening_from_in_front(
    figures: ModuleType, poses: ModuleType, body: ModuleType
) -> None:
    lower, mid = figures.PANELS["lower_back"], figures.PANELS["mid_trunk"]
    # Which leg crosses shows: the crossing leg coral on the card, the other in trousers (the
    # log's LEG OVER cards are this card, mirrored for the right side).
    height = round(figures.PANEL_WIDTH * figures.HEIGHT / figures.WIDTH)
    card = figures.scene_frame(
        "lower_back", lower.pose, lower.active, figures.PANEL_WIDTH, height, True
    )
    coral = np.abs(card.image.astype(float) - figures.ACTIVE).sum(axis=-1) < 40
    coral |= (
        np.abs(card.image.astype(float) - np.array(figures.ACTIVE) * figures.LOOK.shade).sum(
            axis=-1
        )
        < 40
    )
    share = {
        name: float(coral[card.group == group].mean())
        for group, name in enumerate(card.groups, start=3)
        if (card.group == group).any()
    }
    assert share["leg_L"] > 0.6, share
    assert max(v for name, v in share.items() if name != "leg_L") < 0.01, share
    dropped = body.joints(lower.pose)
    knees = (dropped["knee_L"] + dropped["knee_R"]) / 2
    [fall] = np.array(lower.arrows)
    assert np.abs(fall[:, 0] - knees[0]).max() < 0.05  # across the knees
    assert fall[0][1] > knees[1] and fall[-1][1] < knees[1]  # from their left to their right
    assert fall[0][2] > knees[2] + 0.2 > fall[-1][2]  # from up high down towards the floor
    start = body.joints(poses.ARMS_TOGETHER)
    [arc] = np.array(mid.arrows)
    assert mid.ghost == poses.ARMS_TOGETHER
    assert np.linalg.norm(arc[0] - _hand(start, poses.ARMS_TOGETHER, "L")) < 0.2  # in front
    hips = (start["hip_L"] + start["hip_R"]) / 2
    assert np.linalg.norm(arc[0] - hips) > 0.4  # not from the hips


@pytest.mark.parametrize("language", [i18n.DEFAULT, "de"])
def test_the_intro_cards_use_the_height(
    figures: ModuleType, routine: Routine, language: str
) -> None:
    """No empty band under the names: the cards and names reach down near the bottom."""
    with figures.use(language):
        intro = np.asarray(figures.render_intro(routine).convert("RGB"), dtype=float)
    ink = np.abs(intro - figures.INK).sum(axis=-1) < 60
    rows = np.nonzero(ink.any(axis=1))[0]
    assert rows.max() > 730, rows.max()  # the names' last row
    card = np.abs(intro[:, 320] - figures.MAT).sum(axis=-1) < 40
    assert np.nonzero(card)[0].max() > 650  # the card's floor reaches down to the names
