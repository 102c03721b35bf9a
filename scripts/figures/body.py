"""The 3D figure: a person of believable proportions built from a handful of numbers.

World axes, in metres: x runs along the mat from the head (−x) to the feet (+x), y across it,
z up from the mat's top (z = 0). Lying on the back the person's left is +y; `roll` turns a part
about the body's long axis towards the person's right, so a roll of 90° lies on the right side
(facing −y, the left side up). Every pose is drawn for the side the article describes
("left"); the right side is its mirror image.

A `Pose` names where things go — rolls of the pelvis, chest and head, and for each hand and
foot a target, a pole for the elbow or knee and the way the hand or foot points — and `body()`
solves the limbs (two-bone inverse kinematics with fixed bone lengths) and returns the
primitives to ray-cast. Poses blend number by number, so an animation eases between the very
poses the pictures show, and a bone never stretches on the way.

The trunk is one smooth blob (pelvis, waist, rib cage, the band across the shoulders and the
shoulders, melted together: no seams at the waist); the thighs taper to the knee; the head has
a face (a nose standing out of the profile, eyes, ears; hair over the crown and the back), so
the way the person faces reads at a glance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .scene import Array, Blob, Capsule, Ellipsoid, Primitive, Vec

# Proportions of an adult of about 1.70 m (segment lengths between joint centres).
UPPER_ARM, FOREARM = 0.29, 0.26
THIGH, SHIN = 0.43, 0.42
R_UPPER_ARM, R_FOREARM = 0.048, 0.04
R_THIGH, R_KNEE, R_SHIN = 0.082, 0.062, 0.055
WAIST = (0.15, 0.14, 0.092)
PELVIS = (0.12, 0.165, 0.105)
# Half length (x), half width (y), half depth (z) of the parts the trunk is melted from.
RIBS = (0.165, 0.158, 0.108)  # in the chest's frame, as the two below
GIRDLE = (0.075, 0.2, 0.085)  # across the shoulders
TRUNK_BLEND = 0.07
HEAD = (0.11, 0.078, 0.095)  # crown–chin, ear–ear, back–face
CHEST_X, WAIST_X, PELVIS_X, HEAD_X = -0.3, -0.15, 0.0, -0.63
SHOULDER = (-0.13, 0.155, 0.01)  # in the chest's frame: at its top, a little to the front
HIP = (0.05, 0.09, -0.005)  # in the pelvis' frame
NECK = (-0.15, 0.0, 0.0)
R_SHOULDER = 0.056
# The chest's parts (offset in its frame, semi-axes): the rib cage, the band across the
# shoulders and the two shoulders; the chest rests on whichever reaches lowest.
CHEST_PARTS: tuple[tuple[Array, Vec], ...] = (
    (np.array([0.02, 0.0, 0.0]), RIBS),
    (np.array([-0.1, 0.0, -0.012]), GIRDLE),
    (np.array([SHOULDER[0], SHOULDER[1], SHOULDER[2]]), (R_SHOULDER,) * 3),
    (np.array([SHOULDER[0], -SHOULDER[1], SHOULDER[2]]), (R_SHOULDER,) * 3),
)

Value = tuple[float, ...]


@dataclass(frozen=True)
class Pose:
    """A body position: named numbers (angles in degrees) and vectors, sorted by name."""

    values: tuple[tuple[str, Value], ...]

    @classmethod
    def of(cls, values: Mapping[str, Value | float]) -> Pose:
        items = {k: (v,) if isinstance(v, (int, float)) else tuple(v) for k, v in values.items()}
        return cls(tuple(sorted((k, tuple(float(x) for x in v)) for k, v in items.items())))

    def __getitem__(self, name: str) -> Array:
        for key, value in self.values:
            if key == name:
                return np.array(value)
        raise KeyError(name)

    def angle(self, name: str) -> float:
        return float(self[name][0])

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.values)

    def at(self, **changes: Value | float) -> Pose:
        return Pose.of({**dict(self.values), **changes})


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction `t` of the way from `a` to `b`, number by number."""
    if [k for k, _ in a.values] != [k for k, _ in b.values]:
        raise ValueError("cannot blend poses with different names")
    return Pose(
        tuple(
            (k, tuple(x + (y - x) * t for x, y in zip(va, vb, strict=True)))
            for (k, va), (_, vb) in zip(a.values, b.values, strict=True)
        )
    )


