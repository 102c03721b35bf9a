"""Draw the routine's pictures and animations into coach/content/figures (`make figures`).

One 3D model serves both (scripts/figures): every step is a `Pose` of a person on a mat, seen
through the stretch's own camera (the lower back from behind and above the head, so the
person's left is the picture's left; the mid trunk from the head end on the side the person
faces, so the top arm's sweep from front to behind runs across the picture) and ray-cast
with a contact shadow, so the floor is always there; a still draws one pose with its labels
and arrows, and an animation eases from pose to pose, first step to hold, through the same
camera, so a picture and an animation can never disagree. Each pose is drawn for the side the
article describes ("left"); the "right" side is that drawing mirrored, and labels and badges
are drawn after mirroring so their text never reads backwards.

Output is reproducible: no randomness, no timestamps, one font file (DejaVu Sans, kept in
coach/content/fonts; it covers accented Latin and Cyrillic), and single-threaded x264 with
fixed settings. Every string drawn comes from the gettext catalog: the labels in LABELS, and
the stretches' names from the routine's own entries (their short titles), so a stretch is
called the same on the pictures as in the texts. The pictures are drawn in each language
(English in figures/, the others in figures/<language>/), the animations, which have no
words, once. Colour code: coral marks the limbs that move or act in that step (the badge
names the side); the resting limbs wear the clothes' colours. Where the path matters (the
mid trunk's opening arm), a faint ghost of the limb shows where it started. A hold moves
nothing: its picture is the end pose, with no arc and no ghost, at most short arrows pressing
into the hands at work. A light gap parts a part from the one it passes in front of, so
overlapping limbs read as two, and a light ring sets off a hand resting on a leg. An animation
colours, beat by beat, the limbs of the step it is moving to.

`python scripts/draw_figures.py [patterns]` draws only the files matching the patterns.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import fnmatch
import functools
import math
import string
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import scene
from figures.body import Pose, blend, body, joints, sweep, unit
from figures.poses import (
    ARM_OPEN,
    ARM_UP,
    ARMS_TOGETHER,
    CROSSED,
    DROPPED,
    KNEES_UP,
    LIFTED,
    PULLED,
    PUSHED,
    SETTINGS,
    colors,
)

from coach import i18n
from coach.routine import (
    FIGURES_DIR,
    INTRO_PICTURE,
    LOG_PICTURE,
    SIDES,
    Routine,
    Stretch,
    figure_path,
    load_routine,
    other_side,
)
from coach.texts import texts_for
from coach.tracker_image import font

# ── Every label drawn, by label id: English msgids of the gettext catalogs (coach/locale;
# scripts/i18n_catalog.py extracts them). A label naming a side ({side}, {other}, {Side}, {SIDE},
# {Other}) is translated as a whole text per side, as the routine's texts are (routine.fill):
# German, Russian, Spanish and Portuguese inflect "left" with its noun. The stretches' names
# are not here: they are the routine's short titles (`stretch_name`).
LABELS: dict[str, str] = {
    "step": "Step {number} of {count}",
    "hold": "Hold",
    "badge.lower_back": "{SIDE} LEG OVER",
    "badge.mid_trunk": "{SIDE} ARM OPENS",
    "lower_back/1": "Knees bent, feet flat",
    "lower_back/2": "{Side} ankle on {other} thigh",
    "lower_back/3": "Knees drop to the {other}",
    "lower_back/3.foot": "{Side} foot off the thigh, flat on the floor",
    "lower_back/4": "{Other} hand eases the knee down",
    "lower_back/5": "{Side} palm presses behind the hip",
    "lower_back/hold": "Tiny pressure, slow breaths",
    "mid_trunk/1": "Arms together, knees bent",
    "mid_trunk/2": "{Side} arm up to the ceiling",
    "mid_trunk/3": "{Side} arm opens slowly behind",
    "mid_trunk/hold": "It stops where your trunk stops it",
    "intro.title": "Two twists, lying down",
    "log.title": "Log the sets you did",
}
SIDE_FIELDS = frozenset({"side", "other", "Side", "Other", "SIDE"})  # {SIDE}: in capitals

WIDTH, HEIGHT, SCALE = 1280, 800, 2  # SCALE: the canvas (and the ray caster) supersample
ANIM_WIDTH, ANIM_HEIGHT, FPS = 800, 500, 25
LABEL_SIZE, BADGE_SIZE, LABEL_WRAP = 54, 54, 780  # px on the 1280-px picture
LINE_GAP = 16  # between the lines of a wrapped label: descenders clear the next line
Point = tuple[float, float]
Box = tuple[float, float, float, float]
RGB = tuple[int, int, int]
Vec = tuple[float, float, float]

BACKGROUND = (247, 243, 234)
MAT, MAT_EDGE = (170, 206, 196), (132, 176, 164)
BODY = (74, 111, 165)  # the shirt
SLEEVE, TROUSERS = (122, 153, 199), (68, 82, 114)  # the limbs that rest in a step
ACTIVE = (229, 122, 95)  # the limbs that move or act in a step
OUTLINE = (45, 62, 80)
SKIN, HAIR, SHADOW = (242, 201, 160), (96, 72, 56), (112, 146, 138)
ARROW = (242, 153, 46)
INK, MUTED, WHITE = (45, 62, 80), (95, 104, 114), (255, 255, 255)
MATERIALS = {
    "torso": scene.Material(BODY),
    "active": scene.Material(ACTIVE),
    "sleeve": scene.Material(SLEEVE),
    "trousers": scene.Material(TROUSERS),
    "eye": scene.Material(OUTLINE),
    "skin": scene.Material(SKIN),
    "head": scene.Material(SKIN, hair=HAIR),
    "foot": scene.Material(SKIN),
}
LOOK = scene.Look(BACKGROUND, MAT, MAT_EDGE, OUTLINE, SHADOW)


# The language the labels are drawn in, set around each picture by `use`.
LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("figures_language", default="en")


@contextlib.contextmanager
def use(language: str) -> Iterator[None]:
    """Draw the labels of the pictures made inside the block in `language`."""
    token = LANGUAGE.set(language)
    try:
        yield
    finally:
        LANGUAGE.reset(token)


def is_sided(template: str) -> bool:
    """Whether a label names a side, and so is one catalog entry per side."""
    return any(f in SIDE_FIELDS for _, f, _, _ in string.Formatter().parse(template))


def text(label_id: str, side: str = SIDES[0], **values: object) -> str:
    """A label in the current language, for `side` (the side whose limb moves). The one place
    this script reads the catalog for its own labels."""
    template = LABELS[label_id]
    if not is_sided(template):
        return texts_for(LANGUAGE.get()).gettext(template).format(**values)
    # A whole text per side, as routine.fill reads it.
    translated = texts_for(LANGUAGE.get()).pgettext(side, template)
    if translated != template:
        return translated
    mine, theirs = side, other_side(side)
    return template.format(
        side=mine, other=theirs, Side=mine.title(), Other=theirs.title(), SIDE=mine.upper()
    )


def stretch_name(stretch: Stretch) -> str:
    """A stretch's name, as the routine's texts and the summary call it (its short title)."""
    return texts_for(LANGUAGE.get()).gettext(stretch.short_title)


def intro_names(routine: Routine) -> list[str]:
    """The intro's panel titles: "1 · Lower back", "2 · Mid trunk", in the current language."""
    return [f"{i} · {stretch_name(s)}" for i, s in enumerate(routine.stretches, start=1)]


