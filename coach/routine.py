"""The routine content model: two stretches, their steps and sides, read from routine.toml.

Pure domain code (no Telegram, no SQL). Step texts in the TOML are templates for one side;
`Step.caption(side, texts)` fills them, so both sides always read as exact mirrors of each other.
A side is named after the limb that moves: "left" means the left leg crosses over
(lower back) or the left arm opens (mid trunk), as in the source article.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach import i18n
from coach.texts import ENGLISH, Texts

# The order in which a session does the sides: the article describes the left side first.
SIDES: tuple[str, ...] = ("left", "right")
CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_PATH = CONTENT_DIR / "routine.toml"
FIGURES_DIR = CONTENT_DIR / "figures"
CAPTION_LIMIT = 1024  # Telegram's limit on a photo caption, counted after entity parsing
_PLACEHOLDERS = frozenset({"side", "other", "Side", "Other"})
_ALLOWED_TAGS = frozenset({"b", "i", "u", "s", "code", "a"})
_TAG = re.compile(r"<(/?)([a-zA-Z]*)([^>]*)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+);")


def _check_side(side: str) -> None:
    if side not in SIDES:
        raise ValueError(f"unknown side {side!r}; expected one of {SIDES}")


def other_side(side: str) -> str:
    """The opposite side: "left" ↔ "right"."""
    _check_side(side)
    return SIDES[1 - SIDES.index(side)]


def fill(template: str, side: str, texts: Texts) -> str:
    """Fill a one-side template ({side}, {other}, {Side}, {Other}) for `side`, in the language
    of `texts`. A translation is a whole text per side (the catalog entry's context is the
    side): Spanish, German and Russian inflect "left" by the word it goes with."""
    _check_side(side)
    translated = texts.pgettext(side, template)
    if translated != template:
        return translated
    other = other_side(side)
    return template.format(side=side, other=other, Side=side.title(), Other=other.title())


def check_telegram_html(text: str) -> None:
    """Raise ValueError unless `text` is valid Telegram HTML: known, balanced tags; no bare <, &."""
    stack: list[str] = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name not in _ALLOWED_TAGS:
            raise ValueError(f"tag <{closing}{name}> is not allowed in Telegram HTML")
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise ValueError(f"closing tag </{name}> does not match")
    if stack:
        raise ValueError(f"tag <{stack[-1]}> is never closed")
    rest = _ENTITY.sub("", _TAG.sub("", text))
    if "<" in rest or ">" in rest or "&" in rest:
        raise ValueError("bare <, > or & must be escaped")


@dataclass(frozen=True)
class Step:
    """One screen of a stretch: a position with its picture and a one-side text template."""

    key: str
    title: str
    picture_key: str  # e.g. "lower_back/2" or "lower_back/hold"
    text: str

    def caption(self, side: str, texts: Texts) -> str:
        """The step's instruction for `side`, in Telegram HTML (without the title)."""
        return fill(self.text, side, texts)

    def picture_path(self, side: str, language: str) -> Path:
        """The PNG drawn for this step and side, its words in `language`."""
        _check_side(side)
        return figure_path(f"{self.picture_key.replace('/', '-')}-{side}.png", language)

    def asset_key(self, side: str, language: str) -> str:
        """A stable key for the media cache, e.g. "lower_back/2/left", "de/lower_back/2/left"."""
        _check_side(side)
        return figure_key(f"{self.picture_key}/{side}", language)


@dataclass(frozen=True)
class Stretch:
    """A stretch: its set-up steps (in order) and the position held for each set."""

    key: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    hold: Step
    short_title: str = ""
    side_label_template: str = "{Side}"
    side_note_template: str = "{Side} side"
    between_sets_template: str = ""

    def between_sets(self, side: str, texts: Texts) -> str:
        """What to do between two holds on `side` (empty when the routine says nothing)."""
        return fill(self.between_sets_template, side, texts)

    def side_label(self, side: str, texts: Texts) -> str:
        """A short label for a side, e.g. "Left leg over"."""
        return fill(self.side_label_template, side, texts)

    def animation_path(self, side: str) -> Path:
        """The looping demonstration of this stretch on `side`, first step to hold (MP4)."""
        _check_side(side)
        return FIGURES_DIR / f"{self.key}-anim-{side}.mp4"

    def side_note(self, side: str, texts: Texts) -> str:
        """What a side means physically, e.g. "Left side: your left leg crosses over ..."."""
        return fill(self.side_note_template, side, texts)

    @property
    def screens(self) -> tuple[Step, ...]:
        """Every step a session shows for one side: the set-up steps, then the hold."""
        return (*self.steps, self.hold)


@dataclass(frozen=True)
class Routine:
    """The whole daily routine with its defaults and shared cues."""

    stretches: tuple[Stretch, ...]
    default_sets_per_side: int
    default_hold_seconds: int
    minutes: int
    intro: str
    safety: str
    breathing: str
    credit: str

    @property
    def parts(self) -> tuple[tuple[str, str], ...]:
        """Every (stretch key, side) in session order: what a day's target is made of."""
        return tuple((stretch.key, side) for stretch in self.stretches for side in SIDES)

    def day_target(self, sets_per_side: int) -> int:
        """Sets a whole day needs at `sets_per_side`, e.g. 12 for 3 per side."""
        return len(self.parts) * sets_per_side

    def stretch(self, key: str) -> Stretch:
        """The stretch with this key; KeyError when there is none."""
        for stretch in self.stretches:
            if stretch.key == key:
                return stretch
        raise KeyError(key)


