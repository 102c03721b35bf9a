"""The step pictures and the intro and log pictures: reproducible, committed up to date in
every language, mirrored for the other side, and with text big enough to read on a phone."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps

from coach import i18n
from coach.routine import (
    FIGURES_DIR,
    INTRO_PICTURE,
    LOG_PICTURE,
    SIDES,
    Routine,
    all_pictures,
    figure_path,
)
from coach.texts import texts_for
from coach.tracker_image import font

MIN_TEXT_HEIGHT = 36  # px of capital letters on the 1280-px picture: ~11 px on a 390-px phone
MIN_X_HEIGHT = 27  # px of lower-case letters (x, e, n…) likewise
LABEL_PAD, BADGE_PAD = 18, 20  # the frames' padding around their text (draw_figures)
Box = tuple[float, float, float, float]
# (picture key, side) -> the picture and its text boxes, as draw_figures.render gives them
Drawn = dict[tuple[str, str], tuple[Image.Image, dict[str, list[Box]]]]


@pytest.fixture(scope="module")
def drawings(figures: ModuleType, routine: Routine) -> Callable[[str], Drawn]:
    """Every step picture of a language, drawn once with its boxes: drawing is the slow part."""
    cache: dict[str, Drawn] = {}

    def drawn(language: str) -> Drawn:
        if language not in cache:
            pictures: Drawn = {}
            with figures.use(language):
                for stretch in routine.stretches:
                    for screen in stretch.screens:
                        for side in SIDES:
                            boxes: dict[str, list[Box]] = {}
                            image = figures.render(routine, screen.picture_key, side, boxes)
                            pictures[screen.picture_key, side] = (image, boxes)
            cache[language] = pictures
        return cache[language]

    return drawn


def text_heights(
    image: Image.Image, box: tuple[float, float, float, float], ink: int
) -> list[tuple[int, int]]:
    """(cap height, x-height) in pixels of each text line in `box`, measured on its ink
    (luminance below 100, or above 250 for white text when `ink` is 255): rows with ink split
    into lines, glyphs split by empty columns, the baseline is the most common glyph bottom;
    the cap height is the line's first glyph (every label starts with a capital), the
    x-height the median of the glyphs standing on the baseline that are clearly shorter."""
    crop = image.crop((round(box[0]), round(box[1]), round(box[2]), round(box[3]))).convert("L")
    inked = crop.point(lambda v: 255 if (v < 100 if ink == 0 else v > 250) else 0)
    width, height = inked.size
    pixels = inked.load()
    assert pixels is not None
    rows = [any(pixels[x, y] for x in range(width)) for y in range(height)]
    lines, start = [], None
    for y, on in enumerate([*rows, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            lines.append((start, y))
            start = None
    measured = []
    for top, bottom in lines:
        if bottom - top < 8:  # a leader line or the frame's edge, not text
            continue
        glyphs, run = [], None
        for x in range(width + 1):
            ys = [y for y in range(top, bottom) if x < width and pixels[x, y]]
            if ys:
                run = [min(ys), max(ys)] if run is None else [min(run[0], *ys), max(run[1], *ys)]
            elif run is not None:
                glyphs.append(run)
                run = None
        baseline = Counter(g[1] for g in glyphs).most_common(1)[0][0]
        standing = [baseline - g[0] + 1 for g in glyphs if abs(g[1] - baseline) <= 2]
        short = sorted(h for h in standing if h < 0.85 * max(standing)) or [0]
        measured.append((glyphs[0][1] - glyphs[0][0] + 1, short[len(short) // 2]))
    return measured


def test_drawing_twice_gives_the_same_bytes(
    figures: ModuleType, routine: Routine, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    figures.write(routine, "lower_back/2", "right", first)
    figures.write(routine, "lower_back/2", "right", second)
    assert first.read_bytes() == second.read_bytes()
    with Image.open(first) as image:
        assert image.size == (1280, 800)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_step_and_side_has_its_picture_and_so_do_intro_and_log(
    routine: Routine, language: str
) -> None:
    paths = all_pictures(routine, language)
    assert len(paths) == len(set(paths)) == 20
    intro, log = figure_path(INTRO_PICTURE, language), figure_path(LOG_PICTURE, language)
    # English where it always was (existing links and caches), the others in their folder.
    folder = FIGURES_DIR if language == i18n.DEFAULT else FIGURES_DIR / language
    for path in [*paths, intro, log]:
        assert path.parent == folder, path
        with Image.open(path) as image:
            assert image.format == "PNG", path.name
            assert image.size == (1280, 800), path.name
        assert path.stat().st_size < 150_000, path.name


# How far the committed pictures may be from today's drawing, in the largest difference of
# one colour channel averaged over an 8×8 block. A machine with another CPU draws the same
# picture a rounding apart: on two VMs the edges' anti-aliasing moved by a level or two, and
# the median-cut palette (fed those edges) picked a few other shades, up to 32 in one block of
# the log picture's shading. Pictures left stale by a change to the drawing (round 3's against
# round 4's script) are 188-192 apart.
STALE_BLOCK = 48


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_committed_pictures_match_the_script(
    figures: ModuleType, routine: Routine, drawings: Callable[[str], Drawn], language: str
) -> None:
    # Compared by what they show, not byte by byte: another zlib build or CPU must not fail it.
    drawn = drawings(language)
    expected = {
        screen.picture_path(side, language): drawn[screen.picture_key, side][0]
        for stretch in routine.stretches
        for screen in stretch.screens
        for side in SIDES
    }
    with figures.use(language):
        expected[figure_path(INTRO_PICTURE, language)] = figures.render_intro(routine)
        expected[figure_path(LOG_PICTURE, language)] = figures.render_log(routine)
    for path, image in expected.items():
        with Image.open(path) as committed:
            quantized = figures.quantize(image).convert("RGB")
            assert committed.size == quantized.size, path
            difference = ImageChops.difference(committed.convert("RGB"), quantized)
        name = path.relative_to(FIGURES_DIR)
        blocks = int(np.asarray(difference.reduce(8)).max())
        assert blocks <= STALE_BLOCK, f"{name} is stale ({blocks} apart): run `make figures`"


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_every_picture_speaks_its_language(
    figures: ModuleType, routine: Routine, drawings: Callable[[str], Drawn], language: str
) -> None:
    english_pictures = drawings(i18n.DEFAULT)
    for key, (image, _) in drawings(language).items():
        assert image.tobytes() != english_pictures[key][0].tobytes(), (language, key)
    for label_id, template in figures.LABELS.items():
        english = {side: figures.text(label_id, side, number=2, count=5) for side in SIDES}
        with figures.use(language):
            words = {side: figures.text(label_id, side, number=2, count=5) for side in SIDES}
        for side in SIDES:
            assert "{" not in words[side] and words[side] != english[side], (label_id, side)
        if figures.is_sided(template):  # a whole text per side, and the sides differ
            assert words["left"] != words["right"], label_id


def test_a_translation_too_long_for_its_place_stops_the_drawing(figures: ModuleType) -> None:
    canvas = figures.Canvas()
    with pytest.raises(ValueError, match="too long"):
        figures._line(canvas, (640, 100), "Zweiundzwanzig Drehungen " * 3, (0, 0, 0), "mm")


def test_the_other_side_is_the_mirror_image(drawings: Callable[[str], Drawn]) -> None:
    rendered = {key: image for key, (image, _) in drawings(i18n.DEFAULT).items()}
    for key in {key for key, _ in rendered}:
        left, right = rendered[key, "left"], rendered[key, "right"]
        assert left.tobytes() != right.tobytes(), key
        # Apart from the labels, which are written the right way round, the drawing flips.
        diff = ImageChops.difference(ImageOps.mirror(left), right).convert("L")
        changed = sum(diff.point(lambda v: 255 if v > 40 else 0).histogram()[255:])
        assert changed < 0.2 * 1280 * 800, key
        assert changed > 0, key


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_label_is_at_least_36_px_tall_on_the_png(
    routine: Routine, drawings: Callable[[str], Drawn], language: str
) -> None:
    """Measured by pixels on the saved 1280-px PNGs: each label and the badge."""
    caps: list[int] = []
    xs: list[int] = []
    drawn = drawings(language)
    for stretch in routine.stretches:
        for screen in stretch.screens:
            for side in SIDES:
                boxes = drawn[screen.picture_key, side][1]
                assert boxes["label"], screen.picture_key  # every picture has its label
                with Image.open(screen.picture_path(side, language)) as committed:
                    image = committed.convert("RGB")
                for x0, y0, x1, y1 in boxes["label"]:  # inside the frame, clear of its border
                    lines = text_heights(image, (x0 + 8, y0 + 8, x1 - 8, y1 - 8), ink=0)
                    # On the committed PNG: the frame holds text, in one or two short lines.
                    assert 1 <= len(lines) <= 2, (language, screen.picture_key, side)
                    caps.append(lines[0][0])  # later lines of a wrapped label may start small
                    xs += [x for _, x in lines if x]  # 0: a line like "thigh" has no x glyph
                b0, b1, b2, b3 = boxes["badge"][0]
                [(cap, _)] = text_heights(image, (b0 + 12, b1 + 8, b2 - 12, b3 - 8), ink=255)
                caps.append(cap)  # the badge is in capitals: no x-height
    assert len(caps) >= 20 * 2 and len(xs) >= 20
    assert min(caps) >= MIN_TEXT_HEIGHT, sorted(caps)[:5]
    assert min(xs) >= MIN_X_HEIGHT, sorted(xs)[:5]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_labels_keep_clear_of_the_badge_and_the_count(
    drawings: Callable[[str], Drawn], language: str
) -> None:
    """A long translation must not run its words into the badge's or the step count's, nor into
    another label's (the frames may touch, as "Left ankle on right thigh" touches the badge's)."""
    for key, (_, boxes) in drawings(language).items():
        (b0, b1, b2, b3), count = boxes["badge"][0], boxes["count"][0]
        badge = (b0 + BADGE_PAD, b1 + BADGE_PAD, b2 - BADGE_PAD, b3 - BADGE_PAD)
        assert b2 + 24 <= count[0], (language, key)  # the top row's two texts
        for x0, y0, x1, y1 in boxes["label"]:
            words = (x0 + LABEL_PAD, y0 + LABEL_PAD, x1 - LABEL_PAD, y1 - LABEL_PAD)
            assert x0 >= 0 and y0 >= 0 and x1 <= 1280 and y1 <= 800, (language, key)
            for other in (badge, count):
                assert not _overlap(words, other), (language, key, other)
        for a, b in itertools.combinations(boxes["label"], 2):
            assert not _overlap(a, b), (language, key)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_text_measure_sees_small_text_as_small() -> None:
    """The measure above can fail: text drawn at 30 and 50 px measures what DejaVu Sans Bold's
    metrics say (cap height 0.73 em, x-height 0.55 em)."""
    for size in (30, 50):
        image = Image.new("RGB", (900, 120), (255, 255, 255))
        ImageDraw.Draw(image).text((20, 20), "Knees up, feet flat", (45, 62, 80), font(size, True))
        [(cap, x)] = text_heights(image, (0, 0, 900, 120), ink=0)
        assert cap == pytest.approx(0.73 * size, abs=1.5)
        assert x == pytest.approx(0.55 * size, abs=1.5)


def _coral_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    """The share of `box` drawn in the moving limbs' coral."""
    crop = image.crop(box).convert("RGB")
    pixels = cast(list[tuple[int, int, int]], list(crop.get_flattened_data()))
    coral = sum(1 for r, g, b in pixels if abs(r - 229) + abs(g - 122) + abs(b - 95) < 30)
    return coral / (crop.width * crop.height)