# ── The scene: the 3D figure on its mat, through its stretch's camera ──


def primitives(pose: Pose, active: tuple[str, ...] = ()) -> list[scene.Primitive]:
    """The body in `pose`, the `active` limbs ("arm_L", "leg_R"…) coral."""
    return body(pose, colors(active))


def camera(stretch_key: str, wide: bool = False) -> scene.Camera:
    """The stretch's camera; `wide`: pulled back and centred, for a panel cropped to the
    figure (the intro and log pictures)."""
    seen = SETTINGS[stretch_key].camera
    return dataclasses.replace(seen, lens=seen.lens * 0.62, shift=(0.0, 0.0)) if wide else seen


@functools.lru_cache(maxsize=16)
def scene_frame(
    stretch_key: str,
    pose: Pose,
    active: tuple[str, ...],
    width: int,
    height: int,
    wide: bool = False,
    ghost: Pose | None = None,
    halos: tuple[tuple[str, str], ...] = (),
) -> scene.Frame:
    """A still's pose ray-cast at `width` × `height` × SCALE, cached: a picture's five
    languages and both sides share one rendering."""
    return render_scene(stretch_key, pose, active, width, height, wide, ghost, halos)


GHOST = 0.3  # how strongly a moving limb's start position shows


def render_scene(
    stretch_key: str,
    pose: Pose,
    active: tuple[str, ...],
    width: int,
    height: int,
    wide: bool = False,
    ghost: Pose | None = None,
    halos: tuple[tuple[str, str], ...] = (),
) -> scene.Frame:
    """The pose on its mat through its stretch's camera, at `width` × `height` × SCALE;
    `wide`: pulled back, on a mat that reaches past every edge of a panel; `ghost`: a pose
    whose `active` limbs are drawn faintly too (where they started); `halos`: (part, its limb)
    pairs, a light ring around the part on everything but its own limb."""
    prims = primitives(pose, active)
    mat = _fitted_mat(prims) if wide else SETTINGS[stretch_key].mat
    view = camera(stretch_key, wide)
    size = (width * SCALE, height * SCALE)
    frame = scene.render(prims, MATERIALS, view, mat, LOOK, *size, halos)
    if ghost is None:
        return frame
    limbs = {*active, *(_extremity(limb) for limb in active)}
    faint = [
        dataclasses.replace(p, group=f"ghost_{p.group}")
        for p in primitives(ghost, active)
        if p.group in limbs
    ]
    seen = scene.render([*prims, *faint], MATERIALS, view, mat, LOOK, *size, halos)
    # Wherever the ghost changed the picture (itself, its outline, its shadow), half of it.
    changed = (seen.image != frame.image).any(axis=-1)
    image = frame.image.copy()
    mixed = frame.image[changed] * (1 - GHOST) + seen.image[changed] * GHOST
    image[changed] = np.round(mixed).astype(np.uint8)
    return dataclasses.replace(frame, image=image)


def _extremity(limb: str) -> str:
    """The hand of an arm, the foot of a leg ("arm_L" -> "hand_L")."""
    kind, _, side = limb.partition("_")
    return f"{'hand' if kind == 'arm' else 'foot'}_{side}"


