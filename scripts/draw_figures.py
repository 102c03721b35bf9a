"""Draw one picture per routine step and side into coach/content/figures (`make figures`).

Each pose is drawn once, for the side the article describes ("left"), on a canvas three
times the final size; the "right" picture is that drawing mirrored. Labels are drawn after
mirroring so their text never reads backwards. Output is byte-for-byte reproducible: no
randomness, no timestamps, and Pillow's built-in font rather than whatever the machine has.
Colour code: the moving side's limbs are coral, the other side's limbs a paler blue.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coach.routine import SIDES, Routine, Stretch, fill, load_routine

WIDTH, HEIGHT, SCALE = 1280, 800, 3
Point = tuple[float, float]

BACKGROUND = (247, 243, 234)
MAT, MAT_EDGE = (170, 206, 196), (132, 176, 164)
BODY, BODY_FAR = (74, 111, 165), (150, 176, 212)  # near limbs and torso; far-side limbs
ACTIVE = (229, 122, 95)  # the limbs of the side being stretched
OUTLINE = (45, 62, 80)
SKIN, HAIR = (242, 201, 160), (96, 72, 56)
ARROW, GHOST = (242, 153, 46), (214, 222, 232)
INK, MUTED, WHITE = (45, 62, 80), (110, 120, 130), (255, 255, 255)


@dataclass
class Canvas:
    """A large drawing surface in logical 1280×800 units, plus labels to add after mirroring."""

    image: Image.Image = field(default_factory=lambda: Image.new("RGB", _px(WIDTH, HEIGHT)))
    notes: list[tuple[Point, str, Point | None]] = field(default_factory=list)
    view: str = ""  # "seen from above" / "seen from the side", printed in a corner

    def __post_init__(self) -> None:
        self.image.paste(BACKGROUND, (0, 0, *self.image.size))
        self.draw = ImageDraw.Draw(self.image)

    def limb(
        self, *points: Point, width: float, color: tuple[int, int, int], outline: bool = True
    ) -> None:
        """A rounded limb through `points`, outlined so overlapping limbs stay distinct."""
        layers = ((width + 8, OUTLINE), (width, color)) if outline else ((width, color),)
        for w, c in layers:
            for a, b in itertools.pairwise(points):
                self.draw.line([_p(a), _p(b)], fill=c, width=round(w * SCALE))
            for pt in points:
                self.dot(pt, w / 2, c)

    def dot(self, center: Point, radius: float, color: tuple[int, int, int]) -> None:
        x, y = center
        box = [_p((x - radius, y - radius)), _p((x + radius, y + radius))]
        self.draw.ellipse(box, fill=color)

    def head(self, center: Point, crown: float, eye: float | None = None) -> None:
        """A friendly head: hair around the `crown` angle (degrees, Pillow's clockwise from +x);
        one eye at angle `eye` in profile, or, seen from above (eye=None), eyes and a smile."""
        x, y = center
        r = 50
        self.dot(center, r + 4, OUTLINE)
        self.dot(center, r, SKIN)
        box = [_p((x - r, y - r)), _p((x + r, y + r))]
        self.draw.pieslice(box, crown - 70, crown + 70, fill=HAIR)
        if eye is None:  # face towards the camera; the chin points away from the crown
            ux, uy = -math.cos(math.radians(crown)), -math.sin(math.radians(crown))
            for side in (-1, 1):
                self.dot((x + ux * 5 - uy * 16 * side, y + uy * 5 + ux * 16 * side), 5, INK)
            mouth = (x + ux * 28, y + uy * 28)
            self.dot(mouth, 8, INK)
            self.dot((mouth[0] - ux * 4, mouth[1] - uy * 4), 8, SKIN)
        else:
            ex = x + math.cos(math.radians(eye)) * r * 0.55
            ey = y + math.sin(math.radians(eye)) * r * 0.55
            self.dot((ex, ey), 6, INK)

    def mat(self, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        radius = min(28, (y1 - y0) / 2) * SCALE
        self.draw.rounded_rectangle([_p((x0, y0)), _p((x1, y1))], radius, MAT, MAT_EDGE, 3 * SCALE)

    def arrow(self, start: Point, bend: Point, end: Point) -> None:
        """A curved arrow from `start` to `end`, pulled towards `bend` (a quadratic Bézier)."""
        pts = [_bezier(start, bend, end, i / 40) for i in range(41)]
        tip, before = pts[-1], pts[-5]
        angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
        head = [
            (tip[0] + math.cos(angle) * 22, tip[1] + math.sin(angle) * 22),
            (tip[0] + math.cos(angle + 2.3) * 30, tip[1] + math.sin(angle + 2.3) * 30),
            (tip[0] + math.cos(angle - 2.3) * 30, tip[1] + math.sin(angle - 2.3) * 30),
        ]
        for w, c in ((22, WHITE), (12, ARROW)):
            self.draw.line([_p(pt) for pt in pts[:-2]], fill=c, width=w * SCALE, joint="curve")
        self.draw.polygon([_p(pt) for pt in head], fill=ARROW, outline=WHITE, width=3 * SCALE)

    def note(self, at: Point, text: str, pointer: Point | None = None) -> None:
        """A text label centred at `at` (drawn unmirrored later), with an optional leader line."""
        self.notes.append((at, text, pointer))


def _p(pt: Point) -> tuple[float, float]:
    return (pt[0] * SCALE, pt[1] * SCALE)


def _px(w: float, h: float) -> tuple[int, int]:
    return (round(w * SCALE), round(h * SCALE))


def _bezier(a: Point, b: Point, c: Point, t: float) -> Point:
    u = 1 - t
    return (
        u * u * a[0] + 2 * u * t * b[0] + t * t * c[0],
        u * u * a[1] + 2 * u * t * b[1] + t * t * c[1],
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: identical on every machine, unlike system fonts.
    return ImageFont.load_default(size=size * SCALE)


# ── Lower back: side view (head left, camera at the right side), then from above. ──
FLOOR = 560


def _supine_side(c: Canvas) -> None:
    c.mat((100, FLOOR, 1180, FLOOR + 26))
    c.limb((360, FLOOR - 46), (640, FLOOR - 46), width=92, color=BODY)
    c.limb((365, FLOOR - 36), (480, FLOOR - 20), (595, FLOOR - 18), width=30, color=BODY_FAR)
    c.head((262, FLOOR - 54), crown=165, eye=250)
    c.view = "seen from the side"


def lower_back_knees_up(c: Canvas) -> None:
    _supine_side(c)
    c.limb((640, FLOOR - 52), (795, FLOOR - 250), (905, FLOOR - 30), width=52, color=ACTIVE)
    c.limb((905, FLOOR - 16), (965, FLOOR - 16), width=26, color=ACTIVE)
    c.limb((640, FLOOR - 46), (775, FLOOR - 262), (885, FLOOR - 30), width=54, color=BODY_FAR)
    c.limb((885, FLOOR - 16), (945, FLOOR - 16), width=28, color=BODY_FAR)
    c.note((800, FLOOR - 370), "knees up", (780, FLOOR - 290))
    c.note((915, FLOOR + 90), "feet flat on the floor", (915, FLOOR - 10))


def lower_back_cross(c: Canvas) -> None:
    _supine_side(c)
    # The crossing leg's knee turns out behind the near thigh; its ankle lies on top of it.
    c.limb((640, FLOOR - 56), (585, FLOOR - 255), (740, FLOOR - 222), width=50, color=ACTIVE)
    c.limb((640, FLOOR - 46), (775, FLOOR - 262), (885, FLOOR - 30), width=54, color=BODY_FAR)
    c.limb((885, FLOOR - 16), (945, FLOOR - 16), width=28, color=BODY_FAR)
    c.limb((715, FLOOR - 226), (810, FLOOR - 214), width=34, color=ACTIVE)
    c.arrow((990, FLOOR - 60), (1010, FLOOR - 270), (850, FLOOR - 250))
    c.note((900, FLOOR - 400), "{side} ankle rests on the {other} thigh", (770, FLOOR - 220))


def _supine_top(c: Canvas) -> None:
    c.limb((262, 400), (310, 400), width=56, color=SKIN)  # neck
    c.draw.rounded_rectangle([_p((300, 302)), _p((575, 498))], 70 * SCALE, BODY, OUTLINE, 4 * SCALE)
    c.draw.rounded_rectangle([_p((520, 325)), _p((665, 475))], 60 * SCALE, BODY, OUTLINE, 4 * SCALE)
    c.limb((540, 400), (560, 400), width=120, color=BODY)  # hides the seam at the waist
    c.head((215, 400), crown=180)
    c.view = "seen from above"


def _legs_dropped(c: Canvas) -> None:
    # Both knees have fallen to the person's right (image bottom); the left leg lies on top.
    c.limb((615, 440), (690, 645), (880, 625), width=54, color=BODY_FAR)
    c.limb((880, 625), (940, 625), width=28, color=BODY_FAR)
    c.limb((615, 360), (725, 605), (860, 695), width=52, color=ACTIVE)
    c.limb((860, 700), (928, 705), width=30, color=ACTIVE)


def _free_arms(c: Canvas, right: bool = True) -> None:
    c.mat((90, 130, 1190, 770))
    c.limb((335, 325), (430, 220), (530, 180), width=30, color=ACTIVE)
    if right:
        c.limb((335, 475), (430, 580), (530, 620), width=30, color=BODY_FAR)


def lower_back_drop(c: Canvas) -> None:
    _free_arms(c)
    _supine_top(c)
    _legs_dropped(c)
    c.arrow((720, 330), (900, 380), (860, 560))
    c.note((420, 720), "shoulders stay on the mat", (350, 480))
    c.note((1000, 300), "both knees drop to your {other}")


def _pull(c: Canvas) -> None:
    c.limb((335, 475), (505, 560), (715, 600), width=30, color=BODY_FAR)
    c.dot((722, 600), 24, OUTLINE)
    c.dot((722, 600), 20, BODY_FAR)


def lower_back_pull(c: Canvas) -> None:
    _free_arms(c, right=False)
    _supine_top(c)
    _legs_dropped(c)
    _pull(c)
    c.arrow((790, 520), (830, 580), (800, 650))
    c.note((980, 380), "{other} hand eases the knee down", (735, 590))


def lower_back_push(c: Canvas, hold: bool = False) -> None:
    # The palm slides under the lifted hip, so it is drawn before the body covers it.
    c.mat((90, 130, 1190, 770))
    c.limb((335, 325), (470, 250), (590, 330), width=30, color=ACTIVE)
    c.dot((600, 345), 28, OUTLINE)
    c.dot((600, 345), 24, ACTIVE)
    _supine_top(c)
    for i in range(0, 360, 30):  # a dotted outline where the palm hides under the hip
        a = math.radians(i)
        c.dot((600 + math.cos(a) * 30, 350 + math.sin(a) * 30), 5, ACTIVE)
    _legs_dropped(c)
    _pull(c)
    if not hold:
        c.arrow((590, 195), (625, 235), (605, 300))
        c.note((360, 190), "{side} palm behind the hip", (560, 330))
        c.note((860, 250), "a gentle, steady push")


def lower_back_hold(c: Canvas) -> None:
    lower_back_push(c, hold=True)
    c.note((940, 250), "the tiniest pressure is enough")
    c.note((940, 300), "breathe slowly")


# ── Mid trunk: seen from above, lying on the right side, facing the image bottom. ──
SHOULDER, HIP = (520.0, 410.0), (800.0, 410.0)


def _side_lying(c: Canvas, top_arm: Sequence[Point] | None, shadow: bool = False) -> None:
    c.mat((150, 100, 1180, 780))
    if shadow:  # the raised arm's shadow on the mat: it floats above the floor
        c.limb((560, 400), (585, 140), width=34, color=(150, 190, 179), outline=False)
    c.limb((815, 430), (815, 670), (1040, 680), width=56, color=BODY_FAR)  # lower leg
    c.limb((505, 430), (505, 730), width=30, color=BODY_FAR)  # lower arm on the floor
    c.limb(SHOULDER, HIP, width=120, color=BODY)
    c.limb(HIP, (800, 655), (1030, 660), width=56, color=BODY)  # top leg
    c.head((415, 410), crown=235, eye=125)
    if top_arm:
        c.limb(SHOULDER, *top_arm, width=30, color=ACTIVE)
    c.view = "seen from above"


def mid_trunk_side_lying(c: Canvas) -> None:
    _side_lying(c, [(525, 725)])
    c.note((290, 690), "arms together", (480, 650))
    c.note((1000, 520), "thighs parallel to arms", (825, 560))
    c.note((1000, 220), "lying on your {other} side")


def mid_trunk_raise(c: Canvas) -> None:
    _side_lying(c, None)
    c.limb(SHOULDER, (525, 725), width=30, color=GHOST)  # where the arm started
    c.dot(SHOULDER, 44, OUTLINE)  # the raised arm, seen end-on from above
    c.dot(SHOULDER, 38, ACTIVE)
    c.dot(SHOULDER, 16, (245, 176, 156))
    c.arrow((590, 700), (660, 500), (575, 440))
    c.note((930, 230), "{side} arm points at the ceiling", (560, 380))


def mid_trunk_open(c: Canvas, hold: bool = False) -> None:
    _side_lying(c, [(520, 130)], shadow=True)
    if not hold:
        c.arrow((600, 690), (770, 400), (600, 160))
        c.note((960, 220), "{side} arm opens slowly behind you")


def mid_trunk_hold(c: Canvas) -> None:
    mid_trunk_open(c, hold=True)
    c.note((900, 200), "it stops where your trunk stops it")
    c.note((900, 250), "most arms stay up in the air")
    c.note((900, 300), "breathe slowly")


POSES: dict[str, Callable[[Canvas], None]] = {
    "lower_back/1": lower_back_knees_up,
    "lower_back/2": lower_back_cross,
    "lower_back/3": lower_back_drop,
    "lower_back/4": lower_back_pull,
    "lower_back/5": lower_back_push,
    "lower_back/hold": lower_back_hold,
    "mid_trunk/1": mid_trunk_side_lying,
    "mid_trunk/2": mid_trunk_raise,
    "mid_trunk/3": mid_trunk_open,
    "mid_trunk/hold": mid_trunk_hold,
}


def _badge_text(stretch: Stretch, side: str) -> str:
    word, _, rest = stretch.side_label(side).partition(" ")
    return f"{word.upper()} {rest}"


def _labels(c: Canvas, side: str, badge: str, step: str) -> None:
    mirrored = side != SIDES[0]

    def x(v: float) -> float:
        return WIDTH - v if mirrored else v

    d, small, big = c.draw, _font(30), _font(40)
    for at, template, pointer in c.notes:
        text = fill(template, side)
        pos = _p((x(at[0]), at[1]))
        box = d.textbbox(pos, text, font=small, anchor="mm")
        pad = 10 * SCALE
        if pointer:
            tip = _p((x(pointer[0]), pointer[1]))
            d.line([pos, tip], fill=INK, width=3 * SCALE)
            d.ellipse([tip[0] - 18, tip[1] - 18, tip[0] + 18, tip[1] + 18], fill=INK)
        frame = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
        d.rounded_rectangle(frame, 12 * SCALE, WHITE, INK, 2 * SCALE)
        d.text(pos, text, font=small, fill=INK, anchor="mm")
    # Side badge top left, step counter top right: the same place in every picture.
    box = d.textbbox(_p((40, 50)), badge, font=big, anchor="lm", stroke_width=SCALE)
    d.rounded_rectangle((box[0] - 60, box[1] - 45, box[2] + 60, box[3] + 45), 60, ACTIVE)
    d.text(_p((40, 50)), badge, font=big, fill=WHITE, anchor="lm", stroke_width=SCALE)
    d.text(_p((WIDTH - 40, 50)), step, font=big, fill=MUTED, anchor="rm")
    d.text(_p((WIDTH - 30, HEIGHT - 12)), c.view, font=_font(24), fill=MUTED, anchor="rd")


def render(routine: Routine, picture_key: str, side: str) -> Image.Image:
    """The finished 1280×800 picture for one step (by picture key) and side."""
    stretch_key, _, which = picture_key.partition("/")
    stretch = routine.stretch(stretch_key)
    step = "Hold" if which == "hold" else f"Step {which} of {len(stretch.steps)}"
    canvas = Canvas()
    POSES[picture_key](canvas)
    mirrored = side != SIDES[0]
    if mirrored:
        canvas.image = ImageOps.mirror(canvas.image)
        canvas.draw = ImageDraw.Draw(canvas.image)
    _labels(canvas, side, _badge_text(stretch, side), step)
    return canvas.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def write(routine: Routine, picture_key: str, side: str, path: Path) -> None:
    """Render and save one picture as a compact palette PNG."""
    image = render(routine, picture_key, side)
    # 256 colours look identical for flat art and keep each file small.
    paletted = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    paletted.save(path, format="PNG", optimize=True)


def main() -> None:
    routine = load_routine()
    for stretch in routine.stretches:
        for screen in stretch.screens:
            for side in SIDES:
                path = screen.picture_path(side)
                path.parent.mkdir(parents=True, exist_ok=True)
                write(routine, screen.picture_key, side, path)
                print(f"{path.name}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
