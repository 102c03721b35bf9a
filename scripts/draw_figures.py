"""Draw the routine's pictures and animations into coach/content/figures (`make figures`).

One figure model serves both: every step is a `Pose` (named joints seen from one camera), a
still draws one pose, and an animation eases from pose to pose, first step to hold, so a
picture and an animation can never disagree. Each pose is drawn for the side the article
describes ("left"); the "right" side is that drawing mirrored, and labels, the view cue and
badges are drawn after mirroring so their text never reads backwards.

Output is reproducible: no randomness, no timestamps, one font file (DejaVu Sans, kept in
coach/content/fonts; it covers accented Latin and Cyrillic), and single-threaded x264 with
fixed settings. Every string drawn is in LABELS and comes from the gettext catalog: the
pictures are drawn in each language (English in figures/, the others in figures/<language>/),
the animations, which have no words, once.
Colour code: the moving side's limbs are coral, the other side's limbs a paler blue.
"""

from __future__ import annotations

import contextlib
import contextvars
import fnmatch
import functools
import itertools
import math
import string
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coach import i18n
from coach.routine import (
    FIGURES_DIR,
    INTRO_PICTURE,
    LOG_PICTURE,
    SIDES,
    Routine,
    figure_path,
    load_routine,
    other_side,
)
from coach.texts import texts_for
from coach.tracker_image import font

# ── Every string drawn, by label id: English msgids of the gettext catalogs (coach/locale;
# scripts/i18n_catalog.py extracts them). A label naming a side ({side}, {other}, {Side}, {SIDE},
# {Other}) is translated as a whole text per side, as the routine's texts are (routine.fill):
# German, Russian, Spanish and Portuguese inflect "left" with its noun.
LABELS: dict[str, str] = {
    "view.side": "Seen from the side",
    "view.top": "Seen from above",
    "step": "Step {number} of {count}",
    "hold": "Hold",
    "badge.lower_back": "{SIDE} LEG OVER",
    "badge.mid_trunk": "{SIDE} ARM OPENS",
    "lower_back/1": "Knees bent, feet flat",
    "lower_back/2": "{Side} ankle on {other} thigh",
    "lower_back/3": "Knees drop to the {other}",
    "lower_back/4": "{Other} hand eases the knee down",
    "lower_back/5": "{Side} palm presses behind the hip",
    "lower_back/hold": "Tiny pressure, slow breaths",
    "mid_trunk/1": "Arms together, knees bent",
    "mid_trunk/2": "{Side} arm up to the ceiling",
    "mid_trunk/3": "{Side} arm opens slowly behind",
    "mid_trunk/hold": "It stops where your trunk stops it",
    "intro.title": "Two twists, lying down · 5 minutes",
    "intro.lower_back": "1 · Lower back",
    "intro.mid_trunk": "2 · Mid trunk",
    "log.title": "Log the sets you did",
}
SIDE_FIELDS = frozenset({"side", "other", "Side", "Other", "SIDE"})  # {SIDE}: in capitals

WIDTH, HEIGHT, SCALE = 1280, 800, 3
ANIM_WIDTH, ANIM_HEIGHT, ANIM_SCALE, FPS = 800, 500, 2, 25
LABEL_SIZE, BADGE_SIZE, LABEL_WRAP = 54, 54, 640  # px on the 1280-px picture
LINE_GAP = 16  # between the lines of a wrapped label: descenders clear the next line
VIEW_CUE_AT = (24.0, HEIGHT - 128.0)  # the view icon's top left; its caption runs to the right
Point = tuple[float, float]
Box = tuple[float, float, float, float]
RGB = tuple[int, int, int]

BACKGROUND = (247, 243, 234)
MAT, MAT_EDGE = (170, 206, 196), (132, 176, 164)
BODY, BODY_FAR = (74, 111, 165), (150, 176, 212)  # torso and near limbs; the other side's limbs
ACTIVE = (229, 122, 95)  # the limbs of the side being stretched
OUTLINE = (45, 62, 80)
SKIN, HAIR, SHADOW = (242, 201, 160), (96, 72, 56), (128, 172, 160)
ARROW = (242, 153, 46)
INK, MUTED, WHITE = (45, 62, 80), (95, 104, 114), (255, 255, 255)


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
    """A label in the current language, for `side` (the side whose limb moves)."""
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