def test_intro_shows_both_stretches_and_log_all_four_sides(
    figures: ModuleType, routine: Routine
) -> None:
    intro, log = figures.render_intro(routine), figures.render_log(routine)
    for half in ((0, 124, 640, 684), (640, 124, 1280, 684)):
        assert _coral_share(intro, half) > 0.005, half  # a figure with its moving limbs
    for quarter in (
        (0, 90, 640, 440),
        (640, 90, 1280, 440),
        (0, 440, 640, 800),
        (640, 440, 1280, 800),
    ):
        assert _coral_share(log, quarter) > 0.005, quarter
    assert _coral_share(intro, (0, 690, 1280, 800)) == 0  # the names sit on a plain ground


# ── The 3D model: the floor is always there, and the body rests on it ──


def test_every_pose_rests_on_the_floor(figures: ModuleType) -> None:
    """From the model: the lowest point of every pose (each still and each pose an animation
    passes through) lies on the floor plane, neither sunk into the mat nor floating, and the
    trunk is down too: lying, not kneeling."""
    for stretch_key, beats in figures.TIMELINES.items():
        for beat in beats:
            prims = figures.primitives(beat.pose, beat.active)
            lowest = min(p.lowest() for p in prims)
            assert -0.012 <= lowest <= 0.002, (stretch_key, lowest)
            trunk = min(p.lowest() for p in prims if p.group == "torso")
            assert trunk <= 0.035, (stretch_key, trunk)  # m: the trunk lies on the mat