def sweep(degrees: float) -> Array:
    """The way an arm points when swept in the plane across the body (lying on the right
    side): 0° straight ahead along the floor, 90° up to the ceiling, 180° behind the back."""
    a = math.radians(degrees)
    return np.array([0.0, -math.cos(a), math.sin(a)])


def roll(degrees: float) -> Array:
    """Rotation about the body's long axis (x) towards the person's right."""
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def resting_height(radii: Vec, rotation: Array) -> float:
    """How high the centre of an ellipsoid with these axes sits when it rests on the floor."""
    return float(math.sqrt(sum((r * rotation[2, i]) ** 2 for i, r in enumerate(radii))))


def unit(v: Array | Vec) -> Array:
    a = np.asarray(v, dtype=np.float64)
    return a / np.linalg.norm(a)


def solve_limb(root: Array, target: Array, upper: float, lower: float, pole: Array) -> Array:
    """Where the middle joint (elbow, knee) goes: two bones from `root` reaching `target`,
    bending towards `pole`; a target out of reach leaves the limb straight towards it."""
    span = target - root
    d = float(np.linalg.norm(span))
    d = min(max(d, abs(upper - lower) + 1e-4), upper + lower - 1e-4)
    along = unit(span)
    bend = pole - (pole @ along) * along
    bend = unit(bend) if np.linalg.norm(bend) > 1e-9 else unit(np.cross(along, (0, 0, 1)))
    a = (upper * upper - lower * lower + d * d) / (2 * d)
    h = math.sqrt(max(upper * upper - a * a, 0.0))
    return root + along * a + bend * h


@dataclass(frozen=True)
class Joints:
    """Where the joints of one pose are (world metres)."""

    points: Mapping[str, Array]

    def __getitem__(self, name: str) -> Array:
        return self.points[name]


def joints(pose: Pose) -> Joints:
    """Every joint of `pose`: the trunk from its rolls, the limbs solved to their targets."""
    pelvis_rot, chest_rot = roll(pose.angle("pelvis_roll")), roll(pose.angle("chest_roll"))
    waist_rot = roll((pose.angle("pelvis_roll") + pose.angle("chest_roll")) / 2)
    p: dict[str, Array] = {}
    p["pelvis"] = np.array([PELVIS_X, 0.0, resting_height(PELVIS, pelvis_rot)])
    chest_z = max(resting_height(r, chest_rot) - (chest_rot @ o)[2] for o, r in CHEST_PARTS)
    p["chest"] = np.array([CHEST_X, 0.0, chest_z]) + pose["chest_lift"]
    p["waist"] = np.array([WAIST_X, 0.0, (p["pelvis"][2] + p["chest"][2]) / 2])
    p["waist_rot"] = waist_rot
    p["pelvis_rot"], p["chest_rot"] = pelvis_rot, chest_rot
    head_rot = roll(pose.angle("head_roll"))
    p["head_rot"] = head_rot
    p["head"] = (
        np.array([HEAD_X, 0.0, resting_height(HEAD, _head_axes(head_rot).T)]) + pose["head_shift"]
    )
    p["neck"] = p["chest"] + chest_rot @ np.array(NECK)
    for side, sign in (("L", 1.0), ("R", -1.0)):
        shoulder = p["chest"] + chest_rot @ np.array([SHOULDER[0], sign * SHOULDER[1], SHOULDER[2]])
        hip = p["pelvis"] + pelvis_rot @ np.array([HIP[0], sign * HIP[1], HIP[2]])
        wrist, ankle = pose[f"wrist_{side}"], pose[f"ankle_{side}"]
        if pose.has(f"sweep_{side}"):  # a straight arm swept about the body's long axis
            wrist = shoulder + sweep(pose.angle(f"sweep_{side}")) * (UPPER_ARM + FOREARM - 0.005)
        p[f"shoulder_{side}"], p[f"hip_{side}"] = shoulder, hip
        p[f"elbow_{side}"] = solve_limb(
            shoulder, wrist, UPPER_ARM, FOREARM, unit(pose[f"elbow_{side}"])
        )
        p[f"knee_{side}"] = solve_limb(hip, ankle, THIGH, SHIN, unit(pose[f"knee_{side}"]))
        p[f"wrist_{side}"] = _reach(p[f"elbow_{side}"], wrist, FOREARM)
        p[f"ankle_{side}"] = _reach(p[f"knee_{side}"], ankle, SHIN)
    return Joints(p)