# ── The figure model ──


@dataclass(frozen=True)
class Pose:
    """A body position as one camera sees it: joints in 1280×800 units, drawn by `figure`.
    `front` names the parts drawn last (over the others), where a pose needs its own order."""

    figure: str  # a key of FIGURES
    joints: Mapping[str, Point]
    front: tuple[str, ...] = ()

    def at(self, **moved: Point) -> Pose:
        return Pose(self.figure, {**self.joints, **moved}, self.front)

    def view(self) -> str:
        return VIEWS[self.figure]


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction `t` of the way from `a` to `b` (same figure, same joints)."""
    if a.figure != b.figure or a.joints.keys() != b.joints.keys():
        raise ValueError(f"cannot blend {a.figure} into {b.figure}")
    joints = {
        k: (p[0] + (b.joints[k][0] - p[0]) * t, p[1] + (b.joints[k][1] - p[1]) * t)
        for k, p in a.joints.items()
    }
    return Pose(a.figure, joints, a.front if t < 0.5 else b.front)


@dataclass
class Canvas:
    """A drawing surface `scale`× larger than its logical size; `zoom`/`origin` place a figure
    drawn in 1280×800 units anywhere on it (the intro and log pictures draw small ones)."""

    width: int = WIDTH
    height: int = HEIGHT
    scale: float = SCALE
    zoom: float = 1.0
    origin: Point = (0.0, 0.0)
    image: Image.Image = field(init=False)

    def __post_init__(self) -> None:
        size = (round(self.width * self.scale), round(self.height * self.scale))
        self.image = Image.new("RGB", size, BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)

    def p(self, pt: Point) -> tuple[float, float]:
        return (
            (self.origin[0] + pt[0] * self.zoom) * self.scale,
            (self.origin[1] + pt[1] * self.zoom) * self.scale,
        )

    def w(self, width: float) -> int:
        return max(1, round(width * self.zoom * self.scale))

    def limb(self, *points: Point, width: float, color: RGB, outline: bool = True) -> None:
        """A rounded limb through `points`, outlined so overlapping limbs stay distinct."""
        layers = ((width + 8, OUTLINE), (width, color)) if outline else ((width, color),)
        for w, c in layers:
            for a, b in itertools.pairwise(points):
                self.draw.line([self.p(a), self.p(b)], fill=c, width=self.w(w))
            for pt in points:
                self.dot(pt, w / 2, c)

    def dot(self, center: Point, radius: float, color: RGB) -> None:
        (x0, y0), (x1, y1) = (
            self.p((center[0] - radius, center[1] - radius)),
            self.p((center[0] + radius, center[1] + radius)),
        )
        self.draw.ellipse([x0, y0, x1, y1], fill=color)

    def box(self, x0: float, y0: float, x1: float, y1: float, radius: float, fill: RGB) -> None:
        self.draw.rounded_rectangle(
            [*self.p((x0, y0)), *self.p((x1, y1))], self.w(radius), fill, OUTLINE, self.w(4)
        )

    def head(self, center: Point, crown: float, eye: float | None = None) -> None:
        """A head: hair around the `crown` angle (degrees clockwise from +x); one eye at angle
        `eye` in profile, or, seen from above (eye=None), two eyes and a smile."""
        x, y, r = center[0], center[1], 50
        self.dot(center, r + 4, OUTLINE)
        self.dot(center, r, SKIN)
        self.draw.pieslice(
            [*self.p((x - r, y - r)), *self.p((x + r, y + r))], crown - 70, crown + 70, fill=HAIR
        )
        if eye is None:  # the chin points away from the crown
            ux, uy = -math.cos(math.radians(crown)), -math.sin(math.radians(crown))
            for s in (-1, 1):
                self.dot((x + ux * 5 - uy * 16 * s, y + uy * 5 + ux * 16 * s), 5, INK)
            mouth = (x + ux * 28, y + uy * 28)
            self.dot(mouth, 8, INK)
            self.dot((mouth[0] - ux * 4, mouth[1] - uy * 4), 8, SKIN)
        else:
            a = math.radians(eye)
            self.dot((x + math.cos(a) * r * 0.55, y + math.sin(a) * r * 0.55), 6, INK)

    def mat(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.draw.rounded_rectangle(
            [*self.p((x0, y0)), *self.p((x1, y1))],
            self.w(min(28, (y1 - y0) / 2)),
            MAT,
            MAT_EDGE,
            self.w(3),
        )

    def arrow(self, start: Point, bend: Point, end: Point) -> None:
        """A curved arrow from `start` to `end`, pulled towards `bend` (a quadratic Bézier)."""
        pts = [_bezier(start, bend, end, i / 40) for i in range(41)]
        tip, before = pts[-1], pts[-5]
        angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
        head = [
            (tip[0] + math.cos(angle + turn) * size, tip[1] + math.sin(angle + turn) * size)
            for turn, size in ((0, 24), (2.3, 34), (-2.3, 34))
        ]
        for w, c in ((24, WHITE), (14, ARROW)):
            self.draw.line([self.p(pt) for pt in pts[:-2]], fill=c, width=self.w(w), joint="curve")
        self.draw.polygon([self.p(pt) for pt in head], fill=ARROW, outline=WHITE, width=self.w(3))


def _bezier(a: Point, b: Point, c: Point, t: float) -> Point:
    u = 1 - t
    return (
        u * u * a[0] + 2 * u * t * b[0] + t * t * c[0],
        u * u * a[1] + 2 * u * t * b[1] + t * t * c[1],
    )


# ── Lower back, from the side: head left, the camera at the person's right. ──
FLOOR = 590


def supine_side(c: Canvas, pose: Pose) -> None:
    j = pose.joints
    c.mat(80, FLOOR, 1200, FLOOR + 26)
    parts: dict[str, Callable[[], None]] = {
        # The far (left) leg as two parts: its shin crosses in front of the near thigh.
        "thigh_L": lambda: c.limb(j["hip"], j["knee_L"], width=54, color=ACTIVE),
        "shin_L": lambda: c.limb(j["knee_L"], j["ankle_L"], j["toe_L"], width=42, color=ACTIVE),
        "leg_R": lambda: c.limb(j["hip"], j["knee_R"], j["ankle_R"], width=54, color=BODY_FAR),
        "foot_R": lambda: c.limb(j["ankle_R"], j["toe_R"], width=28, color=BODY_FAR),
    }
    c.limb((360, FLOOR - 48), j["hip"], width=96, color=BODY)
    c.limb((365, FLOOR - 36), (480, FLOOR - 20), (595, FLOOR - 18), width=30, color=BODY_FAR)
    c.head((262, FLOOR - 56), crown=165, eye=250)
    _in_order(parts, pose.front)


def _in_order(parts: Mapping[str, Callable[[], None]], front: Sequence[str]) -> None:
    for name in [p for p in parts if p not in front] + list(front):
        parts[name]()


HIP_SIDE = (640.0, FLOOR - 50.0)
KNEES_UP = Pose(
    "supine_side",
    {
        "hip": HIP_SIDE,
        "knee_L": (770, FLOOR - 306),
        "ankle_L": (905, FLOOR - 40),
        "toe_L": (975, FLOOR - 18),
        "knee_R": (805, FLOOR - 288),
        "ankle_R": (935, FLOOR - 30),
        "toe_R": (1000, FLOOR - 14),
    },
)
# The crossing leg's knee turns out, away from the camera; its ankle lies on the near thigh.
CROSSED = KNEES_UP.at(
    knee_L=(700, FLOOR - 330), ankle_L=(770, FLOOR - 250), toe_L=(835, FLOOR - 262)
)
CROSSED = Pose(CROSSED.figure, CROSSED.joints, ("leg_R", "foot_R", "shin_L"))


# ── Lower back, from above: head left, the person's right towards the image bottom. ──


def supine_top(c: Canvas, pose: Pose) -> None:
    j = pose.joints
    c.mat(60, 110, 1220, 690)
    parts: dict[str, Callable[[], None]] = {
        "arm_L": lambda: c.limb(j["shoulder_L"], j["elbow_L"], j["hand_L"], width=32, color=ACTIVE),
        "arm_R": lambda: c.limb(
            j["shoulder_R"], j["elbow_R"], j["hand_R"], width=32, color=BODY_FAR
        ),
        "torso": lambda: _torso_top(c),
        "leg_R": lambda: _leg(c, j, "R", BODY_FAR),
        "leg_L": lambda: _leg(c, j, "L", ACTIVE),
        "hand_R": lambda: _hand(c, j["hand_R"]),
    }
    _in_order(parts, pose.front or ("leg_L",))


def _hand(c: Canvas, at: Point) -> None:
    c.dot(at, 25, OUTLINE)
    c.dot(at, 21, BODY_FAR)


def _torso_top(c: Canvas) -> None:
    c.limb((262, 400), (310, 400), width=56, color=SKIN)  # neck
    c.box(300, 305, 575, 495, 70, BODY)
    c.box(520, 328, 665, 472, 60, BODY)
    c.limb((540, 400), (560, 400), width=118, color=BODY, outline=False)  # the waist's seam
    c.head((215, 400), crown=180)


def _leg(c: Canvas, j: Mapping[str, Point], s: str, color: RGB) -> None:
    c.limb(j[f"hip_{s}"], j[f"knee_{s}"], j[f"ankle_{s}"], width=54, color=color)
    c.limb(j[f"ankle_{s}"], j[f"toe_{s}"], width=30, color=color)


ARMS_OUT = {
    "shoulder_L": (340, 330),
    "elbow_L": (410, 225),
    "hand_L": (520, 175),
    "shoulder_R": (340, 470),
    "elbow_R": (410, 575),
    "hand_R": (520, 625),
}
TOP_KNEES_UP = Pose(
    "supine_top",
    {
        **ARMS_OUT,
        "hip_L": (615, 360),
        "knee_L": (790, 350),
        "ankle_L": (880, 352),
        "toe_L": (945, 352),
        "hip_R": (615, 440),
        "knee_R": (790, 450),
        "ankle_R": (880, 448),
        "toe_R": (945, 448),
    },
    ("leg_R", "leg_L"),
)
TOP_CROSSED = TOP_KNEES_UP.at(knee_L=(745, 230), ankle_L=(770, 420), toe_L=(790, 480))
# Both knees have fallen to the person's right, the crossing leg bent on top of the other.
DROPPED = TOP_KNEES_UP.at(
    knee_L=(705, 590),
    ankle_L=(905, 610),
    toe_L=(965, 622),
    knee_R=(640, 650),
    ankle_R=(860, 665),
    toe_R=(925, 668),
)
PULLED = DROPPED.at(elbow_R=(505, 560), hand_R=(700, 588))
PULLED = Pose(PULLED.figure, PULLED.joints, ("leg_R", "leg_L", "arm_R", "hand_R"))
PUSHED = PULLED.at(elbow_L=(470, 255), hand_L=(598, 348))
PUSHED = Pose(PUSHED.figure, PUSHED.joints, ("arm_L", "torso", "leg_R", "leg_L", "arm_R", "hand_R"))


# ── Mid trunk, from above: lying on the right side, facing the image bottom. ──
SHOULDER, HIP = (520.0, 400.0), (800.0, 400.0)
ARM = 300.0


def side_lying(c: Canvas, pose: Pose) -> None:
    """The top arm is given by `arm`: its angle from pointing forward along the floor (0°)
    through the ceiling (90°) to behind the back; the camera sees its shortened shadow of it."""
    j = pose.joints
    angle = math.radians(j["arm"][0])
    hand = (SHOULDER[0], SHOULDER[1] + ARM * math.cos(angle))
    lift = ARM * math.sin(angle)  # how high the hand is above the shoulder
    c.mat(150, 110, 1180, 720)
    if lift > 1:  # the raised arm's shadow on the mat (light from the image's top left)
        shadow = (hand[0] + lift * 0.45, hand[1] + lift * 0.1)
        c.limb((SHOULDER[0] + 30, SHOULDER[1]), shadow, width=32, color=SHADOW, outline=False)
    c.limb((815, 420), j["knee_low"], j["ankle_low"], width=56, color=BODY_FAR)
    c.limb((505, 420), (505, 660), width=30, color=BODY_FAR)  # the lower arm on the floor
    c.limb(SHOULDER, HIP, width=120, color=BODY)
    c.limb(HIP, j["knee_top"], j["ankle_top"], width=56, color=BODY)
    c.head((415, 400), crown=235, eye=125)
    # Seen end-on the arm is its hand, larger the nearer it comes to the camera.
    c.limb(SHOULDER, hand, width=32, color=ACTIVE)
    c.dot(hand, 22 + 14 * lift / ARM, OUTLINE)
    c.dot(hand, 18 + 14 * lift / ARM, ACTIVE)
    if lift > ARM * 0.7:
        c.dot(hand, 8 + 8 * lift / ARM, (245, 176, 156))


ARMS_TOGETHER = Pose(
    "side_lying",
    {
        "arm": (0, 0),
        "knee_top": (800, 640),
        "ankle_top": (1040, 645),
        "knee_low": (815, 655),
        "ankle_low": (1055, 665),
    },
)
ARM_UP = ARMS_TOGETHER.at(arm=(90, 0))
ARM_OPEN = ARMS_TOGETHER.at(arm=(140, 0))  # most arms stay up in the air

FIGURES: dict[str, Callable[[Canvas, Pose], None]] = {
    "supine_side": supine_side,
    "supine_top": supine_top,
    "side_lying": side_lying,
}
VIEWS = {"supine_side": "view.side", "supine_top": "view.top", "side_lying": "view.top"}
# Where each figure sits in a picture (zoom, origin): clear of the badge row and the view cue.
FRAMING: dict[str, tuple[float, Point]] = {
    "supine_side": (1.0, (0.0, 0.0)),
    "supine_top": (0.9, (64.0, 12.0)),
    "side_lying": (0.9, (64.0, 12.0)),
}


# ── The stills: a pose per step, with its arrows and labels ──


@dataclass(frozen=True)
class Note:
    """A label `label_id` centred at `at` (figure units), with an optional leader to `pointer`."""

    label_id: str
    at: Point
    pointer: Point | None = None


@dataclass(frozen=True)
class Still:
    pose: Pose
    notes: tuple[Note, ...] = ()
    extras: Callable[[Canvas], None] | None = None  # arrows and hints, mirrored with the pose


def _palm_hint(c: Canvas) -> None:
    for i in range(0, 360, 30):  # a dotted ring where the palm hides under the hip
        a = math.radians(i)
        c.dot((598 + math.cos(a) * 32, 350 + math.sin(a) * 32), 6, ACTIVE)


def _push_hint(c: Canvas) -> None:
    _palm_hint(c)
    c.arrow((590, 195), (640, 230), (615, 300))


STILLS: dict[str, Still] = {
    "lower_back/1": Still(KNEES_UP, (Note("lower_back/1", (860, 160), (850, FLOOR - 40)),)),
    "lower_back/2": Still(
        CROSSED,
        (Note("lower_back/2", (800, 160), (770, FLOOR - 250)),),
        lambda c: c.arrow((1040, FLOOR - 70), (1060, FLOOR - 330), (880, FLOOR - 300)),
    ),
    "lower_back/3": Still(
        DROPPED,
        (Note("lower_back/3", (960, 190)),),
        lambda c: c.arrow((770, 300), (940, 360), (880, 540)),
    ),
    "lower_back/4": Still(
        PULLED,
        (Note("lower_back/4", (880, 200), (700, 570)),),
        lambda c: c.arrow((790, 500), (830, 560), (790, 640)),
    ),
    "lower_back/5": Still(
        PUSHED,
        (Note("lower_back/5", (960, 190), (600, 330)),),
        _push_hint,
    ),
    "lower_back/hold": Still(PUSHED, (Note("lower_back/hold", (880, 200)),), _palm_hint),
    "mid_trunk/1": Still(ARMS_TOGETHER, (Note("mid_trunk/1", (800, 200), (520, 560)),)),
    "mid_trunk/2": Still(
        ARM_UP,
        (Note("mid_trunk/2", (860, 200), (540, 385)),),
        lambda c: c.arrow((600, 650), (660, 480), (580, 430)),
    ),
    "mid_trunk/3": Still(
        ARM_OPEN,
        (Note("mid_trunk/3", (880, 200)),),
        lambda c: c.arrow((610, 640), (780, 400), (610, 150)),
    ),
    "mid_trunk/hold": Still(ARM_OPEN, (Note("mid_trunk/hold", (935, 200)),)),
}


def _figure(c: Canvas, pose: Pose, zoom: float = 1.0, origin: Point = (0.0, 0.0)) -> None:
    """Draw `pose` framed for its figure, inside a region at `origin` scaled by `zoom`."""
    frame_zoom, (fx, fy) = FRAMING[pose.figure]
    c.zoom, c.origin = zoom * frame_zoom, (origin[0] + fx * zoom, origin[1] + fy * zoom)
    FIGURES[pose.figure](c, pose)


def _framed(pose: Pose, pt: Point) -> Point:
    """A figure point where the picture shows it."""
    zoom, (fx, fy) = FRAMING[pose.figure]
    return (fx + pt[0] * zoom, fy + pt[1] * zoom)


def _mirrored(c: Canvas) -> None:
    c.image = ImageOps.mirror(c.image)
    c.draw = ImageDraw.Draw(c.image)


def _font(c: Canvas, size: float) -> ImageFont.FreeTypeFont:
    return font(round(size * c.scale), bold=True)


def _wrap(c: Canvas, value: str, size: float, room: float) -> str:
    """Break `value` into lines no wider than `room` (logical px); a long word stays whole."""
    lines: list[str] = []
    for word in value.split():
        line = f"{lines[-1]} {word}" if lines else word
        if lines and _font(c, size).getlength(line) <= room * c.scale:
            lines[-1] = line
        else:
            lines.append(word)
    return "\n".join(lines)


def label(c: Canvas, at: Point, value: str, pointer: Point | None = None) -> Box:
    """A label in a white box centred at `at`, kept inside the picture, with an optional leader;
    returns the box (logical px)."""
    f, d, k = _font(c, LABEL_SIZE), c.draw, c.scale
    wrapped = _wrap(c, value, LABEL_SIZE, LABEL_WRAP)
    gap = round(LINE_GAP * k)
    x0, y0, x1, y1 = d.multiline_textbbox(
        (0, 0), wrapped, font=f, anchor="mm", spacing=gap, align="center"
    )
    half_w, half_h, pad = (x1 - x0) / 2 / k, (y1 - y0) / 2 / k, 18
    x = min(max(at[0], half_w + pad + 16), c.width - half_w - pad - 16)
    y = min(max(at[1], half_h + pad + 16), c.height - half_h - pad - 16)
    if pointer:
        d.line([(x * k, y * k), (pointer[0] * k, pointer[1] * k)], fill=INK, width=round(4 * k))
        r = 9 * k
        d.ellipse(
            [pointer[0] * k - r, pointer[1] * k - r, pointer[0] * k + r, pointer[1] * k + r],
            fill=INK,
        )
    frame = (
        (x - half_w - pad) * k,
        (y - half_h - pad) * k,
        (x + half_w + pad) * k,
        (y + half_h + pad) * k,
    )
    d.rounded_rectangle(frame, round(16 * k), WHITE, INK, round(3 * k))
    d.multiline_text((x * k, y * k), wrapped, INK, f, "mm", spacing=gap, align="center")
    return (x - half_w - pad, y - half_h - pad, x + half_w + pad, y + half_h + pad)


def view_cue(
    c: Canvas, view: str, at: Point, size: float = 1.0, caption: bool = True, head_left: bool = True
) -> Box:
    """A little person on a mat and an eye looking at it along an arrow — down from above or
    across from the side — then the view caption: where the camera is, shown, not only told."""
    k = c.scale

    def q(x: float, y: float) -> tuple[float, float]:
        return ((at[0] + x * size) * k, (at[1] + y * size) * k)

    def w(v: float) -> int:
        return max(1, round(v * size * k))

    c.draw.rounded_rectangle([*q(0, 0), *q(170, 112)], w(20), WHITE, INK, w(3))
    c.draw.line([q(10, 96), q(104, 96)], fill=MAT_EDGE, width=w(8))  # the mat, edge on
    head = (12, 32) if head_left else (82, 102)  # the little person lies like the big one
    c.draw.ellipse([*q(head[0], 74), *q(head[1], 94)], fill=BODY)
    c.draw.line(
        [q(30 if head_left else 16, 86), q(98 if head_left else 84, 86)], fill=BODY, width=w(14)
    )
    if view == "view.top":
        _eye(c, q, w, (58, 24))
        c.draw.line([q(58, 40), q(58, 58)], fill=ARROW, width=w(8))
        c.draw.polygon([q(46, 56), q(70, 56), q(58, 72)], fill=ARROW)
    else:
        _eye(c, q, w, (146, 84))
        c.draw.line([q(126, 84), q(118, 84)], fill=ARROW, width=w(8))
        c.draw.polygon([q(120, 72), q(120, 96), q(106, 84)], fill=ARROW)
    if not caption:
        return (at[0], at[1], at[0] + 170 * size, at[1] + 112 * size)
    return _line(
        c, (at[0] + 190 * size, at[1] + 58 * size), text(view), INK, "lm", size=LABEL_SIZE * size
    )


def _eye(
    c: Canvas,
    q: Callable[[float, float], tuple[float, float]],
    w: Callable[[float], int],
    at: Point,
) -> None:
    x, y = at
    upper = [q(x - 22 + i * 2.2, y - math.sin(math.pi * i / 20) * 13) for i in range(21)]
    lower = [q(x + 22 - i * 2.2, y + math.sin(math.pi * i / 20) * 13) for i in range(21)]
    c.draw.polygon(upper + lower, fill=WHITE, outline=INK, width=w(4))
    c.draw.ellipse([*q(x - 8, y - 8), *q(x + 8, y + 8)], fill=INK)


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
    language; the labels' boxes ("label"), the badge's, the step count's and the view caption's
    are added to `boxes` when given (tests measure the text inside them)."""
    found: dict[str, list[Box]] = {"label": [], "badge": [], "count": [], "view": []}
    stretch_key, _, which = picture_key.partition("/")
    stretch = routine.stretch(stretch_key)
    still = STILLS[picture_key]
    c = Canvas()
    _figure(c, still.pose)
    if still.extras:
        still.extras(c)  # in figure units, framed like the pose
    c.zoom, c.origin = 1.0, (0.0, 0.0)
    mirrored = side != SIDES[0]
    if mirrored:
        _mirrored(c)

    def x(v: float) -> float:
        return WIDTH - v if mirrored else v

    for note in still.notes:
        tip = _framed(still.pose, note.pointer) if note.pointer else None
        pointer = (x(tip[0]), tip[1]) if tip else None
        box = label(c, (x(note.at[0]), note.at[1]), text(note.label_id, side), pointer)
        found["label"].append(box)
    badge = _badge(c, text(f"badge.{stretch_key}", side))
    found["badge"].append(badge)
    count = (
        text("hold") if which == "hold" else text("step", number=which, count=len(stretch.steps))
    )
    # The count shares the top row with the badge: a long translation must leave a gap.
    within = (badge[2] + 24, WIDTH)
    found["count"].append(_line(c, (WIDTH - 44, 56), count, MUTED, "rm", within, BADGE_SIZE))
    found["view"].append(view_cue(c, still.pose.view(), VIEW_CUE_AT, head_left=not mirrored))
    if boxes is not None:
        boxes.update(found)
    return c.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