def test_every_picture_shows_the_mat_under_a_body_that_touches_it(
    figures: ModuleType,
) -> None:
    """From the image: the mat's colour fills a band under the body, and the body's pixels sit
    directly on the contact shadow (a floating body would cast a faint one, well apart)."""
    mat = np.array(figures.MAT)
    for key, still in figures.STILLS.items():
        stretch_key = key.partition("/")[0]
        frame = figures.scene_frame(stretch_key, still.pose, still.active, 1280, 800)
        body = frame.group >= 3
        # Under each column of the body, the pixels just below its lowest point.
        height = body.shape[0]
        lowest = height - 1 - np.argmax(body[::-1], axis=0)
        columns = np.nonzero(body.any(axis=0))[0]
        below = [
            frame.image[y, c]
            for c in columns
            for y in range(lowest[c] + 8, min(lowest[c] + 40, height))
        ]
        assert len(below) > 20 * len(columns), key  # room under the body
        # The mat's colour, lit or darkened towards the shadow's: near the segment between them.
        pixels = np.array(below, dtype=float)
        toward = np.array(figures.SHADOW, dtype=float) - mat
        t = np.clip(((pixels - mat) @ toward) / (toward @ toward), 0, 1)
        near_mat = np.linalg.norm(pixels - mat - t[:, None] * toward, axis=1) < 20
        assert near_mat.mean() > 0.6, (key, near_mat.mean())
        assert _contact(frame) > 2000, (key, _contact(frame))


