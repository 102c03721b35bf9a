"""The two stretches as 3D poses, from the article (Dr. Ben Kim, "Healthy Back Stretches"),
each seen by its own camera. Drawn for the article's side, "left"; the right is the mirror.

Lower back: on the back, knees up, feet flat (1); the left ankle's outer edge on the right
thigh near the knee (2); both legs fall to the right until the left foot, off the thigh, is
flat on the floor beyond the right knee (3); the right hand on the left knee eases it down
(4); the left palm behind the left side of the pelvis presses (5, hold).
Mid trunk: on the right side, arms together straight ahead, knees bent ahead, thighs parallel
to the arms (1); the left arm up to the ceiling (2); it sinks back behind, in the plane of the
shoulders, and rests where the trunk stops it: in the air, for most people (3, hold).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .body import R_FOREARM, R_SHIN, R_THIGH, Pose, blend, joints, unit
from .scene import Camera, Mat

Value = tuple[float, ...]


def _v(a: np.ndarray) -> Value:
    return tuple(round(float(x), 4) for x in a)


# ── Lower back: lying on the back, head towards −x, the left side towards +y ──

_RESTING_ARMS: Mapping[str, Value | float] = {
    "wrist_L": (-0.04, 0.37, 0.045),
    "elbow_L": (0.0, 1.0, 0.3),
    "hand_L": (1.0, 0.35, -0.1),
    "palm_L": (0.0, 0.0, -1.0),
    "wrist_R": (-0.04, -0.37, 0.045),
    "elbow_R": (0.0, -1.0, 0.3),
    "hand_R": (1.0, -0.35, -0.1),
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
    pelvis_roll=68.0,
    chest_roll=8.0,
    ankle_R=(0.6, -0.36, 0.058),
    knee_R=(0.3, -1.0, 0.0),
    foot_R=(1.0, 0.1, 0.0),
    sole_R=(0.0, 1.0, -0.2),
    ankle_L=(0.3, -0.62, 0.072),
    knee_L=(0.3, -1.0, 0.3),
    foot_L=(0.5, -0.85, -0.05),
    sole_L=(0.0, 0.0, -1.0),
)


def _foot_lifted() -> Pose:
    """Halfway down, for the animation: the left foot has left the thigh, above the right knee."""
    half = blend(CROSSED, DROPPED, 0.5)
    j = joints(half)
    return half.at(ankle_L=_v(j["knee_R"] + np.array([0.05, -0.12, 0.32])))


LIFTED = _foot_lifted()


def _hand_on_knee(pose: Pose) -> Mapping[str, Value]:
    """The right hand over the left knee, from the outside, ready to ease it down."""
    j = joints(pose)
    knee, shoulder = j["knee_L"], j["shoulder_R"]
    reach = unit(knee - shoulder)
    palm_center = knee + np.array([0.0, 0.0, R_THIGH + 0.02]) + reach * 0.0
    return {
        "wrist_R": _v(palm_center - reach * 0.075),
        "elbow_R": (0.0, -1.0, 0.4),
        "hand_R": _v(reach),
        "palm_R": (0.0, 0.0, -1.0),
    }


PULLED = DROPPED.at(**_hand_on_knee(DROPPED))


def _palm_behind_pelvis(pose: Pose) -> Mapping[str, Value]:
    """The left palm flat against the back of the pelvis' left side, fingers towards the feet."""
    j = joints(pose)
    rot = j["pelvis_rot"]
    spot = j["pelvis"] + rot @ np.array([0.03, 0.1, -0.105])
    fingers, palm = rot @ np.array([1.0, 0.0, 0.0]), rot @ np.array([0.0, 0.0, 1.0])
    return {
        "wrist_L": _v(spot - fingers * 0.075),
        "elbow_L": (-0.2, 1.0, 0.4),
        "hand_L": _v(fingers),
        "palm_L": _v(palm),
    }


PUSHED = PULLED.at(**_palm_behind_pelvis(PULLED))


# ── Mid trunk: on the right side (roll 90°), facing −y, the left side up ──

ARMS_TOGETHER = Pose.of(
    {
        "pelvis_roll": 90.0,
        "chest_roll": 90.0,
        "head_roll": 78.0,
        "chest_lift": (0.0, 0.0, 0.03),
        "head_shift": (0.0, 0.0, 0.0),
        "sweep_L": -18.0,
        "wrist_L": (0.0, 0.0, 0.0),  # unused: the top arm follows its sweep
        "elbow_L": (0.0, 0.0, 1.0),
        "hand_L": (0.0, -1.0, 0.0),
        "palm_L": (0.0, 0.0, -1.0),
        "wrist_R": (-0.47, -0.56, R_FOREARM + 0.002),
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
# For most people the arm stops in the air, held by the trunk: about 35° above the floor.
ARM_OPEN = ARMS_TOGETHER.at(sweep_L=145.0, chest_roll=62.0)

LIMBS_LOWER_BACK = {"arm_L": "active", "leg_L": "active", "arm_R": "other", "leg_R": "other"}
LIMBS_MID_TRUNK = {"arm_L": "active", "leg_L": "trousers", "arm_R": "other", "leg_R": "other"}


@dataclass(frozen=True)
class Setting:
    """How one stretch is seen: its camera, its mat and its limbs' colours."""

    camera: Camera
    mat: Mat
    limbs: Mapping[str, str]


SETTINGS: dict[str, Setting] = {
    "lower_back": Setting(
        Camera(eye=(1.6, 2.3, 2.6), target=(0.05, -0.12, 0.1), lens=1.8, shift=(-0.06, 0.13)),
        Mat(center=(-0.05, -0.12), size=(2.0, 1.15)),
        LIMBS_LOWER_BACK,
    ),
    "mid_trunk": Setting(
        Camera(eye=(-2.3, -2.1, 1.8), target=(-0.05, 0.0, 0.2), lens=1.3, shift=(-0.06, 0.07)),
        Mat(center=(-0.05, 0.0), size=(2.0, 1.2)),
        LIMBS_MID_TRUNK,
    ),
}