# ── The pictures of the screens around the steps ──


def render_intro(routine: Routine) -> Image.Image:
    """Both stretches at a glance: each one's hold, side by side, with its name."""
    c = Canvas()
    _line(c, (WIDTH / 2, 100), text("intro.title"), INK, "mm")
    for i, stretch in enumerate(routine.stretches):
        pose = STILLS[stretch.hold.picture_key].pose
        _panel(c, (i * 640 + 10, 190, 620, 330), 0.6, pose, text(f"intro.{stretch.key}"))
    return c.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def render_log(routine: Routine) -> Image.Image:
    """Every stretch and side of the "Log sets" grid, in its order: a row per stretch."""
    c = Canvas()
    _line(c, (WIDTH / 2, 54), text("log.title"), INK, "mm")
    for row, stretch in enumerate(routine.stretches):
        pose = STILLS[stretch.hold.picture_key].pose
        for col, side in enumerate(SIDES):
            box = (col * 640 + 20, 110 + row * 345, 600, 230)
            _panel(c, box, 0.44, pose, text(f"badge.{stretch.key}", side), side != SIDES[0])
    return c.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def _panel(
    c: Canvas,
    box: tuple[float, float, float, float],
    zoom: float,
    pose: Pose,
    title: str,
    mirrored: bool = False,
) -> None:
    """A small figure centred in `box` (left, top, width, height), its title underneath."""
    left, top, width, height = box
    small = Canvas(round(WIDTH * zoom), round(HEIGHT * zoom))
    _figure(small, pose, zoom)
    if mirrored:
        _mirrored(small)
    blank = Image.new("RGB", small.image.size, BACKGROUND)
    crop = small.image.crop(ImageChops.difference(small.image, blank).getbbox())
    x = (left + width / 2) * SCALE - crop.width / 2
    y = (top + height / 2) * SCALE - crop.height / 2
    c.image.paste(crop, (round(x), round(y)))
    _line(
        c, (left + width / 2, top + height + 50), title, INK, "mm", (left, left + width), BADGE_SIZE
    )