def _contact(frame: Any) -> int:
    """Floor pixels right beside the body (within 6 px at 2×) in a deep contact shadow."""
    body = frame.group >= 3
    beside = np.zeros_like(body)
    for dy in (-6, 0, 6):
        for dx in (-6, 0, 6):
            beside |= np.roll(np.roll(body, dy, axis=0), dx, axis=1)
    return int((~body & beside & (frame.shadow >= 150)).sum())


def test_a_floating_body_fails_the_contact_check(figures: ModuleType) -> None:
    """The check above can fail: lifted 12 cm off the mat, the same pose casts no deep shadow
    beside it."""
    pose = figures.STILLS["mid_trunk/1"].pose
    lifted = [_lifted(p, 0.12) for p in figures.primitives(pose)]
    setting = figures.SETTINGS["mid_trunk"]
    frame = figures.scene.render(
        lifted, figures.MATERIALS, setting.camera, setting.mat, figures.LOOK, 1280, 800
    )
    assert _contact(frame) < 100


def _lifted(prim: Any, dz: float) -> Any:
    if hasattr(prim, "parts"):  # a blob: each of its parts
        return dataclasses.replace(prim, parts=tuple(_lifted(p, dz) for p in prim.parts))
    if hasattr(prim, "center"):
        c = prim.center
        return dataclasses.replace(prim, center=(c[0], c[1], c[2] + dz))
    a, b = prim.a, prim.b
    return dataclasses.replace(prim, a=(a[0], a[1], a[2] + dz), b=(b[0], b[1], b[2] + dz))


# ── Words: one name per stretch per language ──


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_intro_names_each_stretch_by_its_short_title(
    figures: ModuleType, routine: Routine, language: str
) -> None:
    """The intro's panel titles are the routine's own short titles (the names the texts and the
    summary use), from the same catalog entries: one name per stretch in every language."""
    with figures.use(language):
        names = figures.intro_names(routine)
    spoken = texts_for(language)
    expected = [
        f"{i} · {spoken.gettext(stretch.short_title)}"
        for i, stretch in enumerate(routine.stretches, 1)
    ]
    assert names == expected
    if language != i18n.DEFAULT:
        assert names != figures.intro_names(routine)  # translated, not the English fallback
    # No label of the pictures names a stretch on its own (a second catalog entry could drift).
    for template in figures.LABELS.values():
        for stretch in routine.stretches:
            assert stretch.short_title.lower() not in template.lower(), template