def _fitted_mat(prims: Sequence[scene.Primitive], margin: float = 3.0) -> scene.Mat:
    """A mat reaching well past the body's footprint, for a panel that is all floor."""
    lo = np.min([p.bounds()[0][:2] for p in prims], axis=0) - margin
    hi = np.max([p.bounds()[1][:2] for p in prims], axis=0) + margin
    center, size = (lo + hi) / 2, hi - lo
    return scene.Mat((float(center[0]), float(center[1])), (float(size[0]), float(size[1])))


def project(
    stretch_key: str, points: Sequence[Vec], width: int = WIDTH, wide: bool = False
) -> list[Point]:
    """Where 3D points fall on a picture `width` wide (16:10), in its pixels."""
    height = round(width * HEIGHT / WIDTH)
    xy = camera(stretch_key, wide).project(np.array(points), width, height)
    return [(float(x), float(y)) for x, y in xy]


@dataclass
class Canvas:
    """A drawing surface `scale`× larger than its logical size."""

    width: int = WIDTH
    height: int = HEIGHT
    scale: float = SCALE

    def __post_init__(self) -> None:
        size = (round(self.width * self.scale), round(self.height * self.scale))
        self.image = Image.new("RGB", size, BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    def arrow(self, points: Sequence[Point], width: float = 14) -> None:
        """An arrow along `points` (logical px), its head at the last one."""
        k = self.scale
        size = width * 2.4
        # The shaft stops where the head's base is, however finely the path is drawn.
        tip, back, cut = points[-1], 0.0, len(points) - 1
        while cut > 0 and back < size * 0.55:
            back += math.dist(points[cut], points[cut - 1])
            cut -= 1
        before = points[cut]
        angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
        head = [
            (tip[0] + math.cos(angle + turn) * s, tip[1] + math.sin(angle + turn) * s)
            for turn, s in ((0, size * 0.7), (2.3, size), (-2.3, size))
        ]
        shaft = [(x * k, y * k) for x, y in points[: cut + 1]]
        for w, c in ((width + 10, WHITE), (width, ARROW)):
            self.draw.line(shaft, fill=c, width=round(w * k), joint="curve")
            for x, y in (shaft[0],):
                r = w * k / 2
                self.draw.ellipse([x - r, y - r, x + r, y + r], fill=c)
        self.draw.polygon(
            [(x * k, y * k) for x, y in head], fill=ARROW, outline=WHITE, width=round(4 * k)
        )


def _mirrored(c: Canvas) -> None:
    c.image = ImageOps.mirror(c.image)
    c.draw = ImageDraw.Draw(c.image)


def _font(c: Canvas, size: float) -> ImageFont.FreeTypeFont:
    return font(round(size * c.scale), bold=True)


# ── The stills: a pose per step, with its arrows and labels ──

# The limbs drawn coral in a step: those that move or act in it (the badge names the side).
LEGS, LEFT_LEG = ("leg_L", "leg_R"), ("leg_L",)
LEFT_ARM, RIGHT_ARM = ("arm_L",), ("arm_R",)
LOWER_BACK_HOLD = ("arm_R", "arm_L")  # what acts in the hold: the hand on the knee, the palm


@dataclass(frozen=True)
class Note:
    """A label `label_id` centred at `at` (picture px, left side), with an optional leader to
    the 3D point `pointer`."""

    label_id: str
    at: Point
    pointer: Vec | None = None
    wrap: float = LABEL_WRAP  # px: the widest line


@dataclass(frozen=True)
class Still:
    """A step's picture: its pose, the limbs that move or act in it (drawn coral), its labels
    and its arrows."""

    pose: Pose
    active: tuple[str, ...]
    notes: tuple[Note, ...] = ()
    arrows: tuple[tuple[Vec, ...], ...] = ()  # 3D paths, drawn as arrows (mirrored with the pose)
    ghost: Pose | None = None  # a pose whose moving limbs are drawn faintly: where they started
    halos: tuple[tuple[str, str], ...] = ()  # (part, its limb): a light ring around the part


def _v(a: np.ndarray) -> Vec:
    return (float(a[0]), float(a[1]), float(a[2]))


def _off(point: np.ndarray, dx: float, dy: float, dz: float) -> Vec:
    """`point` moved by (dx, dy, dz) metres."""
    return _v(point + np.array([dx, dy, dz]))


def _curve(a: Vec, bend: Vec, b: Vec, n: int = 24) -> tuple[Vec, ...]:
    """A quadratic Bézier from `a` to `b` pulled towards `bend`."""
    pa, pb, pc = np.array(a), np.array(bend), np.array(b)
    return tuple(
        _v((1 - t) ** 2 * pa + 2 * (1 - t) * t * pb + t * t * pc) for t in np.linspace(0, 1, n)
    )


def _sweep_arc(pose: Pose, start: float, end: float, reach: float) -> tuple[Vec, ...]:
    """The path of the top hand sweeping from `start`° to `end`° about its shoulder."""
    shoulder = joints(pose)["shoulder_L"]
    return tuple(_v(shoulder + sweep(a) * reach) for a in np.linspace(start, end, 24))


def _lower_back_stills() -> dict[str, Still]:
    up, crossed, dropped = joints(KNEES_UP), joints(CROSSED), joints(DROPPED)
    pulled, pushed = joints(PULLED), joints(PUSHED)
    # Step 2: the left foot leaves the floor and comes over onto the right thigh.
    lift = _curve(
        _off(up["ankle_L"], -0.02, 0.1, 0.16),
        _off((up["ankle_L"] + crossed["ankle_L"]) / 2, -0.1, 0.1, 0.5),
        _off(crossed["ankle_L"], -0.02, 0.15, 0.14),
    )
    # Step 3: from the knees, over to the right and down towards the floor.
    knee_after = dropped["knee_L"]
    fall = _curve(
        _off(knee_after, 0.0, 0.0, 0.09),
        _off(knee_after, 0.0, -0.2, 0.24),
        _off(knee_after, 0.0, -0.3, -0.12),
    )
    # The left foot, flat on the floor: a point on its top, a little towards the toes.
    sole = _v(dropped["ankle_L"] + unit(DROPPED["foot_L"]) * 0.13 + np.array([0.0, 0.0, -0.015]))
    # Step 4 (and the hold): from the hand on the knee, the knee eased on towards the floor.
    hand = pulled["wrist_R"] + unit(PULLED["hand_R"]) * 0.075
    knee = pulled["knee_L"]
    ease = _curve(
        _off(knee, 0.0, -0.02, 0.1), _off(knee, 0.0, -0.2, 0.2), _off(knee, 0.0, -0.3, -0.02)
    )
    # The hold moves nothing: a short press into the back of the hand on the knee, down
    # towards the floor and the right, where the knee would go.
    down = unit(np.array([0.0, -0.5, -0.85]))
    press = tuple(_v(hand - down * d) for d in np.linspace(0.2, 0.07, 24))
    # Step 5 (and the hold): a short straight push into the back of the left hand, which presses
    # the back of the left hip towards the right (and a little up).
    palm = pushed["wrist_L"] + unit(PUSHED["hand_L"]) * 0.075
    into = pushed["pelvis_rot"] @ unit(np.array([0.0, -0.75, 0.66]))
    push = tuple(_v(palm - into * d) for d in np.linspace(0.27, 0.09, 24))
    held = tuple(_v(palm - into * d) for d in np.linspace(0.2, 0.07, 24))  # the hold's press
    on_knee = (("hand_R", "arm_R"),)  # the hand on the knee, ringed apart from the leg
    top = (640.0, 185.0)  # the labels sit above the figure
    return {
        "lower_back/1": Still(
            KNEES_UP, LEGS, (Note("lower_back/1", top, _off(up["knee_L"], 0, 0, 0.06)),)
        ),
        "lower_back/2": Still(
            CROSSED,
            LEFT_LEG,
            (Note("lower_back/2", top, _v(crossed["ankle_L"]), wrap=1000),),
            (lift,),
        ),
        "lower_back/3": Still(
            DROPPED,
            LEFT_LEG,  # both legs fall; the left one, on top, carries the step
            (
                Note("lower_back/3.foot", (900, 185), sole, 1000),
                Note("lower_back/3", (290, 345), fall[0], wrap=620),
            ),
            (fall,),
        ),
        "lower_back/4": Still(
            PULLED,
            RIGHT_ARM,
            (Note("lower_back/4", top, _v(hand), wrap=1000),),
            (ease,),
            halos=on_knee,
        ),
        "lower_back/5": Still(
            PUSHED,
            LEFT_ARM,
            (Note("lower_back/5", top, _v(palm + unit(PUSHED["hand_L"]) * 0.05), wrap=1120),),
            (push,),
        ),
        "lower_back/hold": Still(
            PUSHED,
            LOWER_BACK_HOLD,
            (Note("lower_back/hold", top, wrap=1000),),
            (press, held),
            halos=on_knee,
        ),
    }


def _mid_trunk_stills() -> dict[str, Still]:
    together, up = joints(ARMS_TOGETHER), joints(ARM_UP)
    hands = (together["wrist_L"] + together["wrist_R"]) / 2
    # The top hand's path about its shoulder: from in front, up, then behind the back.
    rise = _sweep_arc(ARM_UP, -20.0, 60.0, 0.66)
    # The whole way, from the ghost of the start in front, over the top, to behind the back.
    opening = _sweep_arc(ARM_OPEN, -20.0, 140.0, 0.62)
    side = (910.0, 190.0)  # the labels sit right of the raised arm, above the legs
    return {
        "mid_trunk/1": Still(ARMS_TOGETHER, (), (Note("mid_trunk/1", side, _v(hands), wrap=680),)),
        "mid_trunk/2": Still(
            ARM_UP,
            LEFT_ARM,
            (Note("mid_trunk/2", side, _v(up["wrist_L"]), wrap=680),),
            (rise,),
        ),
        "mid_trunk/3": Still(
            ARM_OPEN,
            LEFT_ARM,
            # No leader: it would cross the arc, which already names the arm.
            (Note("mid_trunk/3", (960.0, 175.0), wrap=680),),
            (opening,),
            ghost=ARMS_TOGETHER,
        ),
        # The hold: the end pose only, nothing moving (no arc, no ghost).
        "mid_trunk/hold": Still(
            ARM_OPEN, LEFT_ARM, (Note("mid_trunk/hold", (960.0, 175.0), wrap=780),)
        ),
    }


STILLS: dict[str, Still] = {**_lower_back_stills(), **_mid_trunk_stills()}


@dataclass(frozen=True)
class Panel:
    """A stretch at a glance (the intro's and the log's cards): the pose it leads to, the limbs
    that carry it (coral), the whole motion as arrows (drawn on the intro) and a ghost of where
    the moving limb started."""

    pose: Pose
    active: tuple[str, ...]
    arrows: tuple[tuple[Vec, ...], ...] = ()
    ghost: Pose | None = None


def _panels() -> dict[str, Panel]:
    # The lower back: the knees, fallen to the right, the arrow over them from where they stood.
    # Only the leg that crosses over is coral, as in the steps (the hands of the hold would
    # cross the legs at a card's size, so they stay in their sleeves).
    dropped = joints(DROPPED)
    axis = (dropped["hip_L"] + dropped["hip_R"]) / 2
    knees = (dropped["knee_L"] + dropped["knee_R"]) / 2
    fall = tuple(
        _v(np.array([knees[0], axis[1], 0.1]) + 0.66 * np.array([0.0, -math.cos(a), math.sin(a)]))
        for a in np.radians(np.linspace(100.0, 12.0, 48))
    )
    return {
        "lower_back": Panel(DROPPED, LEFT_LEG, (fall,)),
        "mid_trunk": Panel(ARM_OPEN, LEFT_ARM, STILLS["mid_trunk/3"].arrows, ARMS_TOGETHER),
    }


PANELS = _panels()


def _wrap(c: Canvas, value: str, size: float, room: float) -> str:
    """Break `value` into lines no wider than `room` (logical px), as evenly as that many lines
    allow (no lone last word); a long word stays whole."""
    greedy = _fill(c, value, size, room)
    count, narrower = greedy.count("\n"), room
    while narrower > 100 and _fill(c, value, size, narrower - 10).count("\n") == count:
        narrower -= 10
    return _fill(c, value, size, narrower)


def _fill(c: Canvas, value: str, size: float, room: float) -> str:
    """Words into lines no wider than `room`, each line as full as it goes."""
    lines: list[str] = []
    for word in value.split():
        line = f"{lines[-1]} {word}" if lines else word
        if lines and _font(c, size).getlength(line) <= room * c.scale:
            lines[-1] = line
        else:
            lines.append(word)
    return "\n".join(lines)


def label(
    c: Canvas, at: Point, value: str, pointer: Point | None = None, wrap: float = LABEL_WRAP
) -> Box:
    """A label in a white box centred at `at`, kept inside the picture, with an optional leader;
    returns the box (logical px)."""
    f, d, k = _font(c, LABEL_SIZE), c.draw, c.scale
    wrapped = _wrap(c, value, LABEL_SIZE, wrap)
    gap = round(LINE_GAP * k)
    x0, y0, x1, y1 = d.multiline_textbbox(
        (0, 0), wrapped, font=f, anchor="mm", spacing=gap, align="center"
    )
    half_w, half_h, pad = (x1 - x0) / 2 / k, (y1 - y0) / 2 / k, 18
    x = min(max(at[0], half_w + pad + 16), c.width - half_w - pad - 16)
    y = min(max(at[1], half_h + pad + 16), c.height - half_h - pad - 16)
    frame = (
        (x - half_w - pad) * k,
        (y - half_h - pad) * k,
        (x + half_w + pad) * k,
        (y + half_h + pad) * k,
    )
    box = (x - half_w - pad, y - half_h - pad, x + half_w + pad, y + half_h + pad)
    if pointer:
        start = leader_start(box, pointer)
        d.line(
            [(start[0] * k, start[1] * k), (pointer[0] * k, pointer[1] * k)],
            fill=INK,
            width=round(4 * k),
        )
        r = 9 * k
        d.ellipse(
            [pointer[0] * k - r, pointer[1] * k - r, pointer[0] * k + r, pointer[1] * k + r],
            fill=INK,
        )
    d.rounded_rectangle(frame, round(16 * k), WHITE, INK, round(3 * k))
    d.multiline_text((x * k, y * k), wrapped, INK, f, "mm", spacing=gap, align="center")
    return box


def leader_start(box: Box, pointer: Point) -> Point:
    """Where a label's leader leaves its frame: the point of the frame nearest the part it
    names (clear of the rounded corners), so the leader is short and plain."""
    inset = 28
    return (
        min(max(pointer[0], box[0] + inset), box[2] - inset),
        min(max(pointer[1], box[1] + inset), box[3] - inset),
    )


def _line(
    c: Canvas,
    at: Point,
    value: str,
    color: RGB,
    anchor: str,
    within: tuple[float, float] = (24.0, WIDTH - 24.0),
    size: float = LABEL_SIZE,
) -> Box:
    """One line of text at `at` (logical px) that must lie between the x bounds `within`: a
    translation too long for its place stops `make figures` rather than leave the picture."""
    f, k = _font(c, size), c.scale
    x0, y0, x1, y1 = c.draw.textbbox((at[0] * k, at[1] * k), value, font=f, anchor=anchor)
    if x0 < within[0] * k or x1 > within[1] * k:
        raise ValueError(f"{value!r} ({LANGUAGE.get()}) is {(x1 - x0) / k:.0f} px: too long")
    c.draw.text((at[0] * k, at[1] * k), value, color, f, anchor)
    return (x0 / k, y0 / k, x1 / k, y1 / k)


def _badge(c: Canvas, value: str) -> Box:
    """The side badge, top left, in the same place in every picture; returns its box."""
    f, k = _font(c, BADGE_SIZE), c.scale
    box = c.draw.textbbox((44 * k, 56 * k), value, font=f, anchor="lm")
    pad = 20 * k
    frame = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
    c.draw.rounded_rectangle(frame, round(40 * k), ACTIVE)
    c.draw.text((44 * k, 56 * k), value, WHITE, f, "lm")
    return (frame[0] / k, frame[1] / k, frame[2] / k, frame[3] / k)


def render(
    routine: Routine, picture_key: str, side: str, boxes: dict[str, list[Box]] | None = None
) -> Image.Image:
    """The finished 1280×800 picture for one step (by picture key) and side, in the current
    language; the labels' boxes ("label"), the badge's and the step count's are added to
    `boxes` when given (tests measure the text inside them), and each leader as its two ends
    ("leader": x0, y0, x1, y1 from the frame to the part)."""
    found: dict[str, list[Box]] = {"label": [], "badge": [], "count": [], "leader": []}
    stretch_key, _, which = picture_key.partition("/")
    stretch = routine.stretch(stretch_key)
    still = STILLS[picture_key]
    c = Canvas()
    frame = scene_frame(
        stretch_key, still.pose, still.active, WIDTH, HEIGHT, ghost=still.ghost, halos=still.halos
    )
    c.image.paste(Image.fromarray(frame.image))
    for path in still.arrows:
        c.arrow(project(stretch_key, path))
    mirrored = side != SIDES[0]
    if mirrored:
        _mirrored(c)

    def x(v: float) -> float:
        return WIDTH - v if mirrored else v

    for note in still.notes:
        pointer = None
        if note.pointer is not None:
            [tip] = project(stretch_key, [note.pointer])
            pointer = (x(tip[0]), tip[1])
        at = (x(note.at[0]), note.at[1])
        box = label(c, at, text(note.label_id, side), pointer, note.wrap)
        found["label"].append(box)
        if pointer is not None:
            found["leader"].append((*leader_start(box, pointer), *pointer))
    badge = _badge(c, text(f"badge.{stretch_key}", side))
    found["badge"].append(badge)
    count = (
        text("hold") if which == "hold" else text("step", number=which, count=len(stretch.steps))
    )
    # The count shares the top row with the badge: a long translation must leave a gap.
    within = (badge[2] + 24, WIDTH)
    found["count"].append(_line(c, (WIDTH - 44, 56), count, MUTED, "rm", within, BADGE_SIZE))
    if boxes is not None:
        boxes.update(found)
    return c.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


# ── The pictures of the screens around the steps ──


def render_intro(routine: Routine) -> Image.Image:
    """Both stretches at a glance, side by side, each with its whole motion, named as the texts
    name it; the cards take the height the title and the names leave."""
    c = Canvas()
    _line(c, (WIDTH / 2, 72), text("intro.title"), INK, "mm")
    for i, (stretch, name) in enumerate(zip(routine.stretches, intro_names(routine), strict=True)):
        _panel(c, (i * 640 + 20, 124, 600, 560), stretch, name, arrows=True)
    return c.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def render_log(routine: Routine) -> Image.Image:
    """Every stretch and side of the "Log sets" grid, in its order: a row per stretch."""
    c = Canvas()
    _line(c, (WIDTH / 2, 54), text("log.title"), INK, "mm")
    for row, stretch in enumerate(routine.stretches):
        for col, side in enumerate(SIDES):
            box = (col * 640 + 20, 100 + row * 345, 600, 245)
            _panel(c, box, stretch, text(f"badge.{stretch.key}", side), side != SIDES[0])
    return c.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


PANEL_WIDTH = 640  # the scene is drawn this wide for a panel, then cropped to the figure


def _panel(
    c: Canvas,
    box: tuple[float, float, float, float],
    stretch: Stretch,
    title: str,
    mirrored: bool = False,
    arrows: bool = False,
) -> None:
    """A stretch's hold drawn as a card filling `box` (left, top, width, height), its title
    underneath: the figure as large as fits, on a mat that fills the whole card (a crop of
    the floor, never a mat cut short by the frame); with `arrows`, the panel's arrows (the
    motion that led to it)."""
    left, top, width, height = box
    panel = PANELS[stretch.key]
    panel_height = round(PANEL_WIDTH * HEIGHT / WIDTH)
    ghost = panel.ghost if arrows else None  # a start position means something with its path
    frame = scene_frame(
        stretch.key, panel.pose, panel.active, PANEL_WIDTH, panel_height, True, ghost
    )
    paths = [
        [(x * SCALE, y * SCALE) for x, y in project(stretch.key, path, PANEL_WIDTH, True)]
        for path in (panel.arrows if arrows else ())
    ]
    ys, xs = np.nonzero(frame.group >= 3)  # the body, and the arrows around it
    xs = np.concatenate([xs, [x for path in paths for x, _ in path]])
    ys = np.concatenate([ys, [y for path in paths for _, y in path]])
    margin = 0.08 * (ys.max() - ys.min())
    x0, x1 = xs.min() - margin, xs.max() + margin
    y0, y1 = ys.min() - margin, ys.max() + margin
    aspect = width / height  # widen or heighten the crop to the card's shape
    if (x1 - x0) / (y1 - y0) < aspect:
        grow = ((y1 - y0) * aspect - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / aspect - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    size = (round(width * c.scale), round(height * c.scale))
    card = Image.fromarray(frame.image).resize(
        size, Image.Resampling.LANCZOS, box=(float(x0), float(y0), float(x1), float(y1))
    )
    if mirrored:
        card = ImageOps.mirror(card)
    corner = Image.new("L", size, 0)
    radius = round(24 * c.scale)
    ImageDraw.Draw(corner).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, 255)
    at = (round(left * c.scale), round(top * c.scale))
    c.image.paste(card, at, corner)
    c.draw.rounded_rectangle(
        (at[0], at[1], at[0] + size[0] - 1, at[1] + size[1] - 1),
        radius,
        outline=MAT_EDGE,
        width=round(3 * c.scale),
    )
    zoom = size[0] / (x1 - x0)

    def placed(point: Point) -> Point:
        """A point of the panel's scene (frame pixels) on the canvas, in logical px."""
        px = (point[0] - x0) * zoom
        if mirrored:
            px = size[0] - px
        return ((at[0] + px) / c.scale, (at[1] + (point[1] - y0) * zoom) / c.scale)

    for path in paths:
        c.arrow([placed(p) for p in path], 11)
    _line(
        c, (left + width / 2, top + height + 50), title, INK, "mm", (left, left + width), BADGE_SIZE
    )


# ── Animations: the poses from the first step to the hold, eased, looping ──


@dataclass(frozen=True)
class Beat:
    """Part of an animation: ease from the previous pose to `pose` over `seconds`, or stay on
    it when `move` is False."""

    pose: Pose
    seconds: float
    active: tuple[str, ...]
    move: bool = True


TIMELINES: dict[str, tuple[Beat, ...]] = {
    "lower_back": (
        Beat(KNEES_UP, 0.7, LEGS, move=False),
        Beat(CROSSED, 1.0, LEFT_LEG),
        Beat(CROSSED, 0.4, LEFT_LEG, move=False),
        Beat(LIFTED, 0.7, LEFT_LEG),  # the foot leaves the thigh as the knees start to fall
        Beat(DROPPED, 0.8, LEFT_LEG),
        Beat(DROPPED, 0.3, LEFT_LEG, move=False),
        Beat(PULLED, 0.6, RIGHT_ARM),
        Beat(PUSHED, 0.6, LEFT_ARM),
        Beat(PUSHED, 1.2, LOWER_BACK_HOLD, move=False),
        Beat(LIFTED, 0.8, LEGS),  # back up the way it came
        Beat(KNEES_UP, 0.7, LEGS),
    ),
    "mid_trunk": (
        Beat(ARMS_TOGETHER, 0.7, (), move=False),
        Beat(ARM_UP, 1.1, LEFT_ARM),
        Beat(ARM_UP, 0.3, LEFT_ARM, move=False),
        Beat(ARM_OPEN, 1.4, LEFT_ARM),
        Beat(ARM_OPEN, 1.6, LEFT_ARM, move=False),
        Beat(ARM_UP, 0.8, LEFT_ARM),
        Beat(ARMS_TOGETHER, 0.8, LEFT_ARM),
    ),
}
TIMELINE_POSES = {key: [beat.pose for beat in beats] for key, beats in TIMELINES.items()}


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def frame_count(stretch_key: str) -> int:
    return round(sum(b.seconds for b in TIMELINES[stretch_key]) * FPS)


def animation_pose(stretch_key: str, index: int) -> Pose:
    """The pose shown in frame `index` of a stretch's animation."""
    previous, beat, share = _moment(stretch_key, index)
    return blend(previous.pose, beat.pose, share)


def animation_beat(stretch_key: str, index: int) -> Beat:
    """The beat frame `index` belongs to: its limbs are the coral ones on the way to its pose."""
    return _moment(stretch_key, index)[1]


def _moment(stretch_key: str, index: int) -> tuple[Beat, Beat, float]:
    """The beat before, the beat of frame `index` and how far (eased) it has got."""
    beats = TIMELINES[stretch_key]
    t = index / FPS
    previous = beats[-1]
    for beat in beats:
        if t < beat.seconds or beat is beats[-1]:
            share = _ease(min(1.0, t / beat.seconds)) if beat.move else 1.0
            return previous, beat, share
        t -= beat.seconds
        previous = beat
    raise AssertionError("unreachable")


def animation_frame(stretch_key: str, side: str, index: int) -> Image.Image:
    """Frame `index` of a stretch's animation for `side` (ANIM_WIDTH × ANIM_HEIGHT)."""
    beat = animation_beat(stretch_key, index)
    return anim_image(stretch_key, animation_pose(stretch_key, index), beat.active, side)


def anim_image(stretch_key: str, pose: Pose, active: tuple[str, ...], side: str) -> Image.Image:
    frame = render_scene(stretch_key, pose, active, ANIM_WIDTH, ANIM_HEIGHT)
    image = Image.fromarray(frame.image).reduce(SCALE)
    return image if side == SIDES[0] else ImageOps.mirror(image)


def frames(stretch_key: str, side: str) -> Iterator[Image.Image]:
    for index in range(frame_count(stretch_key)):
        yield animation_frame(stretch_key, side, index)


def encode(images: Iterator[Image.Image] | Sequence[Image.Image], path: Path) -> None:
    """Encode frames as a silent H.264 MP4 that plays everywhere (yuv420p, main profile),
    single-threaded with fixed settings so the same frames give the same bytes."""
    with av.open(str(path), "w", format="mp4", options={"fflags": "+bitexact"}) as out:
        stream = out.add_stream(
            "libx264",
            rate=FPS,
            options={
                "crf": "26",
                "preset": "slow",
                "tune": "animation",
                "profile": "main",
                "threads": "1",
                "flags": "+bitexact",
                "x264-params": "threads=1:lookahead-threads=1",
            },
        )
        stream.width, stream.height, stream.pix_fmt = ANIM_WIDTH, ANIM_HEIGHT, "yuv420p"
        stream.codec_context.time_base = Fraction(1, FPS)
        for image in images:
            rgb = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]  # PyAV's stub
            frame = rgb.reformat(format="yuv420p")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def animation_path(stretch_key: str, side: str) -> Path:
    return FIGURES_DIR / f"{stretch_key}-anim-{side}.mp4"