# ── Animations: the poses from the first step to the hold, eased, looping ──


@dataclass(frozen=True)
class Beat:
    """Part of an animation: ease from the previous pose to `pose` over `seconds`
    (a cross-fade when the camera changes), or stay on it when `move` is False."""

    pose: Pose
    seconds: float
    move: bool = True


TIMELINES: dict[str, tuple[Beat, ...]] = {
    "lower_back": (
        Beat(KNEES_UP, 0.6, move=False),
        Beat(CROSSED, 0.9),
        Beat(CROSSED, 0.4, move=False),
        Beat(TOP_CROSSED, 0.6),  # the camera moves above: a cross-fade
        Beat(TOP_CROSSED, 0.3, move=False),
        Beat(DROPPED, 1.1),
        Beat(DROPPED, 0.3, move=False),
        Beat(PULLED, 0.6),
        Beat(PUSHED, 0.6),
        Beat(PUSHED, 1.4, move=False),
        Beat(KNEES_UP, 0.6),  # back to the start: the loop closes with a cross-fade
    ),
    "mid_trunk": (
        Beat(ARMS_TOGETHER, 0.7, move=False),
        Beat(ARM_UP, 1.1),
        Beat(ARM_UP, 0.3, move=False),
        Beat(ARM_OPEN, 1.4),
        Beat(ARM_OPEN, 1.6, move=False),
        Beat(ARMS_TOGETHER, 1.3),
    ),
}


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def frame_count(stretch_key: str) -> int:
    return round(sum(b.seconds for b in TIMELINES[stretch_key]) * FPS)