def test_the_russian_mid_trunk_is_called_one_thing(figures: ModuleType, routine: Routine) -> None:
    russian = texts_for("ru")
    name = russian.gettext(routine.stretch("mid_trunk").short_title)
    with figures.use("ru"):
        intro = figures.intro_names(routine)[1]
    title = russian.gettext(routine.stretch("mid_trunk").title)
    assert intro.endswith(name)
    assert name.split()[0].lower()[:5] in title.lower()  # the long title says the same


# ── The colour code: coral marks only the limbs that move or act in a step ──

# From the article: what moves or acts in each step (the badge names the side).
MOVING = {
    "lower_back/1": {"leg_L", "leg_R"},  # the start: knees up, feet flat
    "lower_back/2": {"leg_L"},  # the left leg crosses over
    "lower_back/3": {"leg_L"},  # both fall; the left, on top, lands its foot on the floor
    "lower_back/4": {"arm_R"},  # the right hand eases the left knee down
    "lower_back/5": {"arm_L"},  # the left palm presses behind the left hip
    "lower_back/hold": {"arm_R", "arm_L"},  # 4 and 5 together: the hands at work, legs resting
    "mid_trunk/1": set(),  # the start: nothing moves yet
    "mid_trunk/2": {"arm_L"},  # the top arm rises
    "mid_trunk/3": {"arm_L"},  # and opens behind
    "mid_trunk/hold": {"arm_L"},
}
LIMBS = ("arm_L", "arm_R", "leg_L", "leg_R")


def _coral(pixels: np.ndarray, figures: ModuleType) -> np.ndarray:
    """Which pixels are coral, lit or in the shaded tone (the look's `shade` of it)."""
    coral = np.array(figures.ACTIVE, dtype=float)
    shaded = coral * figures.LOOK.shade
    near = [np.abs(pixels.astype(float) - tone).sum(axis=-1) < 40 for tone in (coral, shaded)]
    return np.asarray(near[0] | near[1])


def test_only_the_limbs_that_move_in_a_step_are_coral(figures: ModuleType) -> None:
    """By pixel colour in each limb's own screen area (the ray caster's part map): a limb
    named for the step is mostly coral, every other limb and the trunk have none."""
    assert set(MOVING) == set(figures.STILLS)
    for key, still in figures.STILLS.items():
        assert set(still.active) == MOVING[key], key
        stretch_key = key.partition("/")[0]
        frame = figures.scene_frame(stretch_key, still.pose, still.active, 1280, 800)
        coral = _coral(frame.image, figures)
        for group, name in enumerate(frame.groups, start=3):
            area = frame.group == group
            if not area.any():
                continue
            share = float(coral[area].mean())
            if name in MOVING[key]:
                assert share > 0.6, (key, name, share)
            else:
                assert share < 0.01, (key, name, share)
        for limb in MOVING[key]:
            assert (frame.group == 3 + frame.groups.index(limb)).sum() > 2000, (key, limb)


def test_the_animations_colour_what_moves_in_each_beat(figures: ModuleType) -> None:
    """An animation resting on a step's pose colours it as that step's picture does; on the way
    it colours the limbs of one of its steps (those that are moving)."""
    for stretch_key, beats in figures.TIMELINES.items():
        stills = [s for k, s in figures.STILLS.items() if k.startswith(f"{stretch_key}/")]
        for beat in beats:
            if beat.move:
                assert beat.active in {s.active for s in stills}, (stretch_key, beat.active)
            else:
                same = {s.active for s in stills if s.pose == beat.pose}
                assert beat.active in same, (stretch_key, beat.active)


# ── The cameras: where the viewer is makes the article's facts plain ──


def _x(figures: ModuleType, stretch_key: str, point: Any) -> tuple[float, float]:
    [(x, y)] = figures.project(stretch_key, [tuple(float(v) for v in point)])
    return x, y


