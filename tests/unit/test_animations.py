"""The stretch animations: one MP4 per stretch and side, short, small, H.264, looping through
the same poses as the step pictures, and committed up to date with the script."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import av
import pytest
from PIL import Image, ImageChops

from coach.routine import SIDES, Routine


def decoded(path: Path) -> tuple[list[Image.Image], float, str, str]:
    """Every frame of the video, its container duration (s), codec and pixel format."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        images: list[Image.Image] = [
            frame.to_image()  # type: ignore[no-untyped-call]  # PyAV's stub has no types here
            for frame in container.decode(stream)
        ]
        assert container.duration is not None and stream.pix_fmt is not None
        return images, container.duration / av.time_base, stream.codec_context.name, stream.pix_fmt


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    histogram = ImageChops.difference(a.convert("L"), b.convert("L")).histogram()
    return sum(value * count for value, count in enumerate(histogram)) / (a.width * a.height)


def changed_share(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels whose luminance differs by more than 40: what moved."""
    diff = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: v > 40 and 255)
    return diff.histogram()[255] / (a.width * a.height)


def test_each_stretch_and_side_has_a_short_small_h264_loop(
    figures: ModuleType, routine: Routine
) -> None:
    for stretch in routine.stretches:
        for side in SIDES:
            path = figures.animation_path(stretch.key, side)
            assert path.name == f"{stretch.key}-anim-{side}.mp4"
            assert path.stat().st_size <= 1_000_000, path.name
            images, duration, codec, pix_fmt = decoded(path)
            assert (codec, pix_fmt) == ("h264", "yuv420p"), path.name  # plays on every phone
            assert len(images) == figures.frame_count(stretch.key), path.name
            assert 4 <= len(images) / figures.FPS <= 8, path.name
            assert duration == pytest.approx(len(images) / figures.FPS, abs=0.05), path.name
            assert {image.size for image in images} == {(800, 500)}, path.name
            # It moves, and it loops: the last frame is nearly the first again.
            middle = images[len(images) // 2]
            assert changed_share(images[0], middle) > 0.01, path.name
            assert changed_share(images[0], images[-1]) < changed_share(images[0], middle) / 4


def test_committed_animations_match_the_script(figures: ModuleType, routine: Routine) -> None:
    """Decoded frames against freshly drawn ones: lossy, so close rather than equal, and
    closer than to any other moment of the same animation (a stale file would not be)."""
    for stretch in routine.stretches:
        for side in SIDES:
            path = figures.animation_path(stretch.key, side)
            images, *_ = decoded(path)
            picks = [0, len(images) // 3, len(images) // 2, 2 * len(images) // 3]
            for index in picks:
                fresh = figures.animation_frame(stretch.key, side, index)
                own = mean_difference(images[index], fresh)
                assert own < 1.5, f"{path.name} frame {index} is stale: run `make figures`"
                others = [mean_difference(images[i], fresh) for i in picks if i != index]
                assert own < min(others), (path.name, index)


def test_animations_pass_through_every_step_picture_pose(
    figures: ModuleType, routine: Routine
) -> None:
    # The pictures and the animation share one figure model: each step's pose, in order.
    for stretch in routine.stretches:
        poses = [beat.pose for beat in figures.TIMELINES[stretch.key]]
        position = 0
        for screen in stretch.screens:
            pose = figures.STILLS[screen.picture_key].pose
            assert pose in poses[position:], screen.picture_key
            position = poses.index(pose, position)


def test_the_other_side_is_mirrored(figures: ModuleType) -> None:
    # No words in a frame: the whole frame is the exact mirror.
    left = figures.animation_frame("mid_trunk", "left", 60)
    right = figures.animation_frame("mid_trunk", "right", 60)
    assert changed_share(left.transpose(Image.Transpose.FLIP_LEFT_RIGHT), right) == 0
    assert changed_share(left, right) > 0.05


def test_each_animation_starts_in_the_pose_of_its_first_step_picture(
    figures: ModuleType, routine: Routine
) -> None:
    """The first frame is step 1's pose, through the same camera as step 1's picture: decoded
    from the committed file, it matches that picture's scene drawn at the animation's size."""
    for stretch in routine.stretches:
        step = figures.STILLS[stretch.steps[0].picture_key]
        first = step.pose
        assert figures.animation_pose(stretch.key, 0) == first
        assert figures.animation_beat(stretch.key, 0).active == step.active  # the same coral
        scene = figures.render_scene(
            stretch.key, first, step.active, figures.ANIM_WIDTH, figures.ANIM_HEIGHT
        )
        drawn = Image.fromarray(scene.image).reduce(figures.SCALE)
        for side in SIDES:
            images, *_ = decoded(figures.animation_path(stretch.key, side))
            expected = (
                drawn if side == SIDES[0] else drawn.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            )
            assert mean_difference(images[0], expected) < 1.5, (stretch.key, side)
            # …and not the hold's pose, which the loop also shows.
            hold = figures.STILLS[stretch.hold.picture_key]
            held = figures.anim_image(stretch.key, hold.pose, hold.active, side)
            assert changed_share(images[0], held) > 0.01


def test_encoding_twice_gives_the_same_bytes(figures: ModuleType, tmp_path: Path) -> None:
    images = [figures.animation_frame("lower_back", "left", i) for i in range(0, 40, 4)]
    first, second = tmp_path / "first.mp4", tmp_path / "second.mp4"
    figures.encode(images, first)
    figures.encode(images, second)
    assert first.read_bytes() == second.read_bytes()
    assert len(decoded(first)[0]) == len(images)
