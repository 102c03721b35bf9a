"""The two stretches as 3D poses, from the article (Dr. Ben Kim, "Healthy Back Stretches"),
each seen by its own camera. Drawn for the article's side, "left"; the right is the mirror.

Lower back: on the back, knees up, feet flat (1); the left ankle's outer edge on the right
thigh near the knee (2); both legs fall to the right until the left foot, off the thigh, is
flat on the floor beyond the right knee (3); the right hand on the left knee eases it down
(4); the left palm behind the left side of the pelvis presses (5, hold).
Mid trunk: on the right side, arms together straight ahead (square to the trunk, at shoulder
height), knees bent ahead, thighs parallel to the arms (1); the left arm up to the ceiling
(2); it sinks back behind, in the plane of the shoulders, and rests where the trunk stops it:
in the air, for most people (3, hold).

`colors` names which limbs are coral in a step; `SETTINGS` holds each stretch's camera (one
per stretch: its pictures and its animation share it) and mat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .body import R_FOREARM, R_SHIN, R_THIGH, Pose, blend, body, joints, unit
from .scene import Blob, Camera, Mat, Vec, signed_distance

Value = tuple[float, ...]


def _v(a: np.ndarray) -> Value:
    return tuple(round(float(x), 4) for x in a)


# ── Lower back: lying on the back, head towards −x, the left side towards +y ──

# The arms rest on the mat beside the body, a little out, palms down.
_RESTING_ARMS: Mapping[str, Value | float] = {
    "wrist_L": (0.05, 0.36, R_FOREARM),
    "elbow_L": (0.0, 1.0, 0.6),
    "hand_L": (1.0, 0.25, -0.05),
    "palm_L": (0.0, 0.0, -1.0),
    "wrist_R": (0.05, -0.36, R_FOREARM),
    "elbow_R": (0.0, -1.0, 0.6),
    "hand_R": (1.0, -0.25, -0.05),
    "palm_R": (0.0, 0.0, -1.0),
}
KNEES_UP = Pose.of(
    {
        "pelvis_roll": 0.0,
        "chest_roll": 0.0,
        "head_roll": 0.0,
        "chest_lift": (0.0, 0.0, 0.0),
        "head_shift": (0.0, 0.0, 0.0),
        **_RESTING_ARMS,
        "ankle_L": (0.5, 0.12, 0.072),
        "knee_L": (0.2, 0.05, 1.0),
        "foot_L": (1.0, 0.0, -0.05),
        "sole_L": (0.0, 0.0, -1.0),
        "ankle_R": (0.5, -0.12, 0.072),
        "knee_R": (0.2, -0.05, 1.0),
        "foot_R": (1.0, 0.0, -0.05),
        "sole_R": (0.0, 0.0, -1.0),
    }
)


def _on_right_thigh(pose: Pose) -> Value:
    """Where the left ankle's outer edge rests: on top of the right thigh, near the knee."""
    j = joints(pose)
    hip, knee = j["hip_R"], j["knee_R"]
    along = unit(knee - hip)
    top = unit(np.array([0.0, 0.0, 1.0]) - along[2] * along)
    return _v(hip + (knee - hip) * 0.8 + top * (R_THIGH + R_SHIN - 0.012))


CROSSED = KNEES_UP.at(
    ankle_L=_on_right_thigh(KNEES_UP),
    knee_L=(0.15, 1.0, 0.55),
    foot_L=(0.35, -1.0, 0.1),
    sole_L=(0.7, -0.1, -0.7),
)
DROPPED = KNEES_UP.at(
    pelvis_roll=58.0,
    chest_roll=6.0,
    ankle_R=(0.68, -0.38, 0.058),
    knee_R=(0.3, -1.0, 0.05),
    foot_R=(1.0, 0.3, 0.0),
    sole_R=(0.0, 1.0, -0.2),
    ankle_L=(0.08, -0.72, 0.072),
    knee_L=(0.4, -0.3, 1.0),
    foot_L=(0.3, -1.0, -0.05),
    sole_L=(0.0, 0.0, -1.0),
)


def _foot_lifted() -> Pose:
    """Halfway down, for the animation: the left foot has left the thigh, above the right knee."""
    half = blend(CROSSED, DROPPED, 0.5)
    j = joints(half)
    return half.at(ankle_L=_v(j["knee_R"] + np.array([-0.02, -0.16, 0.16])))


LIFTED = _foot_lifted()


def _hand_on_knee(pose: Pose, back: float = 0.13) -> Mapping[str, Value]:
    """The right hand laid on the outside of the left thigh just above the knee, fingers over
    the knee towards the floor, the elbow a little bent: ready to ease the knee down."""
    j = joints(pose)
    hip, knee = j["hip_L"], j["knee_L"]
    along = unit(knee - hip)
    outside = np.array([-0.2, 0.3, 1.0])  # the side of the fallen thigh that faces up
    outside = unit(outside - (outside @ along) * along)
    palm_center = knee - along * back + outside * (R_THIGH * 0.85 + 0.022)
    fingers = unit(along * 0.5 + np.array([0.0, -0.8, -0.2]))
    fingers = unit(fingers - (fingers @ outside) * outside)
    return {
        "wrist_R": _v(palm_center - fingers * 0.075),
        "elbow_R": (-0.2, -1.0, 0.5),
        "hand_R": _v(fingers),
        "palm_R": _v(-outside),
    }


# The right shoulder comes forward a little to reach (the chest and head slide towards the feet).
_REACHING = DROPPED.at(chest_lift=(0.07, -0.03, 0.0), head_shift=(0.05, 0.0, 0.0))
PULLED = _REACHING.at(**_hand_on_knee(_REACHING))