def test_the_lower_back_is_seen_over_the_head_left_on_the_left(figures: ModuleType) -> None:
    """The camera is behind the head, looking down the body: the person's left hip, knee and
    hand are on the picture's left, the knees fall towards the picture's right, and the left
    foot lands right of where it started."""
    poses = __import__("figures.poses", fromlist=["KNEES_UP"])
    body = __import__("figures.body", fromlist=["joints"])
    up, dropped = body.joints(poses.KNEES_UP), body.joints(poses.DROPPED)
    for part in ("hip", "knee", "shoulder", "wrist"):
        assert (
            _x(figures, "lower_back", up[f"{part}_L"])[0]
            < _x(figures, "lower_back", up[f"{part}_R"])[0]
        ), part
    head, feet = _x(figures, "lower_back", up["head"]), _x(figures, "lower_back", up["ankle_L"])
    assert head[1] > feet[1]  # the head nearest, at the bottom; the feet beyond
    for part in ("knee_L", "knee_R", "ankle_L"):
        before, after = (
            _x(figures, "lower_back", up[part]),
            _x(figures, "lower_back", dropped[part]),
        )
        assert after[0] > before[0] + 100, part  # to the right, plainly
    # On the mirrored picture of the other side, all of it flips with the person.


def test_the_mid_trunk_faces_right_and_opens_to_the_left(figures: ModuleType) -> None:
    """The person lies on the right side facing the picture's right: the nose, the hands and
    the knees are right of the shoulders; the top arm rises above its shoulder, then opens
    behind the back, to the picture's left, staying above the floor."""
    poses = __import__("figures.poses", fromlist=["ARMS_TOGETHER"])
    body = __import__("figures.body", fromlist=["joints"])
    together, up, opened = (
        body.joints(p) for p in (poses.ARMS_TOGETHER, poses.ARM_UP, poses.ARM_OPEN)
    )
    shoulder = _x(figures, "mid_trunk", together["shoulder_L"])
    for part in ("wrist_L", "wrist_R", "knee_L", "knee_R"):
        assert _x(figures, "mid_trunk", together[part])[0] > shoulder[0] + 150, part
    hips = (together["hip_L"] + together["hip_R"]) / 2
    thighs = (together["knee_L"] + together["knee_R"]) / 2 - hips
    arms = together["wrist_R"] - together["shoulder_R"]
    cosine = float(thighs[:2] @ arms[:2] / np.linalg.norm(thighs[:2]) / np.linalg.norm(arms[:2]))
    assert cosine > 0.95  # the thighs run parallel to the arms, on the floor
    assert abs(arms[0]) < 0.1 * np.linalg.norm(arms)  # the arms straight out, square to the trunk
    raised = _x(figures, "mid_trunk", up["wrist_L"])
    assert raised[1] < _x(figures, "mid_trunk", up["shoulder_L"])[1] - 200
    behind = _x(figures, "mid_trunk", opened["wrist_L"])
    assert behind[0] < _x(figures, "mid_trunk", opened["shoulder_L"])[0] - 100
    assert opened["wrist_L"][2] > 0.15  # in the air, held by the trunk
    assert abs(opened["wrist_L"][0] - opened["shoulder_L"][0]) < 0.02  # at shoulder level


def test_the_soft_shadow_keeps_its_shades_in_256_colours(
    figures: ModuleType, drawings: Callable[[str], Drawn]
) -> None:
    """On the PNG's 256 colours the contact shadow must not fall into bands: every pixel of
    the mat's shadow ramp keeps within 2 levels of its true shade (median cut alone left steps
    of 12 and more in the deepest part of the shadow, and Pillow's own mapping onto a finer
    palette still left rings of 4)."""
    mat, dark = np.array(figures.MAT, dtype=float), np.array(figures.SHADOW, dtype=float)
    ramp = dark - mat
    for key in ("lower_back/3", "mid_trunk/1"):
        image = drawings(i18n.DEFAULT)[key, "left"][0]
        pixels = np.asarray(image, dtype=float)
        t = np.clip(((pixels - mat) @ ramp) / (ramp @ ramp), 0, 1)
        on_ramp = (np.linalg.norm(pixels - mat - t[..., None] * ramp, axis=-1) < 2) & (t > 0.03)
        assert on_ramp.sum() > 20_000, key  # a soft shadow is there to keep
        kept = np.asarray(figures.quantize(image).convert("RGB"), dtype=float)
        error = np.abs(kept - pixels).max(axis=-1)[on_ramp]
        assert error.max() <= 2, (key, error.max())