def all_pictures(routine: Routine, language: str) -> list[Path]:
    """Every picture the routine shows in `language`: each screen of each stretch, for both
    sides."""
    return [
        screen.picture_path(side, language)
        for stretch in routine.stretches
        for screen in stretch.screens
        for side in SIDES
    ]


def all_animations(routine: Routine) -> list[Path]:
    """Every demonstration loop: one per stretch and side."""
    return [stretch.animation_path(side) for stretch in routine.stretches for side in SIDES]


INTRO_PICTURE = "intro.png"  # both stretches at a glance (a file name: see figure_path)
LOG_PICTURE = "log.png"  # a row per stretch, a column per side


def figure_path(name: str, language: str) -> Path:
    """A picture with words, drawn in `language`: English at figures/<name>, every other
    language at figures/<language>/<name>."""
    chosen = _figure_language(language)
    return FIGURES_DIR / name if chosen == i18n.DEFAULT else FIGURES_DIR / chosen / name


def figure_key(key: str, language: str) -> str:
    """The media-cache key of a picture with words in `language`: English keeps the bare key,
    so file ids cached before the pictures were translated stay valid; others get a prefix."""
    chosen = _figure_language(language)
    return key if chosen == i18n.DEFAULT else f"{chosen}/{key}"


def _figure_language(language: str) -> str:
    if language not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {i18n.LANGUAGES}")
    return language


def load_routine(path: Path | None = None) -> Routine:
    """Read and validate the routine; the default file is parsed once and cached."""
    if path is None:
        return _load_default()
    return _parse(path)


@functools.cache
def _load_default() -> Routine:
    return _parse(DEFAULT_PATH)


def _parse(path: Path) -> Routine:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name}: cannot read the routine: {exc}") from exc
    reader = _Reader(path.name)
    raw_stretches = reader.table_list(data, "stretches")
    stretches = tuple(reader.stretch(raw, f"stretches[{i}]") for i, raw in enumerate(raw_stretches))
    keys = [s.key for s in stretches]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path.name}: stretches: duplicate key in {keys}")
    return Routine(
        stretches=stretches,
        default_sets_per_side=reader.positive_int(data, "default_sets_per_side"),
        default_hold_seconds=reader.positive_int(data, "default_hold_seconds"),
        minutes=reader.positive_int(data, "minutes"),
        intro=reader.text(data, "intro"),
        safety=reader.text(data, "safety"),
        breathing=reader.text(data, "breathing"),
        credit=reader.text(data, "credit"),
    )


class _Reader:
    """Typed field access that names the offending field in every error."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, field: str, problem: str) -> ValueError:
        return ValueError(f"{self.filename}: {field}: {problem}")

    def text(self, table: Mapping[str, Any], name: str, where: str = "") -> str:
        field = f"{where}.{name}" if where else name
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "missing or not a non-empty string")
        try:
            check_telegram_html(value)
        except ValueError as exc:
            raise self.fail(field, str(exc)) from exc
        return value

    def template(self, table: Mapping[str, Any], name: str, where: str) -> str:
        value = self.text(table, name, where)
        fields = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
        if unknown := fields - _PLACEHOLDERS:
            raise self.fail(f"{where}.{name}", f"unknown placeholder {sorted(unknown)}")
        return value

    def positive_int(self, table: Mapping[str, Any], name: str) -> int:
        value = table.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(name, "missing or not a positive integer")
        return value

    def table_list(self, table: Mapping[str, Any], name: str, where: str = "") -> list[Any]:
        value = table.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{where}.{name}" if where else name, "missing or empty list of tables")
        return value

    def step(self, raw: Mapping[str, Any], where: str, picture_key: str) -> Step:
        step = Step(
            key=self.text(raw, "key", where),
            title=self.text(raw, "title", where),
            picture_key=picture_key,
            text=self.template(raw, "text", where),
        )
        for side in SIDES:
            caption = f"<b>{step.title}</b>\n{step.caption(side, ENGLISH)}"
            if len(caption) > CAPTION_LIMIT:
                raise self.fail(f"{where}.text", f"caption longer than {CAPTION_LIMIT} characters")
        return step

    def stretch(self, raw: Mapping[str, Any], where: str) -> Stretch:
        key = self.text(raw, "key", where)
        raw_steps = self.table_list(raw, "steps", where)
        steps = tuple(
            self.step(s, f"{where}.steps[{i}]", f"{key}/{i + 1}") for i, s in enumerate(raw_steps)
        )
        raw_hold = raw.get("hold")
        if not isinstance(raw_hold, dict):
            raise self.fail(f"{where}.hold", "missing table")
        return Stretch(
            key=key,
            title=self.text(raw, "title", where),
            summary=self.text(raw, "summary", where),
            short_title=self.text(raw, "short_title", where),
            steps=steps,
            hold=self.step(raw_hold, f"{where}.hold", f"{key}/hold"),
            side_label_template=self.template(raw, "side_label", where),
            side_note_template=self.template(raw, "side_note", where),
            between_sets_template=self.template(raw, "between_sets", where),
        )