def animation_frame(stretch_key: str, side: str, index: int) -> Image.Image:
    """Frame `index` of a stretch's animation for `side` (ANIM_WIDTH × ANIM_HEIGHT)."""
    beats = TIMELINES[stretch_key]
    t = index / FPS
    previous = beats[-1].pose
    for beat in beats:
        if t < beat.seconds or beat is beats[-1]:
            share = _ease(min(1.0, t / beat.seconds)) if beat.move else 1.0
            return _frame(previous, beat.pose, share, side)
        t -= beat.seconds
        previous = beat.pose
    raise AssertionError("unreachable")


def _frame(a: Pose, b: Pose, share: float, side: str) -> Image.Image:
    if a.figure == b.figure:
        return _draw_frame(blend(a, b, share), side)
    return Image.blend(_draw_frame(a, side), _draw_frame(b, side), share)


def _draw_frame(pose: Pose, side: str) -> Image.Image:
    c = Canvas(ANIM_WIDTH, ANIM_HEIGHT, ANIM_SCALE)
    _figure(c, pose, ANIM_WIDTH / WIDTH)
    if side != SIDES[0]:
        _mirrored(c)
    view_cue(c, pose.view(), (12, ANIM_HEIGHT - 88), 0.7, False, head_left=side == SIDES[0])
    return c.image.reduce(ANIM_SCALE)


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


def save_png(image: Image.Image, path: Path) -> None:
    # 256 colours look identical for flat art and keep each file small.
    paletted = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    paletted.save(path, format="PNG", optimize=True)


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


def _encode_animation(stretch_key: str, side: str, path: Path) -> None:
    encode(frames(stretch_key, side), path)


if __name__ == "__main__":
    main()