def _reach(middle: Array, target: Array, length: float) -> Array:
    """The end of a bone of `length` from `middle` towards `target` (where it really gets)."""
    return middle + unit(target - middle) * length


def _head_axes(rotation: Array) -> Array:
    """The head's axes as rows: crown (−x), left ear (+y), face (+z), rolled."""
    return np.array(
        [rotation @ (-1.0, 0.0, 0.0), rotation @ (0.0, 1.0, 0.0), rotation @ (0.0, 0.0, 1.0)]
    )


def _v(a: Array) -> Vec:
    return (float(a[0]), float(a[1]), float(a[2]))


def _axes(m: Array) -> tuple[Vec, Vec, Vec]:
    return (_v(m[0]), _v(m[1]), _v(m[2]))


def body(pose: Pose, colors: Mapping[str, str]) -> list[Primitive]:
    """The primitives of `pose`; `colors` names each limb's material ("arm_L": "active"…)."""
    j = joints(pose)
    prims: list[Primitive] = []

    def part(center: Array, rot: Array, radii: Vec) -> Ellipsoid:
        return Ellipsoid(_v(center), _axes(rot.T), radii, "torso", "torso")

    chest, chest_rot = j["chest"], j["chest_rot"]
    trunk = (
        part(j["pelvis"], j["pelvis_rot"], PELVIS),
        part(j["waist"], j["waist_rot"], WAIST),
        *(part(chest + chest_rot @ o, chest_rot, r) for o, r in CHEST_PARTS),
    )
    prims.append(Blob(trunk, TRUNK_BLEND, "torso", "torso"))
    head_axes = _head_axes(j["head_rot"])
    neck_top = j["head"] + head_axes[0] * -0.06 + head_axes[2] * -0.02
    prims.append(Capsule(_v(j["neck"]), _v(neck_top), 0.05, "skin", "neck"))
    collar = j["neck"] + (neck_top - j["neck"]) * 0.3  # the shirt's collar round the neck
    prims.append(Capsule(_v(j["neck"]), _v(collar), 0.058, "torso", "torso"))
    prims += _head(j["head"], head_axes)
    for side in ("L", "R"):
        arm, leg = colors[f"arm_{side}"], colors[f"leg_{side}"]
        sh, el, wr = j[f"shoulder_{side}"], j[f"elbow_{side}"], j[f"wrist_{side}"]
        prims.append(Capsule(_v(sh), _v(el), R_UPPER_ARM, arm, f"arm_{side}"))
        prims.append(Capsule(_v(el), _v(wr), R_FOREARM, arm, f"arm_{side}"))
        prims.append(_hand(wr, pose, side))
        hip, knee, ankle = j[f"hip_{side}"], j[f"knee_{side}"], j[f"ankle_{side}"]
        # The thigh tapers from the hip to the knee: an ellipsoid along the bone, then the knee.
        along = unit(knee - hip)
        across = _frame(along, np.array([0.0, 0.0, -1.0]))
        thigh_center = hip + along * THIGH * 0.42
        thigh = (THIGH * 0.5 + 0.05, R_THIGH, R_THIGH)
        prims.append(Ellipsoid(_v(thigh_center), _axes(across), thigh, leg, f"leg_{side}"))
        prims.append(Capsule(_v(knee), _v(knee), R_KNEE, leg, f"leg_{side}"))
        prims.append(Capsule(_v(knee), _v(ankle), R_SHIN, leg, f"leg_{side}"))
        prims.append(_foot(ankle, pose, side))
    return prims