def _palm_behind_pelvis(pose: Pose) -> Mapping[str, Value]:
    """The left palm flat against the back of the pelvis' left side (the side the camera sees,
    above the floor), fingers towards the feet."""
    j = joints(pose)
    rot = j["pelvis_rot"]
    out = rot @ unit(np.array(PALM_SPOT))
    trunk = next(p for p in body(pose, _PLAIN) if isinstance(p, Blob))
    # From inside the pelvis outwards until the hand's half thickness clears the trunk.
    steps = j["pelvis"] + out[None, :] * np.arange(0.0, 0.4, 0.002)[:, None]
    gap = signed_distance(trunk, steps)
    center = steps[int(np.argmax(gap > 0.024))]
    normal = np.array(
        [
            signed_distance(trunk, (center + d)[None, :])[0]
            - signed_distance(trunk, (center - d)[None, :])[0]
            for d in np.eye(3) * 1e-3
        ]
    )
    palm = -unit(normal)
    point = rot @ unit(np.array(PALM_FINGERS))
    fingers = unit(point - (point @ palm) * palm)
    return {
        "wrist_L": _v(center - fingers * 0.075),
        "elbow_L": (-0.2, 1.0, 0.2),
        "hand_L": _v(fingers),
        "palm_L": _v(palm),
    }


# In the pelvis' frame: the left side of the pelvis, towards the back (where the camera, over
# the head, still sees it), the fingertips towards the feet and a little behind.
PALM_SPOT, PALM_FINGERS = (-0.6, 0.8, -0.1), (1.0, 0.0, -0.3)
_PLAIN = {limb: "trousers" for limb in ("arm_L", "arm_R", "leg_L", "leg_R")}
PUSHED = PULLED.at(**_palm_behind_pelvis(PULLED))


# ── Mid trunk: on the right side (roll 90°), facing −y, the left side up ──

ARMS_TOGETHER = Pose.of(
    {
        "pelvis_roll": 90.0,
        "chest_roll": 90.0,
        "head_roll": 84.0,
        "chest_lift": (0.0, 0.0, 0.03),
        "head_shift": (0.0, 0.0, 0.035),
        "sweep_L": -24.0,
        "wrist_L": (0.0, 0.0, 0.0),  # unused: the top arm follows its sweep
        "elbow_L": (0.0, 0.0, 1.0),
        "hand_L": (0.0, -1.0, 0.0),
        "palm_L": (0.0, 0.0, -1.0),
        "wrist_R": (-0.43, -0.57, R_FOREARM + 0.002),
        "elbow_R": (-1.0, 0.0, 0.3),
        "hand_R": (0.0, -1.0, 0.0),
        "palm_R": (0.0, 0.0, 1.0),
        "ankle_R": (0.43, -0.4, R_SHIN + 0.002),
        "knee_R": (-0.3, -1.0, 0.0),
        "foot_R": (0.0, -1.0, 0.0),
        "sole_R": (1.0, 0.0, 0.0),
        "ankle_L": (0.43, -0.4, R_SHIN * 3 + 0.004),
        "knee_L": (-0.3, -1.0, 0.0),
        "foot_L": (0.0, -1.0, 0.0),
        "sole_L": (1.0, 0.0, 0.0),
    }
)
ARM_UP = ARMS_TOGETHER.at(sweep_L=90.0, chest_roll=84.0)
# For most people the arm stops in the air, held by the trunk: about 30° above the floor.
ARM_OPEN = ARMS_TOGETHER.at(sweep_L=152.0, chest_roll=62.0)

LIMBS = ("arm_L", "arm_R", "leg_L", "leg_R")


def colors(active: tuple[str, ...]) -> dict[str, str]:
    """Each limb's material: coral ("active") for the limbs that move or act in a step, the
    clothes' colours for the rest (sleeves, trousers)."""
    return {
        limb: "active" if limb in active else ("sleeve" if limb.startswith("arm") else "trousers")
        for limb in LIMBS
    }


def _camera(
    target: Vec, toward: Vec, distance: float, lens: float, shift: tuple[float, float]
) -> Camera:
    """A camera `distance` metres from `target`, in the direction `toward` (from the target)."""
    eye = np.array(target) + unit(np.array(toward)) * distance
    return Camera(
        eye=(float(eye[0]), float(eye[1]), float(eye[2])), target=target, lens=lens, shift=shift
    )


@dataclass(frozen=True)
class Setting:
    """How one stretch is seen: its camera and its mat."""

    camera: Camera
    mat: Mat


SETTINGS: dict[str, Setting] = {
    # Behind and above the head, off to the left (34° round, 33° up), looking down the body
    # to the feet: the person's left and right are the picture's left and right, the knees
    # rise against the mat, fall to the picture's right, and the back of the left hip, where
    # the left palm goes, faces the viewer.
    "lower_back": Setting(
        _camera((0.08, -0.05, 0.15), (-0.695, 0.469, 0.545), 6.0, 2.6, (0.12, 0.14)),
        Mat(center=(0.0, -0.05), size=(2.05, 1.45)),
    ),
    # From the head end, on the side the person faces, raised (40°): the face and the chest
    # look to the picture's right, where the arms and the thighs point; the body runs from the
    # head (bottom left) up to the knees, and the top arm sweeps in a plane almost square to
    # the view, square to the body in the picture: front (right), up, then behind the back
    # (left), level with the shoulders, never along the body towards the head.
    "mid_trunk": Setting(
        _camera((-0.2, -0.15, 0.2), (-0.7, -0.3, 0.65), 5.0, 2.05, (-0.03, 0.18)),
        Mat(center=(-0.1, -0.15), size=(2.0, 1.4)),
    ),
}
