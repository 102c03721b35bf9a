"""The routine content file: the article's facts, a picture per step and side, valid captions."""

from __future__ import annotations

import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coach.routine import (
    DEFAULT_PATH,
    SIDES,
    Routine,
    Step,
    all_pictures,
    load_routine,
    other_side,
)
from coach.texts import ENGLISH

TELEGRAM_TAGS = {"b", "i", "u", "s", "code", "a"}


@pytest.fixture(scope="module")
def routine() -> Routine:
    return load_routine()


def screens(routine: Routine) -> list[Step]:
    return [screen for stretch in routine.stretches for screen in stretch.screens]


class _TagChecker(HTMLParser):
    """Collects every problem Telegram's HTML parse mode would reject."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> unbalanced")


def telegram_html_problems(text: str) -> list[str]:
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    problems = checker.problems + [f"<{t}> unclosed" for t in checker.open]
    bare = re.sub(r"</?[a-z]+>", "", text)
    if re.search(r"[<>]|&(?!(?:lt|gt|amp|quot);)", bare):
        problems.append("bare < > or &")
    return problems


def test_both_stretches_in_the_articles_order(routine: Routine) -> None:
    assert [s.key for s in routine.stretches] == ["lower_back", "mid_trunk"]
    assert routine.stretch("lower_back").title == "Lower Back and Pelvis Rotation Stretch"
    assert routine.stretch("mid_trunk").title == "Mid Trunk Rotation Stretch"


def test_the_articles_numbers(routine: Routine) -> None:
    assert routine.default_hold_seconds == 30
    assert routine.default_sets_per_side == 3
    assert routine.minutes == 5
    # The intro states the time once: the plan line under it says "About 5 minutes".
    assert "minute" not in routine.intro
    assert "Dr. Ben Kim" in routine.credit and "Healthy Back Stretches" in routine.credit


def test_steps_carry_every_position_from_the_article(routine: Routine) -> None:
    lower = [s.caption("left", ENGLISH) for s in routine.stretch("lower_back").screens]
    assert "feet flat" in lower[0]
    assert "<b>left</b> leg" in lower[1] and "ankle" in lower[1] and "right thigh" in lower[1]
    assert "to your <b>right</b>" in lower[2] and "left foot" in lower[2]
    assert "<b>right hand</b>" in lower[3] and "left knee" in lower[3]
    assert "<b>left palm</b>" in lower[4] and "pelvis" in lower[4]
    assert "breathe" in lower[5] and "lightest" in lower[5]
    mid = [s.caption("left", ENGLISH) for s in routine.stretch("mid_trunk").screens]
    assert "<b>right</b> side" in mid[0] and "parallel" in mid[0]
    assert "<b>left</b> arm" in mid[1] and "ceiling" in mid[1]
    assert "behind you" in mid[2]
    assert "in the air" in mid[3] and "breathe" in mid[3]
    assert "sharp" in routine.safety and "medical advice" in routine.safety
    assert "breath" in routine.breathing


def test_every_step_and_side_has_a_real_picture(routine: Routine) -> None:
    pictures = all_pictures(routine, "en")
    assert len(pictures) == len(set(pictures)) == 2 * len(screens(routine))
    for path in pictures:
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", path.name
        width, height = struct.unpack(">II", header[16:24])
        assert (width, height) == (1280, 800), path.name
        assert path.stat().st_size < 150_000, path.name


def test_asset_keys_are_stable_and_unique(routine: Routine) -> None:
    step = routine.stretch("lower_back").steps[1]
    assert step.asset_key("left", "en") == "lower_back/2/left"
    assert step.picture_path("right", "en").name == "lower_back-2-right.png"
    keys = [s.asset_key(side, "en") for s in screens(routine) for side in SIDES]
    assert len(keys) == len(set(keys))


def test_captions_fit_telegram_and_are_valid_html(routine: Routine) -> None:
    for step in screens(routine):
        for side in SIDES:
            caption = f"<b>{step.title}</b>\n{step.caption(side, ENGLISH)}"
            assert len(caption) <= 1024, step.asset_key(side, "en")
            assert telegram_html_problems(caption) == [], step.asset_key(side, "en")
    for text in (routine.intro, routine.safety, routine.breathing, routine.credit):
        assert telegram_html_problems(text) == []


def test_mirrored_captions_swap_the_sides(routine: Routine) -> None:
    for step in screens(routine):
        left, right = step.caption("left", ENGLISH), step.caption("right", ENGLISH)
        assert "{" not in left and "{" not in right
        swapped = re.sub(r"left|right", lambda m: other_side(m.group()), left)
        assert right == swapped, step.asset_key("right", "en")
        # Every step names a side, so a user always knows which way round they are.
        assert re.search(r"\b(left|right)\b", left), step.asset_key("left", "en")


def test_side_labels_say_what_moves(routine: Routine) -> None:
    lower, mid = routine.stretch("lower_back"), routine.stretch("mid_trunk")
    assert lower.side_label("left", ENGLISH) == "Left leg over"
    assert lower.side_label("right", ENGLISH) == "Right leg over"
    # The side a person lies on comes first: "Left side: you lie on your right side" read as
    # a contradiction.
    assert mid.side_label("right", ENGLISH) == "Lying on your left side · right arm opens"
    assert lower.side_note("right", ENGLISH) == (
        "This round your right leg crosses over, and both knees drop to your left."
    )
    assert mid.side_note("left", ENGLISH) == (
        "This round you lie on your right side, so your left arm is the top one: "
        "that is the arm that opens."
    )
    for stretch in routine.stretches:  # each says how to go from one hold to the next
        assert stretch.between_sets("left", ENGLISH).startswith("Between sets")
    with pytest.raises(ValueError, match="unknown side"):
        lower.side_label("up", ENGLISH)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "routine.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("default_hold_seconds = 30", "default_hold_seconds = 0", "default_hold_seconds"),
        ("default_sets_per_side = 3", "default_sets_per_side = 'three'", "default_sets_per_side"),
        ('key = "cross"', 'kee = "cross"', r"stretches\[0\]\.steps\[1\]\.key"),
        ("your {other} thigh.", "your {knee} thigh.", r"stretches\[0\]\.steps\[1\]\.text"),
        ("<b>{side}</b> arm straight", "<b>{side}</i> arm straight", r"steps\[1\]\.text"),
        ('summary = "A slow', 'summary = "A <div>slow', r"stretches\[0\]\.summary"),
        ("[stretches.hold]", "[stretches.hodl]", r"stretches\[0\]\.hold"),
        ("minutes = 5", "minutes = ", "cannot read"),
    ],
)
def test_a_broken_file_names_the_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        load_routine(broken(tmp_path, old, new))


def test_an_overlong_caption_is_rejected(tmp_path: Path) -> None:
    path = broken(tmp_path, 'text = "Lie on your back', 'text = "' + "Relax. " * 150 + "Lie")
    with pytest.raises(ValueError, match=r"steps\[0\]\.text: caption longer than 1024"):
        load_routine(path)


def test_the_default_file_is_read_once(routine: Routine) -> None:
    assert load_routine() is routine