def _on_head(center: Array, axes: Array, crown: float, ear: float, sink: float) -> Array:
    """A point on the face: `crown` and `ear` metres along those axes, on the head's surface
    (sunk `sink` metres into it)."""
    u, v = crown / HEAD[0], ear / HEAD[1]
    w = HEAD[2] * math.sqrt(max(1 - u * u - v * v, 0.0)) - sink
    return np.asarray(center + axes[0] * crown + axes[1] * ear + axes[2] * w)


def _head(center: Array, axes: Array) -> list[Primitive]:
    """The head with a face that shows where the front is: a nose standing out of the profile,
    two eyes, an ear on each side; hair over the crown and the back (scene._hair)."""
    prims: list[Primitive] = [Ellipsoid(_v(center), _axes(axes), HEAD, "head", "head")]
    bridge = _on_head(center, axes, 0.012, 0.0, 0.012)
    tip = _on_head(center, axes, -0.03, 0.0, 0.0) + axes[2] * 0.024
    prims.append(Capsule(_v(bridge), _v(tip), 0.014, "skin", "head"))
    for sign in (1.0, -1.0):
        eye = _on_head(center, axes, 0.018, sign * 0.034, 0.006)
        prims.append(Capsule(_v(eye), _v(eye), 0.011, "eye", "head"))
        ear = center + axes[1] * sign * (HEAD[1] - 0.004) + axes[2] * -0.005
        ear_axes = np.array([axes[0], axes[2], axes[1]])
        prims.append(Ellipsoid(_v(ear), _axes(ear_axes), (0.032, 0.022, 0.012), "skin", "head"))
    return prims


def _frame(forward: Array, down: Array) -> Array:
    """Rows: `forward`, a side axis, and `down` made square to `forward`."""
    f = unit(forward)
    d = down - (down @ f) * f
    d = unit(d) if np.linalg.norm(d) > 1e-9 else unit(np.cross(f, (1, 0, 0)))
    return np.array([f, np.cross(d, f), d])


def _hand(wrist: Array, pose: Pose, side: str) -> Ellipsoid:
    """A hand: a flat ellipsoid from the wrist along `hand_<side>`, its palm towards
    `palm_<side>`."""
    if pose.has(f"sweep_{side}"):  # the palm turns with the sweep: down, forward, up
        a = math.radians(pose.angle(f"sweep_{side}"))
        m = _frame(sweep(math.degrees(a)), np.array([0.0, -math.sin(a), -math.cos(a)]))
    else:
        m = _frame(pose[f"hand_{side}"], pose[f"palm_{side}"])
    center = wrist + m[0] * 0.075
    return Ellipsoid(_v(center), _axes(m), (0.085, 0.045, 0.022), "skin", f"hand_{side}")


def _foot(ankle: Array, pose: Pose, side: str) -> Ellipsoid:
    """A foot: from under the ankle along `foot_<side>`, its sole towards `sole_<side>`."""
    m = _frame(pose[f"foot_{side}"], pose[f"sole_{side}"])
    center = ankle + m[0] * 0.06 + m[2] * 0.035
    return Ellipsoid(_v(center), _axes(m), (0.12, 0.045, 0.035), "foot", f"foot_{side}")


def lowest_point(prims: list[Primitive]) -> float:
    return min(p.lowest() for p in prims)