def write(routine: Routine, picture_key: str, side: str, path: Path) -> None:
    """Render and save one step picture as a compact palette PNG."""
    save_png(render(routine, picture_key, side), path)


SHADOW_STEPS = 40  # palette entries kept for the contact shadow's ramp on the mat


def quantize(image: Image.Image) -> Image.Image:
    """The picture in 256 colours, which look identical for flat art and keep each file small:
    the contact shadow's ramps (mat to shadow, floor to shadow) in fine steps, so the soft
    shadow does not fall into bands, and the rest chosen by median cut. Each colour goes to
    its nearest palette entry, exactly (Pillow's own mapping is coarser than the ramp)."""
    ramps = [
        tuple(round(a + (b - a) * t) for a, b in zip(start, SHADOW, strict=True))
        for start, steps in ((MAT, SHADOW_STEPS), (BACKGROUND, 16))
        for t in np.linspace(0.0, 1.0, steps)
    ]
    rest = image.quantize(
        colors=256 - len(ramps), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    ).getpalette()
    assert rest is not None
    entries = [c for ramp in ramps for c in ramp] + rest[: 3 * (256 - len(ramps))]
    entries += [0] * (768 - len(entries))
    palette = np.array(entries, dtype=np.int32).reshape(256, 3)
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    colours, inverse = np.unique(pixels, axis=0, return_inverse=True)
    nearest = np.empty(len(colours), dtype=np.uint8)
    for start in range(0, len(colours), 4096):
        chunk = colours[start : start + 4096].astype(np.int32)
        distance = ((chunk[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        nearest[start : start + 4096] = distance.argmin(axis=1)
    indices = nearest[inverse.reshape(-1)].reshape(image.height, image.width)
    paletted = Image.fromarray(indices, mode="P")
    paletted.putpalette(entries)
    return paletted


def save_png(image: Image.Image, path: Path) -> None:
    quantize(image).save(path, format="PNG", optimize=True)


def main() -> None:
    """Draw everything, or only the files matching the patterns on the command line, by name
    or by path under figures/ ("intro.png" in every language, "de/*", "*.png": no animations).
    The pictures are drawn in every language; the animations have no words, so once."""
    routine = load_routine()
    outputs: list[tuple[Path, str, Callable[[], None]]] = []

    def add(path: Path, language: str, make: Callable[[Path], None]) -> None:
        outputs.append((path, language, functools.partial(make, path)))

    for language in i18n.LANGUAGES:
        add(figure_path(INTRO_PICTURE, language), language, _save(render_intro, routine))
        add(figure_path(LOG_PICTURE, language), language, _save(render_log, routine))
        for stretch in routine.stretches:
            for screen in stretch.screens:
                for side in SIDES:
                    add(
                        screen.picture_path(side, language),
                        language,
                        functools.partial(write, routine, screen.picture_key, side),
                    )
    for stretch in routine.stretches:
        for side in SIDES:
            add(
                animation_path(stretch.key, side),
                i18n.DEFAULT,
                functools.partial(_encode_animation, stretch.key, side),
            )
    patterns = sys.argv[1:]
    for path, language, make in outputs:
        name = path.relative_to(FIGURES_DIR).as_posix()
        if patterns and not any(fnmatch.fnmatch(n, p) for n in (name, path.name) for p in patterns):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with use(language):
            make()
        print(f"{name}: {path.stat().st_size // 1024} KB")


def _save(draw: Callable[[Routine], Image.Image], routine: Routine) -> Callable[[Path], None]:
    return lambda path: save_png(draw(routine), path)


@functools.lru_cache(maxsize=2)
def _left_frames(stretch_key: str) -> tuple[Image.Image, ...]:
    """A stretch's frames for the left side, drawn once: the right side is their mirror."""
    return tuple(frames(stretch_key, SIDES[0]))


def _encode_animation(stretch_key: str, side: str, path: Path) -> None:
    left = _left_frames(stretch_key)
    encode(left if side == SIDES[0] else [ImageOps.mirror(f) for f in left], path)


if __name__ == "__main__":
    main()
